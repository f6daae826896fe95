"""The demo shops for browser tests, and how to drive the chat widget in them.

The widget lives in a shadow root; Playwright's locators pierce open shadow roots, so
everything is found under ``page.locator("tiski-chat")``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.conftest import SYSTEM, make_agent
from tiski.agents.models import Agent, Role
from tiski.agents.presence import mark_connected
from tiski.chat.strings import widget_strings
from tiski.conversations.actions import send_reply
from tiski.conversations.models import Conversation, Message
from tiski.core.actors import Actor
from tiski.demo.content import STORES
from tiski.demo.schema import DemoStore
from tiski.stores.actions import create_store
from tiski.stores.models import Store

EN = widget_strings("en")
FI = widget_strings("fi")
PL = widget_strings("pl")
WAIT = 15_000  # ms: generous for a loaded CI machine; every wait ends as soon as it can


@dataclass
class Shop:
    url: str
    store: Store
    agent: Agent

    def conversation(self) -> Conversation:
        return Conversation.objects.get(store=self.store)

    def reply(self, text: str) -> Message:
        return send_reply(
            self.conversation(), actor=Actor.for_agent(self.agent), author=self.agent, text=text
        )


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and agents' presence live in the cache, which the server
    thread shares with the tests: every test starts from nothing."""
    cache.clear()
    yield
    cache.clear()


def open_demo_store(demo: DemoStore, agent_email: str, agent_name: str, base: str) -> Shop:
    store = create_store(
        actor=SYSTEM,
        name=demo.name,
        slug=demo.slug,
        reference_prefix=demo.reference_prefix,
        country=demo.country,
        default_language=demo.default_language,
        languages=list(demo.languages),
        timezone=demo.timezone,
        brand_color=demo.brand_color,
        support_email=demo.support_email,
        website=demo.website,
    )
    agent = make_agent(agent_email, agent_name, store, Role.OWNER)
    mark_connected(agent.pk)  # somebody is there: the widget offers a live chat
    return Shop(f"{base}/demo/shop/{demo.slug}/", store, agent)


@pytest.fixture
def shop(live_desk: str) -> Shop:
    return open_demo_store(STORES[0], "johanna@tunturikettu.example", "Johanna Lehtinen", live_desk)


@pytest.fixture
def polish_shop(live_desk: str) -> Shop:
    return open_demo_store(STORES[1], "agnieszka@ziarnoilisc.example", "Agnieszka Nowak", live_desk)


# --- driving the widget ----------------------------------------------------------------


def widget(page: Any) -> Any:
    return page.locator("tiski-chat")


def open_widget(page: Any, shop: Shop) -> Any:
    with page.expect_response(re.compile(r"/chat/session$"), timeout=WAIT) as session:
        page.goto(shop.url)
    # The launcher appears once the session is there; if it never came, say why.
    response = session.value
    assert response.status == 200, f"session: {response.status} {response.text()[:500]}"
    chat = widget(page)
    chat.locator(".launch").click(timeout=WAIT)
    expect(chat.locator(".panel")).to_be_visible(timeout=WAIT)
    return chat


def write(chat: Any, text: str) -> None:
    chat.locator(".comp textarea").fill(text)
    chat.locator(".comp textarea").press("Enter")
