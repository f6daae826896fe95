"""Reading a mailbox on a real Dovecot: fetched once, threaded, flagged or moved."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from tests.mail.dovecot import PASSWORD, deliver, flags, imap
from tests.mail.test_ingest import mail
from tiski.conversations.models import Conversation
from tiski.core import clock
from tiski.mail.imap import FETCHED_KEYWORD, LEASE, poll_mailbox
from tiski.mail.models import Mailbox, RawMail, RawMailStatus


def test_new_mail_is_fetched_once_threaded_and_flagged(mailbox: Mailbox) -> None:
    first = mail("Hei! Missä tilaukseni on?", message_id="<eka@example.fi>")
    reply = mail(
        "Lisäksi: tilausnumero 10234.", subject="Re: Tilaus 10234", In_Reply_To="<eka@example.fi>"
    )
    deliver(mailbox, first, reply)

    result = poll_mailbox(mailbox)
    assert result.error == ""
    assert result.fetched == 2
    assert [r.status for r in result.results] == [RawMailStatus.CREATED, RawMailStatus.APPENDED]
    conversation = Conversation.objects.get()
    assert conversation.messages.filter(kind="reply").count() == 2
    assert all(r.raw.via == "imap" for r in result.results)
    assert bytes(result.results[0].raw.source).replace(b"\r\n", b"\n") == first.replace(
        b"\r\n", b"\n"
    )
    # Left in place, marked as fetched, and not read (the shop may also read this box).
    assert all(FETCHED_KEYWORD in f and b"\\Seen" not in f for f in flags(mailbox))

    assert poll_mailbox(mailbox).fetched == 0
    deliver(mailbox, mail("Kolmas viesti", subject="Toinen asia"))
    again = poll_mailbox(mailbox)
    assert again.fetched == 1
    assert RawMail.objects.count() == 3
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 3
    assert mailbox.last_polled_at is not None and mailbox.lease_until is None


def test_processed_mail_is_moved_to_its_folder(mailbox: Mailbox) -> None:
    mailbox.processed_folder = "Tiski"
    mailbox.save()
    deliver(mailbox, mail("Yksi"), mail("Kaksi", subject="Toinen"))
    assert poll_mailbox(mailbox).fetched == 2
    assert flags(mailbox) == []
    assert len(flags(mailbox, "Tiski")) == 2
    assert poll_mailbox(mailbox).fetched == 0


def test_a_renumbered_folder_is_read_again_without_doubles(mailbox: Mailbox) -> None:
    mailbox.folder = "Tuki"
    mailbox.save()
    first = mail("Ensimmäinen", message_id="<first@example.fi>")
    deliver(mailbox, first, folder="Tuki")
    assert poll_mailbox(mailbox).fetched == 1
    with imap(mailbox) as client:
        client.delete_folder("Tuki")
    # Recreated: a new UIDVALIDITY, and the old mail comes back with a new UID.
    deliver(mailbox, first, mail("Toinen", subject="Uusi asia"), folder="Tuki")
    result = poll_mailbox(mailbox)
    assert [r.status for r in result.results] == [RawMailStatus.DUPLICATE, RawMailStatus.CREATED]
    assert Conversation.objects.count() == 2


def test_a_refused_login_is_recorded_and_nothing_is_lost(mailbox: Mailbox) -> None:
    deliver(mailbox, mail())
    mailbox.password = "wrong"
    mailbox.save()
    result = poll_mailbox(mailbox)
    assert result.fetched == 0
    assert "LoginError" in result.error
    mailbox.refresh_from_db()
    assert "LoginError" in mailbox.last_error
    assert mailbox.lease_until is None  # the next poll may try again
    mailbox.password = PASSWORD
    mailbox.save()
    assert poll_mailbox(mailbox).fetched == 1
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""


def test_an_unreachable_server_is_an_error_not_a_crash(mailbox: Mailbox) -> None:
    mailbox.port = 1  # nothing listens there
    mailbox.save()
    result = poll_mailbox(mailbox)
    assert result.error and result.fetched == 0


def test_one_poller_at_a_time(mailbox: Mailbox) -> None:
    deliver(mailbox, mail())
    Mailbox.objects.filter(pk=mailbox.pk).update(lease_until=clock.now() + LEASE)
    assert poll_mailbox(mailbox).skipped
    assert not RawMail.objects.exists()
    # A lease left by a worker that died runs out.
    Mailbox.objects.filter(pk=mailbox.pk).update(lease_until=clock.now() - LEASE)
    assert poll_mailbox(mailbox).fetched == 1


def test_the_poll_command(mailbox: Mailbox) -> None:
    deliver(mailbox, mail("Komennolla"))
    out = StringIO()
    call_command("mail", "poll", "--json", stdout=out)
    [line] = [json.loads(text) for text in out.getvalue().splitlines()]
    assert line["status"] == "created"
    assert line["text"] == "Komennolla"


def test_mail_stored_before_a_server_error_is_still_processed(mailbox: Mailbox) -> None:
    # Dovecot refuses this folder name: the error comes after the mails were stored.
    mailbox.processed_folder = "~Käsitelty"
    mailbox.save()
    deliver(mailbox, mail("Yksi"), mail("Kaksi", subject="Toinen"))
    result = poll_mailbox(mailbox)
    assert result.error
    assert [r.status for r in result.results] == [RawMailStatus.CREATED] * 2
    assert not RawMail.objects.filter(status=RawMailStatus.NEW).exists()
    # Their UIDs were committed with them: the next poll does not fetch them again.
    mailbox.processed_folder = ""
    mailbox.save()
    assert poll_mailbox(mailbox).fetched == 0
