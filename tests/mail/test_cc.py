"""Customers in Cc stay in Cc: who a customer's mail was also for is kept on the
conversation, replies copy them, and the desk's own addresses never get in."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail as django_mail
from django.test import Client, override_settings

from tests.conftest import SYSTEM
from tests.mail.test_ingest import SUPPORT, mail
from tiski.agents.models import Agent
from tiski.conversations.actions import send_reply, set_cc
from tiski.conversations.models import Conversation, Kind
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.worker import run_pending_tasks
from tiski.mail.actions import ingest_mail
from tiski.mail.models import RawMailStatus
from tiski.mail.recipients import MAX_CC_ADDRESSES
from tiski.mail.tokens import reply_address
from tiski.stores.actions import update_store
from tiski.stores.models import Store

HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "conversation"}


def opened(source: bytes) -> Conversation:
    result = ingest_mail(source)
    assert result.status == RawMailStatus.CREATED, result.raw.error
    conversation = result.raw.conversation
    assert conversation is not None
    conversation.refresh_from_db()
    return conversation


def sent_cc(conversation: Conversation, owner: Agent) -> list[str]:
    send_reply(conversation, actor=Actor.for_agent(owner), author=owner, text="Selvä.")
    run_pending_tasks()
    return list(django_mail.outbox[-1].cc)


@override_settings(DEFAULT_FROM_EMAIL="Tiski <tiski@desk.example>")
def test_the_mails_other_recipients_are_kept_without_the_desk_or_the_customer(
    store: Store, other_store: Store, owner: Agent, record: Any
) -> None:
    with record() as events:
        conversation = opened(
            mail(
                to=f"{SUPPORT}, Kaisa <KAISA@example.fi>",
                Cc=", ".join(
                    [
                        "Liisa <liisa@example.fi>",
                        "matti@example.fi",  # the customer themself
                        f"Revontuli <{SUPPORT}>",
                        "support+c9-0123456789abcdef@revontuli.example",  # a reply address
                        "support@kubek.example",  # another store's
                        "tiski@desk.example",  # the desk's sender
                        "kaisa@example.fi",  # twice
                    ]
                ),
            )
        )
    assert conversation.cc_addresses == ["kaisa@example.fi", "liisa@example.fi"]
    [change] = [e for e in events if e.type == "conversation.cc_changed"]
    assert change.payload()["added"] == ["kaisa@example.fi", "liisa@example.fi"]
    entry = conversation.messages.get(kind=Kind.EVENT, event_data__type="cc")
    assert (entry.event_data or {})["actor"] == "Matti Meikäläinen"
    assert sent_cc(conversation, owner) == ["kaisa@example.fi", "liisa@example.fi"]


def test_a_cc_of_garbage_or_hundreds_is_survived_and_capped(store: Store, owner: Agent) -> None:
    garbage = opened(mail(Cc='<<<>>>, "@@", ,;; foo, bar@, @baz, "x" <not an address>'))
    assert garbage.cc_addresses == []
    crowd = ", ".join(f"Henkilö {n} <h{n}@example.fi>" for n in range(200))
    capped = opened(mail(Cc=crowd, subject="Kaikille"))
    assert capped.cc_addresses == [f"h{n}@example.fi" for n in range(MAX_CC_ADDRESSES)]
    assert len(sent_cc(capped, owner)) == MAX_CC_ADDRESSES


def test_later_mails_from_the_customer_add_to_the_cc(store: Store, owner: Agent) -> None:
    conversation = opened(mail(Cc="liisa@example.fi"))
    send_reply(conversation, actor=Actor.for_agent(owner), author=owner, text="Selvä.")
    run_pending_tasks()
    token = reply_address(SUPPORT, store.pk, conversation.pk)
    # Liisa answers all: her mail joins the thread but changes nobody's Cc.
    ingest_mail(mail("Kiitos", sender="liisa@example.fi", to=token, Cc="pekka@example.fi"))
    # An out-of-office reply neither.
    ingest_mail(mail("Lomalla", to=token, Cc="loma@example.fi", Auto_Submitted="auto-replied"))
    conversation.refresh_from_db()
    assert conversation.cc_addresses == ["liisa@example.fi"]
    # Matti himself copies Kaisa too (and Liisa again): Kaisa is added.
    ingest_mail(mail("Ja Kaisa", to=token, Cc="kaisa@example.fi, liisa@example.fi"))
    conversation.refresh_from_db()
    assert conversation.cc_addresses == ["liisa@example.fi", "kaisa@example.fi"]


def test_agents_edit_the_cc(store: Store, owner: Agent, owner_client: Client) -> None:
    conversation = opened(mail(Cc="liisa@example.fi"))
    url = f"/conversations/{conversation.pk}/"
    page = owner_client.get(url).content.decode()
    assert "liisa@example.fi" in page and 'name="cc"' in page
    response = owner_client.post(url + "cc/", {"cc": "kaisa@example.fi, Pekka@Example.fi"}, **HX)
    assert response.status_code == 200
    conversation.refresh_from_db()
    assert conversation.cc_addresses == ["kaisa@example.fi", "pekka@example.fi"]
    assert "Removed from Cc: liisa@example.fi" in response.content.decode()
    for refused in (SUPPORT, "support+c1-0123456789abcdef@revontuli.example", "not-an-address"):
        response = owner_client.post(url + "cc/", {"cc": refused}, **HX)
        assert response.status_code == 422
    conversation.refresh_from_db()
    assert conversation.cc_addresses == ["kaisa@example.fi", "pekka@example.fi"]
    too_many = [f"h{n}@example.fi" for n in range(MAX_CC_ADDRESSES + 1)]
    with pytest.raises(ActionError):
        set_cc(conversation, too_many, actor=SYSTEM)
    # Empty removes everyone; the customer's own address is left out quietly.
    set_cc(conversation, ["matti@example.fi"], actor=SYSTEM)
    conversation.refresh_from_db()
    assert conversation.cc_addresses == []
    assert sent_cc(conversation, owner) == []


def test_an_address_that_became_the_stores_is_not_copied(store: Store, owner: Agent) -> None:
    conversation = opened(mail(Cc="asiakaspalvelu@example.fi, liisa@example.fi"))
    # The shop moves its support address to one that was copied before.
    update_store(store, actor=SYSTEM, support_email="asiakaspalvelu@example.fi")
    assert sent_cc(conversation, owner) == ["liisa@example.fi"]
