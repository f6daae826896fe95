"""The whole chat, as people do it: a customer on the shop's page, an agent in the inbox,
two browser windows, everything live; then the customer comes back to the page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.shops import FI, WAIT, Shop, open_widget, write
from tiski.conversations.models import DeliveryStatus, Message

pytestmark = pytest.mark.browser


def agent_page(browser: Any, shop: Shop) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(shop.url.split("/demo/")[0] + "/login/")
    page.fill("input[name=email]", shop.agent.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/inbox/**")
    return page


def test_customer_and_agent_chat_live_and_the_history_stays(
    browser: Any, page: Any, shop: Shop
) -> None:
    inbox = agent_page(browser, shop)
    errors: list[str] = []
    inbox.on("pageerror", lambda error: errors.append(str(error)))

    chat = open_widget(page, shop)
    write(chat, "Hei! Onko Kaamos-kuoritakkia kokoa M?")
    # The agent's list shows it without anyone reloading anything.
    row = inbox.locator(".row", has_text="Kaamos-kuoritakkia")
    row.wait_for(timeout=WAIT)
    row.click()
    expect(inbox.locator("#timeline")).to_contain_text("Kaamos-kuoritakkia", timeout=WAIT)

    # The agent answers; the customer sees it in the chat at once.
    inbox.fill("#composer-text", "Hei! On, M-kokoa on varastossa.")
    inbox.click(".composer button[type=submit]")
    expect(chat.locator(".them", has_text="M-kokoa on varastossa")).to_be_visible(timeout=WAIT)

    # The customer writes again; it appears in the agent's open conversation by itself,
    # and whatever the agent had started typing is still in the composer.
    inbox.fill("#composer-text", "Kirjoitan vastausta")
    write(chat, "Hienoa, tilaan sen heti.")
    expect(inbox.locator("#timeline")).to_contain_text("tilaan sen heti", timeout=WAIT)
    assert inbox.input_value("#composer-text") == "Kirjoitan vastausta"

    # The customer has the chat open, so the agent's reply becomes "Read" in the inbox.
    expect(inbox.locator("#timeline .delivery-read")).to_be_visible(timeout=WAIT)
    reply = Message.objects.get(body_text="Hei! On, M-kokoa on varastossa.")
    assert reply.status == DeliveryStatus.READ

    # Back on the page later: the whole conversation is there, once.
    page.reload()
    chat = open_widget(page, shop)
    expect(chat.locator(".them", has_text="M-kokoa on varastossa")).to_have_count(1, timeout=WAIT)
    expect(chat.locator(".me", has_text="Kaamos-kuoritakkia")).to_have_count(1)
    expect(chat.locator(".me", has_text="tilaan sen heti")).to_have_count(1)
    assert FI["send"]  # the widget spoke Finnish throughout (the shop's language)
    assert errors == []
    inbox.context.close()
