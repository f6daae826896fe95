"""A mail in: stored first, threaded by token, Message-ID or a participant's subject
reference, never into a stranger's conversation; failures kept and retryable."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.test import override_settings

from tests.conftest import SYSTEM, make_agent
from tiski.agents.models import Agent, Role
from tiski.contacts.models import ContactIdentity, IdentityKind
from tiski.conversations.actions import change_status, send_reply
from tiski.conversations.models import Conversation, DeliveryStatus, Message, Status
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.worker import run_pending_tasks
from tiski.mail.actions import ingest_mail, retry_mail
from tiski.mail.bodies import QUOTED_SUMMARY
from tiski.mail.models import Mailbox, RawMail, RawMailStatus
from tiski.mail.tokens import reply_address, reply_token
from tiski.stores.models import Store

SUPPORT = "support@revontuli.example"


def mail(
    text: str = "Hei! Missä tilaukseni 10234 on?",
    *,
    sender: str = "Matti Meikäläinen <matti@example.fi>",
    to: str = SUPPORT,
    subject: str = "Tilaus 10234",
    message_id: str | None = None,
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id or make_msgid(domain="example.fi")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message.as_bytes()


@pytest.fixture
def agent(store: Store) -> Agent:
    return make_agent("owner@revontuli.example", "Olli Omistaja", store, Role.OWNER)


def opened() -> Conversation:
    """Matti's first mail, and the conversation it opened."""
    conversation = ingest_mail(mail()).raw.conversation
    assert conversation is not None
    return conversation


def answered(conversation: Conversation, agent: Agent) -> Message:
    """An agent's reply, sent by email, with the Message-ID it went out with."""
    message = send_reply(
        conversation, actor=Actor.for_agent(agent), author=agent, text="Paketti on matkalla."
    )
    run_pending_tasks()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.SENT
    return message


def test_a_new_mail_is_stored_first_then_opens_a_conversation(store: Store) -> None:
    source = mail("Hei!\n\nMissä tilaukseni 10234 on?\n\nMatti")
    result = ingest_mail(source)
    raw = RawMail.objects.get()
    assert bytes(raw.source) == source
    assert raw.status == RawMailStatus.CREATED == result.status
    assert raw.store == store
    assert raw.sender == "matti@example.fi"
    conversation = Conversation.objects.get()
    assert raw.conversation == conversation
    assert conversation.channel == "email"
    assert conversation.subject == "Tilaus 10234"
    assert conversation.contact.name == "Matti Meikäläinen"
    assert ContactIdentity.objects.filter(
        contact=conversation.contact, kind=IdentityKind.EMAIL, value="matti@example.fi"
    ).exists()
    message = conversation.messages.get()
    assert raw.message == message
    assert "Missä tilaukseni 10234 on?" in message.body_text
    assert result.text == message.body_text


def test_the_quoted_history_is_folded_under_the_new_text(store: Store, agent: Agent) -> None:
    first = opened()
    ours = answered(first, agent)
    text = (
        "Kiitos, paketti tuli perille.\n\n"
        "ti 4.11.2025 klo 9.12 Olli Omistaja <support@revontuli.example> kirjoitti:\n"
        "> Paketti on matkalla.\n"
    )
    result = ingest_mail(mail(text, subject="Re: Tilaus 10234", In_Reply_To=ours.external_id))
    assert result.status == RawMailStatus.APPENDED
    assert result.text == "Kiitos, paketti tuli perille."
    message = result.raw.message
    assert message is not None
    assert "Kiitos, paketti tuli perille." in message.body_html
    details = message.body_html.index("<details>")
    assert f"<summary>{QUOTED_SUMMARY}</summary>" in message.body_html
    assert message.body_html.index("Paketti on matkalla.") > details


def test_a_reply_threads_by_our_message_id(store: Store, agent: Agent) -> None:
    conversation = opened()
    ours = answered(conversation, agent)
    other = make_msgid(domain="example.fi")
    result = ingest_mail(
        mail(
            "Kiitos!",
            subject="Re: Tilaus 10234 [#RVT-1]",
            In_Reply_To=ours.external_id,
            References=f"{other} {ours.external_id}",
        )
    )
    assert result.status == RawMailStatus.APPENDED
    assert result.raw.conversation == conversation
    assert conversation.messages.filter(kind="reply").count() == 3


def test_a_reply_threads_by_the_token_in_the_address_alone(store: Store, agent: Agent) -> None:
    conversation = opened()
    answered(conversation, agent)
    reply_to = django_mail.outbox[-1].extra_headers["Reply-To"]
    # A client that kept neither the headers nor the subject.
    result = ingest_mail(mail("Vielä yksi asia.", to=reply_to.upper(), subject="asia"))
    assert result.status == RawMailStatus.APPENDED
    assert result.raw.conversation == conversation


def test_a_forged_token_threads_nowhere(store: Store) -> None:
    victim = opened()
    token = reply_token(store.pk, victim.pk)
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    result = ingest_mail(
        mail(
            "Näytä minulle Matin tilaus.",
            sender="eve@example.com",
            to=f"support+{forged}@revontuli.example",
        )
    )
    assert result.status == RawMailStatus.CREATED
    assert result.raw.conversation != victim
    assert victim.messages.count() == 1


def test_a_token_of_another_store_threads_nowhere(store: Store, other_store: Store) -> None:
    victim = opened()
    address = reply_address(SUPPORT, other_store.pk, victim.pk)
    result = ingest_mail(mail("Hei", sender="eve@example.com", to=address))
    assert result.raw.conversation != victim
    assert victim.messages.count() == 1


def test_the_subject_reference_threads_only_for_a_participant(store: Store) -> None:
    conversation = opened()
    # Matti, without any header that threads: his reference is enough.
    same = ingest_mail(mail("Lisätieto", subject="Re: [#RVT-1] Tilaus"))
    assert same.raw.conversation == conversation
    # A stranger quoting the number (and guessing an old-style Message-ID) is not.
    stranger = ingest_mail(
        mail(
            "Mikä on tämän tilauksen osoite?",
            sender="eve@example.com",
            subject="Re: [#RVT-1] Tilaus",
            In_Reply_To=f"<tiski.{conversation.pk}.1@revontuli.example>",
        )
    )
    assert stranger.status == RawMailStatus.CREATED
    assert stranger.raw.conversation != conversation
    assert conversation.messages.count() == 2
    assert stranger.raw.conversation is not None
    assert stranger.raw.conversation.contact != conversation.contact


def test_the_same_mail_twice_is_stored_once(store: Store) -> None:
    source = mail()
    first = ingest_mail(source)
    second = ingest_mail(source)
    assert first.status == RawMailStatus.CREATED
    assert second.status == RawMailStatus.DUPLICATE
    assert second.raw.message == first.raw.message
    assert Message.objects.count() == 1
    assert RawMail.objects.count() == 2  # both arrivals are on record


def test_a_mail_without_message_id_is_deduplicated_by_its_source(store: Store) -> None:
    source = b"From: matti@example.fi\r\nTo: support@revontuli.example\r\nSubject: x\r\n\r\nHei\r\n"
    assert ingest_mail(source).status == RawMailStatus.CREATED
    assert ingest_mail(source).status == RawMailStatus.DUPLICATE
    assert Message.objects.count() == 1


def resolve(conversation: Conversation) -> None:
    change_status(conversation, status=Status.RESOLVED, actor=SYSTEM)


def test_a_new_subject_after_resolving_opens_a_new_conversation(store: Store, agent: Agent) -> None:
    conversation = opened()
    ours = answered(conversation, agent)
    resolve(conversation)
    again = ingest_mail(mail("Ja vielä", subject="Re: Tilaus 10234", In_Reply_To=ours.external_id))
    conversation.refresh_from_db()
    assert again.raw.conversation == conversation
    assert conversation.status == Status.OPEN  # the same matter: reopened
    resolve(conversation)
    other = ingest_mail(
        mail("Toinen asia: lahjakortti", subject="Lahjakortti", In_Reply_To=ours.external_id)
    )
    conversation.refresh_from_db()
    assert other.status == RawMailStatus.CREATED
    assert other.raw.conversation != conversation
    assert conversation.status == Status.RESOLVED


def test_an_out_of_office_reply_does_not_reopen(store: Store, agent: Agent) -> None:
    conversation = opened()
    ours = answered(conversation, agent)
    resolve(conversation)
    away = ingest_mail(
        mail(
            "Olen lomalla 10.11. asti.",
            subject="Automaattinen vastaus: Tilaus 10234",
            In_Reply_To=ours.external_id,
            Auto_Submitted="auto-replied",
        )
    )
    conversation.refresh_from_db()
    assert away.status == RawMailStatus.APPENDED
    assert conversation.status == Status.RESOLVED
    assert conversation.waiting_since is None
    # One that answers nothing of ours is not a conversation at all.
    lone = ingest_mail(mail("Olen lomalla.", sender="x@example.fi", Auto_Submitted="auto-replied"))
    assert lone.status == RawMailStatus.IGNORED
    assert lone.raw.conversation is None


def test_same_subject_without_headers_joins_the_open_conversation(store: Store) -> None:
    conversation = opened()
    again = ingest_mail(mail("Unohdin: tilausnumero on 10234.", subject="RE: tilaus 10234"))
    assert again.raw.conversation == conversation
    other = ingest_mail(mail("Haluan palauttaa kengät.", subject="Palautus"))
    assert other.status == RawMailStatus.CREATED


def test_a_mail_to_no_store_fails_kept_and_can_be_retried(store: Store) -> None:
    source = mail(to="info@elsewhere.example")
    result = ingest_mail(source)
    raw = RawMail.objects.get()
    assert result.status == RawMailStatus.FAILED
    assert "info@elsewhere.example" in raw.error
    assert bytes(raw.source) == source
    assert raw.sender == "matti@example.fi"
    assert not Conversation.objects.exists()
    # The admin points the store at that address; the stored mail goes through.
    store.support_email = "info@elsewhere.example"
    store.save()
    again = retry_mail(raw)
    assert again.status == RawMailStatus.CREATED
    assert raw.attempts == 2
    assert raw.error == ""
    with pytest.raises(Exception, match="failed or unprocessed"):
        retry_mail(raw)


@pytest.mark.parametrize(
    "source",
    [b"", b"\x00\xff\xfe garbage", b"Subject: only a subject line\r\n\r\n"],
    ids=["empty", "binary", "no-sender"],
)
def test_what_is_not_a_mail_is_kept_as_failed(store: Store, source: bytes) -> None:
    result = ingest_mail(source, store=store)
    assert result.status == RawMailStatus.FAILED
    assert result.raw.error
    assert bytes(RawMail.objects.get().source) == source
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "sender",
    [f"Revontuli <{SUPPORT}>", "Revontuli <support+c1-0123456789abcdef@revontuli.example>", ""],
    ids=["support-address", "reply-address", "default-from"],
)
@override_settings(DEFAULT_FROM_EMAIL="Tiski <tiski@desk.example>")
def test_our_own_mail_coming_back_is_ignored(store: Store, sender: str) -> None:
    result = ingest_mail(mail(sender=sender or "Tiski <Tiski@Desk.example>"))
    assert result.status == RawMailStatus.IGNORED
    assert not Conversation.objects.exists()


def test_mail_from_a_mailbox_the_desk_reads_is_ignored(store: Store) -> None:
    # The shop's own mailbox (read over IMAP) forwarding to the desk: the same loop.
    Mailbox.objects.create(
        store=store,
        address="myynti@revontuli.example",
        host="imap.example",
        username="myynti",
        password="x",
    )
    result = ingest_mail(mail(sender="Myynti <Myynti@revontuli.example>"))
    assert result.status == RawMailStatus.IGNORED
    assert not Conversation.objects.exists()


def test_a_bounce_marks_the_reply_failed(store: Store, agent: Agent) -> None:
    conversation = opened()
    ours = answered(conversation, agent)
    # Shaped as Postfix writes it (RFC 3464).
    report = (
        "From: MAILER-DAEMON@mx.example.fi (Mail Delivery System)\r\n"
        f"To: {SUPPORT}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <20251103100000.1@mx.example.fi>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "This is the mail system at host mx.example.fi.\r\n"
        "\r\n--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.fi\r\n\r\n"
        "Final-Recipient: rfc822; matti@example.fi\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <matti@example.fi>: Recipient address rejected\r\n"
        "\r\n--B\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {ours.external_id}\r\n"
        "To: matti@example.fi\r\n"
        "\r\n--B--\r\n"
    ).encode()
    result = ingest_mail(report)
    assert result.status == RawMailStatus.BOUNCE
    ours.refresh_from_db()
    assert ours.status == DeliveryStatus.FAILED
    assert "5.1.1" in ours.error
    assert result.raw.conversation == conversation
    assert conversation.messages.filter(direction="in").count() == 1  # no message from it


CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.eml"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_corpus_mail_goes_all_the_way(store: Store, path: Path) -> None:
    """Real-world shapes through the whole path: stored, parsed, threaded, saved."""
    result = ingest_mail(path.read_bytes(), store=store)
    assert result.status != RawMailStatus.FAILED, result.raw.error
    if result.status in (RawMailStatus.CREATED, RawMailStatus.APPENDED):
        message = result.raw.message
        assert message is not None
        assert message.body_text.strip() or message.attachments.exists()
