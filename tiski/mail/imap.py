"""Reading a store's mail from an IMAP mailbox.

A poll fetches every mail above the last UID it committed, stores each source together
with its UID (one transaction: never fetched twice, never skipped), then moves or flags
the fetched mail on the server, then processes the stored mails. If the server renumbers
the folder (a new UIDVALIDITY), reading starts again from the top; mails already stored
come back as duplicates by their Message-ID, so nothing is doubled.

The task worker reads each mailbox through a watcher (``tiski.mail.idle``): IDLE where
the server offers it, a poll every ``TISKI_IMAP_POLL_SECONDS`` where it does not. With
several workers, a lease on the mailbox row lets one of them read it at a time.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from tiski.core import clock
from tiski.mail.actions import Ingested, process_raw_mails, store_raw_mail
from tiski.mail.models import Mailbox, RawMail, Security, Via

logger = logging.getLogger(__name__)

# Set on mail that was fetched, where it stays in the folder (no processed folder).
FETCHED_KEYWORD = b"$TiskiFetched"
FETCH_AT_ONCE = 20
LEASE = timedelta(minutes=5)


@dataclass
class PollResult:
    mailbox: Mailbox
    fetched: int = 0
    results: list[Ingested] = field(default_factory=list)
    error: str = ""
    skipped: bool = False  # another worker holds the lease


def connect(mailbox: Mailbox, timeout: float = 30.0) -> IMAPClient:
    """Logged in, the folder selected (raises IMAPClientError or OSError)."""
    context = ssl.create_default_context()
    client = IMAPClient(
        mailbox.host,
        port=mailbox.port,
        ssl=mailbox.security == Security.SSL,
        ssl_context=context,
        timeout=timeout,
    )
    try:
        if mailbox.security == Security.STARTTLS:
            client.starttls(context)
        client.login(mailbox.username, mailbox.password)
    except Exception:
        client.shutdown()
        raise
    return client


def disconnect(client: IMAPClient, *, log_out: bool = True) -> None:
    """Log out, or just close the socket when the connection is already broken."""
    if log_out:
        try:
            client.logout()
            return
        except (IMAPClientError, OSError):
            pass  # broken: close it below
    with contextlib.suppress(OSError):  # closed already
        client.shutdown()


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class LeaseLost(Exception):
    """The mailbox was disabled, or another worker took it over after this one's lease
    ran out: stop reading it."""


@dataclass
class Lease:
    """This worker's turn at reading a mailbox.

    The time it ends is also its token: renewing it, committing a UID and giving it back
    only happen while the row still holds the time this worker wrote. A worker that
    stalled past its lease cannot write behind the back of the one that took over.
    """

    mailbox_id: int
    until: datetime

    @classmethod
    def claim(cls, mailbox: Mailbox) -> Lease | None:
        """The lease, unless another worker holds it or the mailbox is disabled."""
        now = timezone.now()
        until = now + LEASE
        claimed = (
            Mailbox.objects.filter(pk=mailbox.pk, enabled=True)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .update(lease_until=until)
        )
        return cls(mailbox.pk, until) if claimed == 1 else None

    def held(self) -> QuerySet[Mailbox]:
        """The mailbox's row, as long as this lease is still on it."""
        return Mailbox.objects.filter(pk=self.mailbox_id, lease_until=self.until)

    def renew(self) -> None:
        """Another ``LEASE`` from now; raises LeaseLost."""
        until = timezone.now() + LEASE
        if not self.held().filter(enabled=True).update(lease_until=until):
            raise LeaseLost(f"mailbox {self.mailbox_id}: disabled, or read by another worker")
        self.until = until

    def record(self, error: str) -> None:
        """Note that the mailbox was read (``error`` empty) or why it could not be."""
        self.held().update(last_polled_at=clock.now(), last_error=error[:2000])

    def release(self, error: str) -> None:
        """Give the mailbox back, with the last error; nothing if it was lost already."""
        self.held().update(lease_until=None, last_polled_at=clock.now(), last_error=error[:2000])


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """Fetch, store, move or flag, then process the mailbox's new mail."""
    result = PollResult(mailbox)
    lease = Lease.claim(mailbox)
    if lease is None:
        result.skipped = True
        return result
    raws: list[RawMail] = []
    try:
        client = connect(mailbox)
        try:
            fetch_new_mail(mailbox, client, lease, raws)
        finally:
            disconnect(client)
    except (IMAPClientError, OSError) as exc:  # timeouts and TLS errors are OSErrors
        # The server is down or refused us: the next poll tries again; what was
        # stored before the failure is kept and processed below.
        result.error = describe(exc)
        logger.warning("could not read %s: %s", mailbox, result.error)
    except LeaseLost as exc:
        # The worker that has it now records how its reading goes, not this one.
        result.error = describe(exc)
        logger.warning("stopped reading %s: %s", mailbox, result.error)
    finally:
        lease.release(result.error)
    result.fetched = len(raws)
    result.results = process_raw_mails(raws)
    return result


def fetch_new_mail(mailbox: Mailbox, client: IMAPClient, lease: Lease, raws: list[RawMail]) -> None:
    """Store the new mail into ``raws`` as it comes (what was stored stays there if
    the connection breaks halfway), then move or flag it on the server.

    Raises IMAPClientError or OSError (the server), LeaseLost (no longer this worker's
    mailbox: nothing more is stored).
    """
    selected = client.select_folder(mailbox.folder)
    validity = int(selected[b"UIDVALIDITY"])
    mailbox.refresh_from_db(fields=["uid_validity", "last_uid"])
    if mailbox.uid_validity != validity:
        # A new folder, or the server renumbered it: read it from the top.
        if not lease.held().update(uid_validity=validity, last_uid=0):
            raise LeaseLost(f"mailbox {mailbox.pk}: read by another worker")
        mailbox.uid_validity, mailbox.last_uid = validity, 0
    criteria: list[object] = ["UID", f"{mailbox.last_uid + 1}:*"]
    if not mailbox.processed_folder:
        criteria += ["UNKEYWORD", FETCHED_KEYWORD.decode()]
    # "n:*" always matches the newest mail, even below n: filter again.
    uids = sorted(uid for uid in client.search(criteria) if uid > mailbox.last_uid)
    for start in range(0, len(uids), FETCH_AT_ONCE):
        chunk = uids[start : start + FETCH_AT_ONCE]
        fetched = client.fetch(chunk, ["BODY.PEEK[]"])
        for uid in chunk:
            source = fetched.get(uid, {}).get(b"BODY[]")
            if source is None:
                continue  # expunged meanwhile by another client
            with transaction.atomic():
                # Committed with its UID only while the lease is still ours: a worker
                # that lost it cannot store a mail the new holder also fetches.
                if not lease.held().update(last_uid=uid):
                    raise LeaseLost(f"mailbox {mailbox.pk}: read by another worker")
                raws.append(store_raw_mail(bytes(source), via=Via.IMAP, store=mailbox.store))
            mailbox.last_uid = uid
        _put_away(mailbox, client, chunk)
        # A long backlog must not outlast the lease.
        lease.renew()


def _put_away(mailbox: Mailbox, client: IMAPClient, uids: list[int]) -> None:
    """Move fetched mail to the processed folder, or flag it where it is."""
    if mailbox.processed_folder:
        if not client.folder_exists(mailbox.processed_folder):
            client.create_folder(mailbox.processed_folder)
        if client.has_capability("MOVE"):
            client.move(uids, mailbox.processed_folder)
            return
        client.copy(uids, mailbox.processed_folder)
        client.delete_messages(uids)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:
            client.expunge()
        return
    client.add_flags(uids, [FETCHED_KEYWORD])
