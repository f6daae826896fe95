"""The SMTP and LMTP listener over a real socket, with smtplib as the sending server."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.conftest import make_store
from tests.mail.test_ingest import mail
from tests.servers import free_port
from tiski.conversations.models import Conversation
from tiski.mail.models import RawMail, RawMailStatus
from tiski.mail.smtp import MailListener
from tiski.stores.models import Store

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop() -> Store:
    return make_store("revontuli", "RVT")


@pytest.fixture(params=[False, True], ids=["smtp", "lmtp"])
def listener(request: pytest.FixtureRequest, shop: Store) -> Iterator[MailListener]:
    running = MailListener("127.0.0.1", free_port(), lmtp=request.param)
    running.start()
    yield running
    running.stop()


def client(listener: MailListener) -> smtplib.SMTP:
    lmtp = listener.controller.__class__.__name__ == "_LMTPController"
    return (smtplib.LMTP if lmtp else smtplib.SMTP)("127.0.0.1", listener.port, timeout=10)


def processed(count: int) -> list[RawMail]:
    """Processing follows the 250; wait for it (bounded)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        raws = list(RawMail.objects.exclude(status=RawMailStatus.NEW).order_by("pk"))
        if len(raws) >= count:
            return raws
        time.sleep(0.05)
    raise AssertionError(f"{count} mails were not processed in time")


def test_a_mail_for_a_store_is_stored_and_threaded(listener: MailListener) -> None:
    source = mail("Hei! Missä paketti?", to="Revontuli <support@revontuli.example>")
    with client(listener) as smtp:
        refused = smtp.sendmail("matti@example.fi", ["support@revontuli.example"], source)
    assert refused == {}
    [raw] = processed(1)
    assert raw.status == RawMailStatus.CREATED
    assert raw.via == "smtp"
    assert raw.envelope_to == "support@revontuli.example"
    # What was sent, byte for byte (smtplib sends CRLF line ends and a final one).
    assert bytes(raw.source).replace(b"\r\n", b"\n").rstrip() == source.rstrip()
    assert Conversation.objects.get().messages.get().body_text == "Hei! Missä paketti?"


def test_a_bcc_to_the_support_address_is_found_by_the_envelope(listener: MailListener) -> None:
    source = mail("Kopio teille tiedoksi.", to="kaveri@example.fi")
    with client(listener) as smtp:
        smtp.sendmail("matti@example.fi", ["support@revontuli.example"], source)
    [raw] = processed(1)
    assert raw.status == RawMailStatus.CREATED


def test_other_recipients_are_refused_at_the_door(listener: MailListener) -> None:
    with client(listener) as smtp, pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        smtp.sendmail("spam@example.com", ["someone@elsewhere.example"], mail())
    [(code, _text)] = refused.value.recipients.values()
    assert code == 550
    assert not RawMail.objects.exists()


@override_settings(MAX_MAIL_BYTES=10_000)
def test_an_oversized_mail_is_refused_before_it_is_stored(shop: Store) -> None:
    running = MailListener("127.0.0.1", free_port())
    running.start()
    try:
        # smtplib announces the size (ESMTP SIZE): refused before the data is sent.
        with (
            smtplib.SMTP("127.0.0.1", running.port, timeout=10) as smtp,
            pytest.raises(smtplib.SMTPSenderRefused) as error,
        ):
            smtp.sendmail("matti@example.fi", ["support@revontuli.example"], mail("x" * 20_000))
        assert error.value.smtp_code == 552
    finally:
        running.stop()
    assert not RawMail.objects.exists()


def test_a_broken_mail_is_accepted_kept_and_marked_failed(listener: MailListener) -> None:
    with client(listener) as smtp:
        smtp.sendmail("x@example.fi", ["support@revontuli.example"], b"\x00\x01\x02 not a mail")
    [raw] = processed(1)
    assert raw.status == RawMailStatus.FAILED
    assert raw.error
