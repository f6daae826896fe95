"""Shared fixtures: two stores and three named agents, as in Healthchecks' tests.

* ``owner`` owns the Finnish store, ``teammate`` is an agent there;
* ``outsider`` belongs only to the Polish store and must never see the Finnish one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase
from django.utils import translation

from tests.services import need, required
from tiski.agents.actions import add_membership, create_agent, create_team, set_team_members
from tiski.agents.models import Agent, Role, Team
from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.conversations.actions import InboundMessage, Received, create_label, receive_message
from tiski.conversations.models import Channel, Conversation, Label
from tiski.core.actors import Actor
from tiski.events import Event, capture_events
from tiski.stores.actions import create_store
from tiski.stores.models import Store

PASSWORD = "correct horse battery staple"


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgres" in required() and "postgresql" not in engine:
        pytest.exit(
            "PostgreSQL is required (TISKI_REQUIRE_SERVICES) but DATABASE_URL is not PostgreSQL",
            returncode=3,
        )


@pytest.fixture(scope="session", autouse=True)
def _no_stray_database_sessions(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """End sessions other threads left open, so the test database can be dropped."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _each_test_starts_clean() -> Iterator[None]:
    """Every test starts in English with an empty cache: a language a view activated, or
    the rate-limit counters a test ran up, must not decide what a later test sees."""
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def postgres() -> None:
    need("postgres", connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")


@contextmanager
def recorded() -> Iterator[list[Event]]:
    """Events published by the writes inside the block, after their commit."""
    with capture_events() as events, TestCase.captureOnCommitCallbacks(execute=True):
        yield events


@pytest.fixture
def record() -> Callable[[], Any]:
    return recorded


SYSTEM = Actor.system("tests")


def make_store(slug: str, prefix: str, *, country: str = "FI", language: str = "fi") -> Store:
    return create_store(
        actor=SYSTEM,
        name=slug.title(),
        slug=slug,
        reference_prefix=prefix,
        country=country,
        default_language=language,
        timezone="Europe/Helsinki" if country == "FI" else "Europe/Warsaw",
        support_email=f"support@{slug}.example",
    )


def make_agent(
    email: str, name: str, store: Store | None, role: str = Role.AGENT, **extra: Any
) -> Agent:
    agent = create_agent(email=email, name=name, password=PASSWORD, **extra)
    if store is not None:
        add_membership(agent, store, role=role, actor=SYSTEM)
    return agent


@pytest.fixture
def store(db: None) -> Store:
    return make_store("revontuli", "RVT")


@pytest.fixture
def other_store(db: None) -> Store:
    return make_store("kubek", "KUB", country="PL", language="pl")


@pytest.fixture
def owner(store: Store) -> Agent:
    return make_agent("owner@revontuli.example", "Olli Omistaja", store, Role.OWNER)


@pytest.fixture
def teammate(store: Store) -> Agent:
    return make_agent("teammate@revontuli.example", "Tiina Tiimiläinen", store)


@pytest.fixture
def outsider(other_store: Store) -> Agent:
    return make_agent("outsider@kubek.example", "Olga Obca", other_store, Role.OWNER, language="pl")


@pytest.fixture
def team(store: Store, owner: Agent, teammate: Agent) -> Team:
    team = create_team(store, name="Palautukset", actor=SYSTEM)
    set_team_members(team, [teammate], actor=SYSTEM)
    return team


@pytest.fixture
def label(store: Store) -> Label:
    return create_label(store, name="palautus", color="#b45309", actor=SYSTEM)


def inbound(
    store: Store,
    text: str = "Hei, missä tilaukseni 10234 on?",
    *,
    email: str = "matti@example.fi",
    name: str = "Matti Meikäläinen",
    channel: str = Channel.EMAIL,
    **extra: Any,
) -> Received:
    return receive_message(
        InboundMessage(
            store=store,
            channel=channel,
            sender=[IdentityInput(IdentityKind.EMAIL, email)],
            sender_name=name,
            text=text,
            subject=extra.pop("subject", "Tilaus 10234"),
            **extra,
        )
    )


@pytest.fixture
def conversation(store: Store, owner: Agent) -> Conversation:
    return inbound(store).conversation


@pytest.fixture
def other_conversation(other_store: Store, outsider: Agent) -> Conversation:
    return inbound(
        other_store,
        "Gdzie jest moje zamówienie?",
        email="anna@example.pl",
        subject="Zamówienie 555",
    ).conversation


def logged_in(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def owner_client(owner: Agent) -> Client:
    return logged_in(owner)


@pytest.fixture
def outsider_client(outsider: Agent) -> Client:
    return logged_in(outsider)


# Realtime fixtures, for the chat and inbox socket tests in any folder.
from tests.realtime import server_loop, shop, shop_agent  # noqa: E402, F401
