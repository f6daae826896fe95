"""Reading a store's mail from an IMAP mailbox.

A poll fetches every mail above the last UID it committed, stores each source together
with its UID (one transaction: never fetched twice, never skipped), then moves or flags
the fetched mail on the server, then processes the stored mails. If the server renumbers
the folder (a new UIDVALIDITY), reading starts again from the top; mails already stored
come back as duplicates by their Message-ID, so nothing is doubled.

Polls run from the task worker's scheduler every ``TISKI_IMAP_POLL_SECONDS``; with
several workers, a lease on the mailbox row lets one of them poll it at a time.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from tiski.core import clock
from tiski.mail.actions import Ingested, process_raw_mail, store_raw_mail
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


def _claim(mailbox: Mailbox) -> bool:
    now = clock.now()
    claimed = (
        Mailbox.objects.filter(pk=mailbox.pk, enabled=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )
    return claimed == 1


def _release(mailbox: Mailbox, error: str) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(
        lease_until=None, last_polled_at=clock.now(), last_error=error[:2000]
    )


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """Fetch, store, move or flag, then process the mailbox's new mail."""
    result = PollResult(mailbox)
    if not _claim(mailbox):
        result.skipped = True
        return result
    raws: list[RawMail] = []
    try:
        client = connect(mailbox)
        try:
            _fetch(mailbox, client, raws)
        finally:
            client.logout()
    except (IMAPClientError, OSError) as exc:  # timeouts and TLS errors are OSErrors
        # The server is down or refused us: the next poll tries again; what was
        # stored before the failure is kept and processed below.
        result.error = f"{type(exc).__name__}: {exc}"
        logger.warning("could not read %s: %s", mailbox, result.error)
    finally:
        _release(mailbox, result.error)
    result.fetched = len(raws)
    result.results = [process_raw_mail(raw) for raw in raws]
    return result


def _fetch(mailbox: Mailbox, client: IMAPClient, raws: list[RawMail]) -> None:
    """Store the new mail into ``raws`` as it comes (what was stored stays there if
    the connection breaks halfway)."""
    selected = client.select_folder(mailbox.folder)
    validity = int(selected[b"UIDVALIDITY"])
    mailbox.refresh_from_db(fields=["uid_validity", "last_uid"])
    if mailbox.uid_validity != validity:
        # A new folder, or the server renumbered it: read it from the top.
        mailbox.uid_validity, mailbox.last_uid = validity, 0
        Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
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
                raws.append(store_raw_mail(bytes(source), via=Via.IMAP, store=mailbox.store))
                Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)
            mailbox.last_uid = uid
        _put_away(mailbox, client, chunk)


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


def poll_all() -> list[PollResult]:
    """One poll of every enabled mailbox (the scheduler's job)."""
    return [
        poll_mailbox(mailbox)
        for mailbox in Mailbox.objects.filter(enabled=True).select_related("store")
    ]
