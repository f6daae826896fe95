from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client, override_settings

from tiski.agents.models import Agent
from tiski.conversations.models import Conversation, DeliveryStatus, Message, Status
from tiski.demo.content import STORES
from tiski.demo.seed import DEMO_PASSWORD, seed_demo
from tiski.stores.models import Store


class RefusingBackend(BaseEmailBackend):
    """A configured mail server the demo must never use."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise AssertionError("the demo seed sent mail through the configured backend")


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="tests.demo.test_seed.RefusingBackend")
def test_the_demo_shops_have_something_on_every_screen() -> None:
    result = seed_demo()
    assert result.created_stores == ["Tunturikettu Outdoor", "Ziarno i Liść"]
    for demo in STORES:
        store = Store.objects.get(slug=demo.slug)
        conversations = Conversation.objects.filter(store=store)
        assert conversations.count() == len(demo.conversations)
        assert set(conversations.values_list("status", flat=True)) == set(Status.values)
        assert {c.language for c in conversations} >= set(demo.languages) - {"sv"}
        for snoozed in conversations.filter(status=Status.SNOOZED):
            assert snoozed.snoozed_until is not None
        # Some customers came back: the contact card has history to show.
        assert conversations.values("contact").distinct().count() < conversations.count()
    # Replies went through real delivery, into a mailbox nobody reads.
    outgoing = Message.objects.filter(direction="out", kind="reply")
    assert outgoing.exists()
    assert set(outgoing.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    # Conversations are numbered in the order they happened.
    store = Store.objects.get(slug=STORES[0].slug)
    ordered = list(
        Conversation.objects.filter(store=store)
        .order_by("created_at")
        .values_list("number", flat=True)
    )
    assert ordered == sorted(ordered)


@pytest.mark.django_db
def test_seeding_twice_changes_nothing() -> None:
    seed_demo()
    counts = (Store.objects.count(), Conversation.objects.count(), Message.objects.count())
    assert seed_demo().created_stores == []
    assert (Store.objects.count(), Conversation.objects.count(), Message.objects.count()) == counts


@pytest.mark.django_db
def test_every_demo_login_works() -> None:
    call_command("demo", verbosity=0)
    agents = list(Agent.objects.all())
    assert len(agents) == sum(len(s.agents) for s in STORES)
    for agent in agents:
        client = Client()
        response = client.post("/login/", {"email": agent.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, agent.email
        assert client.get("/inbox/all/").status_code == 200


def test_the_tiski_command_without_arguments_prints_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tiski.cli import main

    main([])
    assert "tiski start" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_shops_orders_match_their_stories_and_show_every_state() -> None:
    from tiski.demo.orders import ORDERS
    from tiski.shop.display import STATUSES, order_status
    from tiski.shop.models import Order
    from tiski.shop.queries import with_details

    seed_demo()
    for demo in STORES:
        store = Store.objects.get(slug=demo.slug)
        orders = list(with_details(Order.objects.filter(store=store)))
        assert len(orders) == len(ORDERS[demo.slug])
        # Every order belongs to the customer who wrote about it.
        emails = {c.key: c.email for c in demo.customers}
        for demo_order in ORDERS[demo.slug]:
            stored = next(o for o in orders if o.number == demo_order.number)
            assert stored.contact is not None
            assert stored.contact.email == emails[demo_order.customer]
    statuses = {order_status(o) for o in with_details(Order.objects.all())}
    assert statuses == set(STATUSES)
