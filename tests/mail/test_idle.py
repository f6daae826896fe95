"""Watching a mailbox on a real Dovecot: IDLE, its lease, polling without it, reconnecting.

The watchers are threads with their own database connections, so these tests commit
(``transaction=True``) and wait for what the database shows, with a deadline only so
that a broken watcher fails the test instead of hanging the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from tests import servers
from tests.conftest import SYSTEM
from tests.mail.dovecot import WITHOUT_IDLE, Dovecot, deliver, flags, mailbox_on, start_dovecot
from tests.mail.test_ingest import mail
from tests.services import dovecot_missing, need
from tiski.conversations.models import Conversation
from tiski.mail import idle, imap
from tiski.mail.idle import MailboxWatcher, MailboxWatchers
from tiski.mail.imap import FETCHED_KEYWORD, LEASE, poll_mailbox
from tiski.mail.mailboxes import save_mailbox
from tiski.mail.models import Mailbox, RawMail, RawMailStatus
from tiski.stores.models import Store

pytestmark = pytest.mark.django_db(transaction=True)

Watch = Callable[[Mailbox], MailboxWatcher]


def until(condition: Callable[[], object], what: str, deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raws = [(raw.status, raw.error[:200]) for raw in RawMail.objects.all()]
            pytest.fail(f"still waiting for: {what} (raw mails: {raws})")
        time.sleep(0.05)


def stored(status: str = RawMailStatus.CREATED, count: int = 1) -> Callable[[], bool]:
    return lambda: RawMail.objects.filter(status=status).count() >= count


@pytest.fixture
def watch() -> Iterator[Watch]:
    started: list[MailboxWatcher] = []

    def start(mailbox: Mailbox) -> MailboxWatcher:
        watcher = MailboxWatcher(mailbox.pk, backoff=(0.1, 0.5))
        watcher.start()
        started.append(watcher)
        return watcher

    yield start
    for watcher in started:
        watcher.stop()
    for watcher in started:
        watcher.join(10)
    # One left running would go on writing into the next test's database.
    assert not any(watcher.is_alive() for watcher in started)


@pytest.fixture
def quick(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Polls and lease renewals several times a second instead of every minute."""
    settings.IMAP_POLL_SECONDS = 0.2
    monkeypatch.setattr(idle, "CHECK_SECONDS", 0.2)


def own_dovecot(capability: str = "") -> Iterator[Dovecot]:
    missing = dovecot_missing()
    need("dovecot", not missing, missing)
    server = start_dovecot(Path(tempfile.mkdtemp(prefix="tiski-dovecot-")), capability=capability)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dovecot_without_idle() -> Iterator[Dovecot]:
    yield from own_dovecot(WITHOUT_IDLE)


@pytest.fixture
def dovecot_to_restart() -> Iterator[Dovecot]:
    yield from own_dovecot()


def test_mail_is_read_as_it_arrives_in_one_idle_session(mailbox: Mailbox, watch: Watch) -> None:
    watcher = watch(mailbox)
    until(lambda: watcher.idles >= 1, "the watcher idles")

    deliver(mailbox, mail("Hei! Missä tilaukseni on?", message_id="<eka@example.fi>"))
    until(stored(), "the first mail opens a conversation")
    deliver(
        mailbox,
        mail("Tilausnumero 10234.", subject="Re: Tilaus 10234", In_Reply_To="<eka@example.fi>"),
    )
    until(stored(RawMailStatus.APPENDED), "the second mail joins it")

    conversation = Conversation.objects.get()
    assert conversation.messages.filter(kind="reply").count() == 2
    assert RawMail.objects.count() == 2
    assert all(raw.via == "imap" for raw in RawMail.objects.all())
    # Flagged where it is, and still unread for the shop's own mail program.
    assert all(FETCHED_KEYWORD in f and b"\\Seen" not in f for f in flags(mailbox))
    # Both came over the connection opened first: told by IDLE, not found by a new poll.
    assert watcher.sessions == 1
    assert not watcher.errors
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 2
    assert mailbox.last_error == ""
    assert mailbox.lease_until is not None  # held while idling


def test_mail_that_comes_during_a_read_is_not_left_for_the_next_idle(
    mailbox: Mailbox, watch: Watch, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server tells of the second mail in its answer to the first one's STORE (the
    # flag), not in the IDLE that follows: the watcher must read again before idling.
    store_raw_mail = imap.store_raw_mail

    def store_and_deliver_another(source: bytes, **kwargs: Any) -> RawMail:
        if not RawMail.objects.exists():
            deliver(mailbox, mail("Toinen", subject="Toinen asia"))
        return store_raw_mail(source, **kwargs)

    monkeypatch.setattr(imap, "store_raw_mail", store_and_deliver_another)
    deliver(mailbox, mail("Ensimmäinen"))
    watcher = watch(mailbox)
    until(stored(count=2), "both mails are read")
    assert watcher.sessions == 1


def test_processed_mail_is_moved_while_idling(mailbox: Mailbox, watch: Watch) -> None:
    mailbox.processed_folder = "Tiski"
    mailbox.save()
    watcher = watch(mailbox)
    until(lambda: watcher.idles >= 1, "the watcher idles")
    deliver(mailbox, mail("Yksi"))
    until(stored(), "the mail is read")
    assert flags(mailbox) == []
    assert len(flags(mailbox, "Tiski")) == 1


def test_a_stopped_watcher_gives_the_mailbox_back(mailbox: Mailbox, watch: Watch) -> None:
    watcher = watch(mailbox)
    until(lambda: watcher.idles >= 1, "the watcher idles")
    watcher.stop()
    watcher.join(10)
    assert not watcher.is_alive()
    mailbox.refresh_from_db()
    assert mailbox.lease_until is None  # another worker may take it over at once
    deliver(mailbox, mail())
    # Nobody read it meanwhile: a poll still finds it.
    assert poll_mailbox(mailbox).fetched == 1


def test_a_second_watcher_leaves_the_mailbox_to_the_first(
    mailbox: Mailbox, watch: Watch, quick: None
) -> None:
    first = watch(mailbox)
    until(lambda: first.idles >= 1, "the first watcher idles")
    second = watch(mailbox)
    until(lambda: second.skipped >= 1, "the second watcher finds the mailbox taken")

    deliver(mailbox, mail("Yksi"))
    until(stored(), "the mail is read")
    assert second.sessions == 0  # it never connected

    # The first one stops: the second takes over.
    first.stop()
    first.join(10)
    deliver(mailbox, mail("Kaksi", subject="Toinen asia"))
    until(stored(count=2), "the second mail is read")
    assert second.sessions >= 1
    assert RawMail.objects.count() == 2


def test_idle_is_issued_again_after_its_time(mailbox: Mailbox, watch: Watch, settings: Any) -> None:
    settings.IMAP_IDLE_SECONDS = 0.3
    watcher = watch(mailbox)
    until(lambda: watcher.idles >= 3, "IDLE is ended and issued again")
    deliver(mailbox, mail())
    until(stored(), "the mail is read")
    assert watcher.sessions == 1  # on the same connection
    assert RawMail.objects.count() == 1


def test_a_server_without_idle_is_polled(
    dovecot_without_idle: Dovecot, store: Store, watch: Watch, quick: None
) -> None:
    mailbox = mailbox_on(dovecot_without_idle, store)
    watcher = watch(mailbox)
    until(lambda: watcher.reads >= 1, "the first poll")
    deliver(mailbox, mail())
    until(stored(), "the mail is read")
    assert watcher.idles == 0
    # Delivered after the first poll's connection: read by a later one.
    assert watcher.sessions >= 2
    assert all(FETCHED_KEYWORD in f for f in flags(mailbox))


def test_a_connection_cut_mid_idle_is_made_again_without_reading_twice(
    mailbox: Mailbox, dovecot: Dovecot, watch: Watch
) -> None:
    deliver(mailbox, mail("Ennen katkoa"))
    watcher = watch(mailbox)
    until(lambda: stored()() and watcher.idles >= 1, "the mail is read and the watcher idles")

    # The server's process dies without a word, as when the network goes.
    assert dovecot.cut(mailbox.username) >= 1
    until(lambda: watcher.errors, "the watcher notices")
    assert "closed the connection" in watcher.errors[0]
    until(lambda: watcher.sessions >= 2 and watcher.idles >= 2, "it idles again")

    deliver(mailbox, mail("Katkon jälkeen", subject="Toinen asia"))
    until(stored(count=2), "the new mail is read")
    assert RawMail.objects.count() == 2  # the first one was not fetched again
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""  # cleared by the read after reconnecting


def test_a_server_restart_is_recorded_and_survived(
    dovecot_to_restart: Dovecot, store: Store, watch: Watch
) -> None:
    server = dovecot_to_restart
    mailbox = mailbox_on(server, store)
    deliver(mailbox, mail("Ennen"))
    watcher = watch(mailbox)
    until(lambda: stored()() and watcher.idles >= 1, "the mail is read and the watcher idles")

    server.halt()
    until(
        lambda: Mailbox.objects.get(pk=mailbox.pk).last_error,
        "the error is shown on the mailbox",
    )
    assert any("closed the connection" in error for error in watcher.errors)

    server.start()
    until(lambda: not Mailbox.objects.get(pk=mailbox.pk).last_error, "the error is cleared")
    deliver(mailbox, mail("Jälkeen", subject="Toinen asia"))
    until(stored(count=2), "the new mail is read")
    assert RawMail.objects.count() == 2


def test_a_lease_taken_over_stops_the_reading(mailbox: Mailbox, watch: Watch, quick: None) -> None:
    watcher = watch(mailbox)
    until(lambda: watcher.idles >= 1, "the watcher idles")
    # Another worker took the mailbox (as if this one had stalled past its lease).
    Mailbox.objects.filter(pk=mailbox.pk).update(lease_until=timezone.now() + LEASE)
    until(lambda: watcher.skipped >= 1, "the watcher lets go")
    deliver(mailbox, mail())
    seen = watcher.skipped
    until(lambda: watcher.skipped > seen, "the watcher asks again after the mail came")
    assert not RawMail.objects.exists()  # the other worker's to read

    Mailbox.objects.filter(pk=mailbox.pk).update(lease_until=None)  # given back
    until(stored(), "the watcher reads it")
    assert watcher.sessions == 2


def test_changed_settings_are_used_at_once(mailbox: Mailbox, watch: Watch, quick: None) -> None:
    watcher = watch(mailbox)
    until(lambda: watcher.idles >= 1, "the watcher idles")
    mailbox.processed_folder = "Tiski"
    save_mailbox(mailbox, actor=SYSTEM)
    until(lambda: watcher.sessions >= 2 and watcher.idles >= 2, "the watcher reconnects")
    deliver(mailbox, mail())
    until(stored(), "the mail is read")
    assert flags(mailbox) == []
    assert len(flags(mailbox, "Tiski")) == 1


def test_saving_a_mailbox_keeps_the_readers_place_and_lease(mailbox: Mailbox, watch: Watch) -> None:
    watcher = watch(mailbox)
    until(lambda: watcher.idles >= 1, "the watcher idles")
    form = Mailbox.objects.get(pk=mailbox.pk)  # as the admin's form loads it
    deliver(mailbox, mail("Yksi"))
    until(stored(), "the mail is read")
    reader = Mailbox.objects.get(pk=mailbox.pk)

    form.address = "tuki@revontuli.example"
    save_mailbox(form, actor=SYSTEM)

    mailbox.refresh_from_db()
    assert mailbox.address == "tuki@revontuli.example"
    assert (mailbox.last_uid, mailbox.lease_until) == (1, reader.lease_until)
    deliver(mailbox, mail("Kaksi", subject="Toinen asia"))
    until(stored(count=2), "the next mail is read")
    assert RawMail.objects.count() == 2
    assert watcher.sessions == 1  # the address is no connection setting


def test_the_watchers_follow_the_mailboxes(
    mailbox: Mailbox, dovecot: Dovecot, store: Store, quick: None
) -> None:
    watchers = MailboxWatchers(every=0.1, backoff=(0.1, 0.5))
    watchers.start()
    try:
        until(lambda: mailbox.pk in watchers.watchers, "a watcher for the mailbox")
        first = watchers.watchers[mailbox.pk]
        until(lambda: first.idles >= 1, "it idles")

        added = mailbox_on(dovecot, store)
        until(lambda: added.pk in watchers.watchers, "a watcher for the added mailbox")
        # Delivered once it idles, as for the first: a brand-new Dovecot user's INBOX
        # created by the watcher and the delivering client at the same moment once lost
        # the IDLE notice (a real mailbox exists long before it is watched).
        until(lambda: watchers.watchers[added.pk].idles >= 1, "it idles too")
        deliver(added, mail())
        until(stored(), "the added mailbox is read")

        Mailbox.objects.filter(pk=mailbox.pk).update(enabled=False)
        until(lambda: not first.is_alive(), "the disabled mailbox's watcher ends")
        until(lambda: mailbox.pk not in watchers.watchers, "and is forgotten")
        mailbox.refresh_from_db()
        assert mailbox.lease_until is None
        second = watchers.watchers[added.pk]
    finally:
        watchers.stop()
        watchers.join(10)
    assert not watchers.is_alive()
    assert not second.is_alive()
    added.refresh_from_db()
    assert added.lease_until is None  # logged out and given back on the way out


@pytest.mark.parametrize(
    ("stop", "status"),
    # SIGTERM from a service manager; SIGINT is Ctrl+C, how the README says to stop it.
    [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 0)],
    ids=["sigterm", "ctrl-c"],
)
def test_tiski_run_watches_the_mailboxes_and_gives_them_back_when_stopped(
    mailbox: Mailbox, tmp_path: Path, stop: signal.Signals, status: int
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": servers.test_database_url(),  # not imported: pytest would run it
        "SECRET_KEY": django_settings.SECRET_KEY,
        "TISKI_DATA_DIR": str(tmp_path),
        "TISKI_TESTING": "1",
        "TISKI_LOG_LEVEL": "WARNING",
        # This test is about tiski run starting and giving back its watchers; IDLE's
        # notices have tests of their own. A mail that arrives between the first read
        # and the first IDLE was once not announced (on a loaded machine): re-reading
        # every few seconds, as every IDLE re-issue does, makes this test not hang on it.
        "TISKI_IMAP_IDLE_SECONDS": "3",
    }
    command = [sys.executable, "-m", "tiski.cli", "run", "--port", str(servers.free_port())]
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    try:
        until(
            lambda: Mailbox.objects.filter(pk=mailbox.pk, last_polled_at__isnull=False).exists(),
            "tiski run reads the mailbox",
        )
        deliver(mailbox, mail())
        until(stored(), "the mail is read")
        assert Mailbox.objects.get(pk=mailbox.pk).lease_until is not None  # it idles
        process.send_signal(stop)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        print(log.read_text()[-3000:])  # shown if the test fails
    # Logged out and given back: the next start reads it at once, not in 5 minutes.
    assert Mailbox.objects.get(pk=mailbox.pk).lease_until is None
    assert process.returncode == status
    assert "Traceback" not in log.read_text()
