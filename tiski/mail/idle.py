"""Watching the stores' IMAP mailboxes, told at once of new mail where the server can.

Every task worker (``tiski run``'s in-process one and each ``tiski worker``) runs
``MailboxWatchers``: a thread per enabled mailbox, brought in step with the database
every ``SYNC_SECONDS``. A ``MailboxWatcher``'s turn:

1. claim the mailbox's lease (held by another worker: try again after
   ``TISKI_IMAP_POLL_SECONDS``), connect, and read what is new, the poll's own way
   (``fetch_new_mail``: each source committed with its UID, moved or flagged, processed);
2. with IDLE, stay connected: IDLE until the server announces mail (EXISTS or RECENT),
   or for ``TISKI_IMAP_IDLE_SECONDS`` at most, then read again and IDLE again. The lease
   is renewed every ``CHECK_SECONDS`` meanwhile, when the mailbox's settings are also
   looked at again: changed, the watcher reconnects; disabled, it stops;
3. without IDLE, log out and come again after ``TISKI_IMAP_POLL_SECONDS``: a poll.

An error (server down, login refused, connection dropped) is recorded on the mailbox
(``last_error``) and the watcher reconnects after ``BACKOFF`` seconds, doubling each
time up to the second figure. The next successful read clears the error.
"""

from __future__ import annotations

import enum
import logging
import select
import socket
import threading
import time
from collections import deque
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from tiski.mail.actions import process_raw_mails
from tiski.mail.imap import (
    LEASE,
    Lease,
    LeaseLost,
    connect,
    describe,
    disconnect,
    fetch_new_mail,
)
from tiski.mail.models import Mailbox, RawMail

logger = logging.getLogger(__name__)

# Seconds between renewals of the lease while idling, well inside the lease.
CHECK_SECONDS = LEASE.total_seconds() / 5
# How long one wait for the server's word lasts before a stop is looked for.
WAIT_SLICE = 1.0
# First and longest wait before reconnecting after an error.
BACKOFF = (5.0, 300.0)
# How often the mailboxes to watch are looked up (added, disabled, changed ones).
SYNC_SECONDS = 30.0

# What a connection depends on: a change means connecting again.
_CONNECTION = ("host", "port", "security", "username", "password", "folder", "processed_folder")
_NEW_MAIL = (b"EXISTS", b"RECENT")


class ServerHungUp(ConnectionError):
    """The server ended the connection while the watcher idled."""


class Outcome(enum.Enum):
    GONE = "gone"  # deleted or disabled: the watcher ends
    STOPPED = "stopped"  # told to stop
    POLL = "poll"  # no IDLE on the server: read again after the poll interval
    BUSY = "busy"  # another worker reads it: ask again after the poll interval
    CHANGED = "changed"  # its settings changed: connect again at once
    FAILED = "failed"  # an error: connect again after the backoff


def _signature(mailbox: Mailbox) -> tuple[Any, ...]:
    return tuple(getattr(mailbox, name) for name in _CONNECTION)


def _hung_up(client: IMAPClient) -> bool:
    """Whether the server closed the connection.

    ``idle_check`` swallows the end of the stream and answers "nothing new", as a quiet
    server does; a look at the socket itself tells them apart. Readable with nothing to
    read is the end. The plain socket's recv, also under TLS: only whether bytes or the
    end are there matters, not what they say.
    """
    sock = client.socket()
    # poll, not select: a web process with thousands of sockets has descriptors above
    # select's limit of 1024.
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    try:
        if not poller.poll(0):
            return False  # quiet
        return socket.socket.recv(sock, 1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, TimeoutError):
        return False
    except OSError:  # reset by the peer, or closed
        return True


def _announced(client: IMAPClient) -> bool:
    """Whether the server announced new mail during the read, after its SELECT.

    A mail that arrives between the read's SEARCH and the IDLE is announced once, in the
    answer to whatever command comes next (a FETCH, a STORE), and not again in the IDLE:
    idling now would leave it waiting for the next read. imaplib keeps such unsolicited
    EXISTS counts; SELECT starts the list afresh with the folder's count.
    """
    untagged = getattr(getattr(client, "_imap", None), "untagged_responses", {})
    return len(untagged.get("EXISTS", ())) > 1


class MailboxWatcher(threading.Thread):
    """Reads one mailbox for as long as it is enabled (see the module's docstring)."""

    def __init__(self, mailbox_id: int, *, backoff: tuple[float, float] = BACKOFF) -> None:
        super().__init__(name=f"tiski-imap-{mailbox_id}", daemon=True)
        self.mailbox_id = mailbox_id
        self.backoff = backoff
        # The connection settings of the latest turn, to notice they changed.
        self.signature: tuple[Any, ...] | None = None
        self._stopping = False
        self._wake = threading.Event()
        # What it did, for the log and the tests.
        self.sessions = 0  # turns it held the lease and tried to connect
        self.reads = 0  # reads of new mail that went through
        self.idles = 0  # IDLE commands
        self.skipped = 0  # turns another worker held the lease
        self.errors: deque[str] = deque(maxlen=20)
        self._idling = False

    def stop(self) -> None:
        """End the watching soon (within ``WAIT_SLICE`` while idling); does not wait."""
        self._stopping = True
        self._wake.set()

    def wake(self) -> None:
        """Cut a wait short: the mailbox's settings changed."""
        self._wake.set()

    def run(self) -> None:
        failures = 0
        try:
            while not self._stopping:
                try:
                    outcome = self._turn()
                except Exception:
                    # A broken database or a bug: the thread must go on all the same.
                    logger.exception("watching IMAP mailbox %s failed", self.mailbox_id)
                    outcome = Outcome.FAILED
                finally:
                    close_old_connections()
                if outcome in (Outcome.GONE, Outcome.STOPPED):
                    return
                failures = failures + 1 if outcome is Outcome.FAILED else 0
                self._wait(self._delay(outcome, failures))
        finally:
            # This thread's own connection, not to be left open until the process ends.
            connections.close_all()

    def _delay(self, outcome: Outcome, failures: int) -> float:
        if outcome is Outcome.FAILED:
            first, longest = self.backoff
            return float(min(first * 2 ** (failures - 1), longest))
        if outcome is Outcome.CHANGED:
            return 0.0
        return settings.IMAP_POLL_SECONDS

    def _wait(self, seconds: float) -> None:
        if seconds > 0 and not self._stopping:
            self._wake.wait(seconds)
        self._wake.clear()

    def _turn(self) -> Outcome:
        mailbox = (
            Mailbox.objects.select_related("store").filter(pk=self.mailbox_id, enabled=True).first()
        )
        if mailbox is None:
            return Outcome.GONE
        self.signature = _signature(mailbox)
        lease = Lease.claim(mailbox)
        if lease is None:
            self.skipped += 1
            return Outcome.BUSY
        self.sessions += 1
        error = ""
        try:
            return self._session(mailbox, lease)
        except (IMAPClientError, OSError) as exc:  # OSError: refused, timeouts, TLS
            error = describe(exc)
            self.errors.append(error)
            logger.warning("could not read %s: %s", mailbox, error)
            return Outcome.FAILED
        except LeaseLost as exc:
            logger.warning("stopped reading %s: %s", mailbox, describe(exc))
            return Outcome.BUSY
        finally:
            lease.release(error)

    def _session(self, mailbox: Mailbox, lease: Lease) -> Outcome:
        client = connect(mailbox)
        try:
            self._read(mailbox, client, lease)
            if not client.has_capability("IDLE"):
                return Outcome.POLL
            return self._idle(mailbox, client, lease)
        finally:
            # Still in IDLE after an error: a LOGOUT now would only be refused.
            disconnect(client, log_out=not self._idling)
            self._idling = False

    def _read(self, mailbox: Mailbox, client: IMAPClient, lease: Lease) -> None:
        """The poll's read: new mail stored with its UID, put away, then processed."""
        raws: list[RawMail] = []
        try:
            fetch_new_mail(mailbox, client, lease, raws)
        finally:
            # Also after an error: what was stored is processed now, not at the next read.
            process_raw_mails(raws)
        lease.record("")
        self.reads += 1
        # Idling can last long: hold no database connection meanwhile.
        close_old_connections()

    def _idle(self, mailbox: Mailbox, client: IMAPClient, lease: Lease) -> Outcome:
        checked = time.monotonic()
        while True:
            while _announced(client):
                self._read(mailbox, client, lease)
            client.idle()
            self._idling = True
            self.idles += 1
            started = time.monotonic()
            news = False
            outcome: Outcome | None = None
            while not news and time.monotonic() - started < settings.IMAP_IDLE_SECONDS:
                if self._stopping:
                    outcome = Outcome.STOPPED
                    break
                if time.monotonic() - checked >= CHECK_SECONDS:
                    outcome = self._check(lease)
                    if outcome is not None:
                        break
                    checked = time.monotonic()
                news = self._news(client)
            client.idle_done()
            self._idling = False
            if outcome is not None:
                return outcome
            # On news, and at the end of every IDLE in case a word was missed.
            self._read(mailbox, client, lease)

    def _news(self, client: IMAPClient) -> bool:
        """Whether the server announced new mail within ``WAIT_SLICE``."""
        responses = client.idle_check(timeout=WAIT_SLICE)
        if not responses and _hung_up(client):
            raise ServerHungUp("the server closed the connection")
        for response in responses:
            if response[0] == b"BYE":
                said = b" ".join(part for part in response[1:] if isinstance(part, bytes))
                raise ServerHungUp(
                    f"the server closed the connection: {said.decode(errors='replace')}"
                )
        return any(len(r) > 1 and r[1] in _NEW_MAIL for r in responses)

    def _check(self, lease: Lease) -> Outcome | None:
        """Renew the lease, unless the mailbox is gone or its settings changed."""
        try:
            mailbox = Mailbox.objects.filter(pk=self.mailbox_id, enabled=True).first()
            if mailbox is None:
                return Outcome.GONE
            if _signature(mailbox) != self.signature:
                return Outcome.CHANGED
            lease.renew()
            return None
        finally:
            close_old_connections()


class MailboxWatchers(threading.Thread):
    """A watcher for every enabled mailbox, kept in step with the database."""

    def __init__(
        self, *, every: float = SYNC_SECONDS, backoff: tuple[float, float] = BACKOFF
    ) -> None:
        super().__init__(name="tiski-imap-watchers", daemon=True)
        self.every = every
        self.backoff = backoff
        self.watchers: dict[int, MailboxWatcher] = {}
        self._stopping = threading.Event()

    def sync(self) -> None:
        """Start watchers for new mailboxes, stop those of disabled or deleted ones."""
        wanted = {
            mailbox.pk: _signature(mailbox) for mailbox in Mailbox.objects.filter(enabled=True)
        }
        for pk, watcher in list(self.watchers.items()):
            if pk not in wanted or not watcher.is_alive():
                watcher.stop()
                del self.watchers[pk]
            elif watcher.signature not in (None, wanted[pk]):
                watcher.wake()  # a corrected password need not wait out a backoff
        for pk in wanted:
            if pk not in self.watchers and not self._stopping.is_set():
                watcher = MailboxWatcher(pk, backoff=self.backoff)
                self.watchers[pk] = watcher
                watcher.start()

    def run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self.sync()
                except Exception:
                    logger.exception("could not look up the IMAP mailboxes")
                finally:
                    close_old_connections()
                self._stopping.wait(self.every)
        finally:
            for watcher in self.watchers.values():
                watcher.stop()
            connections.close_all()

    def stop(self) -> None:
        """Tell every watcher to stop; does not wait (``join`` does)."""
        self._stopping.set()
        for watcher in list(self.watchers.values()):
            watcher.stop()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the watchers to log out and give their mailboxes back."""
        deadline = None if timeout is None else time.monotonic() + timeout

        def left() -> float | None:
            return None if deadline is None else max(0.0, deadline - time.monotonic())

        for watcher in list(self.watchers.values()):
            watcher.join(left())
        if self.ident is not None:  # started
            super().join(left())
