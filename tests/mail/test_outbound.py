"""Replies out by SMTP, to a real local server: the source it received, header by header."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from django_tasks_db.models import DBTaskResult

from tests.conftest import SYSTEM, make_agent
from tests.mail.smtpsink import SinkHandler, smtp_sink
from tests.mail.test_ingest import SUPPORT, mail
from tiski.agents.models import Agent, Role
from tiski.conversations.actions import send_reply
from tiski.conversations.attachments import IncomingFile
from tiski.conversations.display import render_timeline
from tiski.conversations.entries import timeline_entries
from tiski.conversations.models import Conversation, DeliveryStatus, Message
from tiski.conversations.tasks import deliver_message
from tiski.core.actors import Actor
from tiski.core.worker import run_pending_tasks
from tiski.mail.actions import ingest_mail
from tiski.mail.models import Via
from tiski.mail.tokens import reply_address
from tiski.stores.actions import update_store
from tiski.stores.models import Store

CUSTOMER_ID = "<matti-1@example.fi>"


@pytest.fixture
def sink() -> Iterator[SinkHandler]:
    with smtp_sink() as handler:
        yield handler


@pytest.fixture
def agent(store: Store) -> Agent:
    return make_agent("owner@revontuli.example", "Olli Omistaja", store, Role.OWNER)


def opened(source: bytes | None = None) -> Conversation:
    conversation = ingest_mail(source or mail(message_id=CUSTOMER_ID)).raw.conversation
    assert conversation is not None
    conversation.refresh_from_db()
    return conversation


def reply(conversation: Conversation, agent: Agent, text: str = "Paketti on matkalla.") -> Message:
    message = send_reply(
        conversation,
        actor=Actor.for_agent(agent),
        author=agent,
        text=text,
        attachments=[IncomingFile("kuitti.txt", b"Kuitti 10234\n", "text/plain")],
    )
    run_pending_tasks()
    message.refresh_from_db()
    return message


def parts(received: EmailMessage) -> tuple[str, str]:
    text = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert text is not None and html is not None
    # As the lines are in the source: CRLF.
    return str(text.get_content()).replace("\r\n", "\n"), str(html.get_content())


def sender(received: EmailMessage) -> tuple[str, str]:
    [address] = received["From"].addresses
    return address.display_name, address.addr_spec


def timeline_html(conversation: Conversation) -> str:
    entries, _more = timeline_entries(
        conversation, agent_names={}, contact_name=conversation.contact.display_name
    )
    return str(render_timeline(entries))


def test_a_reply_as_the_server_receives_it(store: Store, agent: Agent, sink: SinkHandler) -> None:
    conversation = opened()
    message = reply(conversation, agent)
    assert message.status == DeliveryStatus.SENT
    [got] = sink.received
    assert got.mail_from == SUPPORT
    assert got.rcpt_tos == ["matti@example.fi"]
    sent = got.message
    assert sender(sent) == ("Olli Omistaja (Revontuli)", SUPPORT)
    assert sent["To"] == "matti@example.fi"
    assert sent["Cc"] is None
    assert sent["Subject"] == "Re: Tilaus 10234 [#RVT-1]"
    assert sent["Message-ID"] == message.external_id
    assert sent["Message-ID"].endswith("@revontuli.example>")
    assert sent["In-Reply-To"] == CUSTOMER_ID
    assert sent["References"] == CUSTOMER_ID
    assert sent["Reply-To"] == reply_address(SUPPORT, store.pk, conversation.pk)
    # A person wrote it: nothing tells other machines to stay quiet.
    assert sent["Auto-Submitted"] is None
    assert sent["X-Auto-Response-Suppress"] is None
    assert sent.get_content_type() == "multipart/mixed"
    text, html = parts(sent)
    assert text.startswith("Paketti on matkalla.\n\n-- \nOlli Omistaja\nRevontuli\n")
    assert "#RVT-1" in text
    assert SUPPORT in text
    # The store's look, in the customer's language (the store's, Finnish).
    assert '<html lang="fi">' in html
    assert f"background-color:{store.brand_color}" in html
    assert "Paketti on matkalla." in html
    assert "<strong>Olli Omistaja</strong>" in html
    assert "Asian tunnus" in html  # "Reference"
    assert "<style" not in html  # mail programs drop it; everything is inline
    [attachment] = sent.iter_attachments()
    assert attachment.get_filename() == "kuitti.txt"
    assert attachment.get_content().replace("\r\n", "\n") == "Kuitti 10234\n"


def test_the_layout_escapes_the_store_and_the_agent(store: Store, sink: SinkHandler) -> None:
    update_store(
        store,
        actor=SYSTEM,
        name="Kauppa <b>& Co</b>",
        website="https://revontuli.example/kauppa/",
    )
    # Bypasses the validator, as an old row or a direct database edit would (seven
    # characters: the column's length on PostgreSQL).
    Store.objects.filter(pk=store.pk).update(brand_color='red;"><')
    store.refresh_from_db()
    sneaky = make_agent("eve@revontuli.example", '<img src=x onerror="alert(1)">', store)
    conversation = opened()
    reply(conversation, sneaky)
    [got] = sink.received
    text, html = parts(got.message)
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "Kauppa &lt;b&gt;&amp; Co&lt;/b&gt;" in html
    assert 'red;"' not in html and "background-color:#1f6feb" in html
    assert 'href="https://revontuli.example/kauppa/"' in html
    assert ">revontuli.example/kauppa</a>" in html
    # The text part is text: the names as they are.
    assert '<img src=x onerror="alert(1)">\nKauppa <b>& Co</b>\n' in text
    assert "https://revontuli.example/kauppa/" in text


def test_customers_in_cc_stay_in_cc(store: Store, agent: Agent, sink: SinkHandler) -> None:
    source = mail(
        to=f"Revontuli <{SUPPORT}>, Kaisa <kaisa@example.fi>",
        Cc=f"Liisa <Liisa@Example.fi>, {SUPPORT}, matti@example.fi",
        message_id=CUSTOMER_ID,
    )
    conversation = opened(source)
    assert conversation.cc_addresses == ["kaisa@example.fi", "liisa@example.fi"]
    reply(conversation, agent)
    [got] = sink.received
    sent = got.message
    assert sent["To"] == "matti@example.fi"
    assert sent["Cc"] == "kaisa@example.fi, liisa@example.fi"
    assert sorted(got.rcpt_tos) == ["kaisa@example.fi", "liisa@example.fi", "matti@example.fi"]


def test_a_failed_attempt_shows_why_and_the_retry_sends(
    store: Store, agent: Agent, sink: SinkHandler
) -> None:
    conversation = opened()
    sink.data_answer = "451 4.3.0 Mailbox temporarily full"
    message = reply(conversation, agent)
    assert message.status == DeliveryStatus.QUEUED
    assert "451" in message.error and "temporarily full" in message.error
    shown = timeline_html(conversation)
    assert "delivery-queued" in shown
    assert "temporarily full" in shown
    # The next attempt is scheduled, not lost.
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    sink.data_answer = ""
    assert deliver_message.call(message.pk, 2) == DeliveryStatus.SENT
    message.refresh_from_db()
    assert message.status == DeliveryStatus.SENT
    assert message.error == ""
    assert "temporarily full" not in timeline_html(conversation)
    assert len(sink.received) == 1


def test_a_permanent_refusal_fails_at_once_with_the_reason(
    store: Store, agent: Agent, sink: SinkHandler
) -> None:
    conversation = opened()
    sink.refused_recipients["matti@example.fi"] = "550 5.1.1 No such user here"
    message = reply(conversation, agent)
    assert message.status == DeliveryStatus.FAILED
    assert "550" in message.error and "No such user here" in message.error
    assert "No such user here" in timeline_html(conversation)
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no pointless retries
    assert sink.received == []


def test_the_acknowledgement_as_the_server_receives_it(store: Store, sink: SinkHandler) -> None:
    update_store(store, actor=SYSTEM, acknowledge_email=True, usual_reply_hours=4)
    source = mail(Cc="liisa@example.fi", message_id=CUSTOMER_ID)
    conversation = ingest_mail(source, via=Via.SMTP).raw.conversation
    assert conversation is not None
    run_pending_tasks()
    [got] = sink.received
    # To the sender only: a machine's mail goes to no third party.
    assert got.rcpt_tos == ["matti@example.fi"]
    sent = got.message
    assert sent["Cc"] is None
    assert sender(sent) == ("Revontuli", SUPPORT)
    assert sent["Subject"] == "Re: Tilaus 10234 [#RVT-1]"
    assert sent["Auto-Submitted"] == "auto-replied"
    assert sent["X-Auto-Response-Suppress"] == "All"
    assert sent["In-Reply-To"] == CUSTOMER_ID
    assert sent["Reply-To"] == reply_address(SUPPORT, store.pk, conversation.pk)
    acknowledgement = conversation.messages.get(automatic=True)
    assert sent["Message-ID"] == acknowledgement.external_id
    assert acknowledgement.status == DeliveryStatus.SENT
    text, html = parts(sent)
    assert "#RVT-1" in text and "4 tunnin" in text  # in Finnish, the store's language
    assert "#RVT-1" in html


def test_a_mail_that_cannot_be_built_fails_visibly(
    store: Store, agent: Agent, sink: SinkHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug fails the reply with its reason instead of leaving it queued forever."""
    conversation = opened()

    def broken(message: Message, recipient: str) -> None:
        raise ValueError("header value contains a newline")

    monkeypatch.setattr("tiski.conversations.delivery.compose", broken)
    message = reply(conversation, agent)
    assert message.status == DeliveryStatus.FAILED
    assert message.error == "ValueError: header value contains a newline"
    assert not DBTaskResult.objects.filter(status="READY").exists()
