"""Every write of the mail app: a mail in, from whichever door it came.

``ingest_mail`` is the one path of the SMTP listener, the IMAP poller and
``tiski mail ingest``: the source is stored first and committed, then parsed, threaded
and handed to ``receive_messages``. A mail that cannot be processed stays stored,
marked failed with the reason, and ``retry_mail`` runs it again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.db import DatabaseError, connections, router, transaction
from django.utils.translation import gettext as _

from tiski.conversations.actions import mark_delivery
from tiski.conversations.models import DeliveryStatus, Direction, Message
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.rows import insert_rows, update_rows
from tiski.mail.models import RawMail, RawMailSource, RawMailStatus, Via, read_sources
from tiski.mail.outcomes import FINISHED_FIELDS, Ingested, MailRefused, finish, refused
from tiski.mail.parse import MailParseError, ParsedMail, parse_mail
from tiski.mail.recipients import desk_addresses
from tiski.mail.threads import MailThreadKeys
from tiski.mail.tokens import base_address
from tiski.mail.waves import WaitingMail, in_waves
from tiski.stores.models import Store

__all__ = [
    "BATCH_MAILS",
    "Ingested",
    "MailRefused",
    "MailSource",
    "ingest_batches",
    "ingest_mail",
    "ingest_mails",
    "process_raw_mail",
    "process_raw_mails",
    "retry_mail",
    "store_for_addresses",
    "store_raw_mail",
    "store_raw_mails",
    "support_addresses",
]

logger = logging.getLogger(__name__)

# Mails processed in one transaction: one commit per mail cost more than the rest of
# storing it, and a batch holds SQLite's writer lock for only a fraction of a second.
BATCH_MAILS = 50


@dataclass(frozen=True)
class MailSource:
    """A mail as it arrived, and how."""

    source: bytes
    via: str = Via.FILE
    store: Store | None = None
    envelope_to: Sequence[str] = ()


def ingest_mail(
    source: bytes,
    *,
    via: str = Via.FILE,
    store: Store | None = None,
    envelope_to: Sequence[str] = (),
) -> Ingested:
    """Store a raw mail, then process it. Never raises for a bad mail: a mail that
    cannot be processed comes back marked failed, with its error."""
    [result] = ingest_mails([MailSource(source, via, store, envelope_to)])
    return result


def ingest_mails(mails: Sequence[MailSource]) -> list[Ingested]:
    """Store many mails in one transaction, then process them together (an import, a
    mailbox's backlog): one result per mail, in order."""
    return process_raw_mails(store_raw_mails(mails))


def ingest_batches(batches: Iterable[Sequence[MailSource]]) -> Iterator[list[Ingested]]:
    """``ingest_mails`` for each of ``batches`` in turn (an import of many files).

    On PostgreSQL the next batch's sources are stored, on a connection of their own,
    while this batch is processed: storing them is mostly the server's work (compressing
    and writing megabytes), which then overlaps this process's parsing instead of adding
    to it. Each batch is still stored before it is parsed. SQLite has one writer at a
    time, so there the batches are simply taken one after the other.
    """
    connection = connections[router.db_for_write(RawMail)]
    # Inside a transaction the other connection could not see what it holds (a store
    # created in it, say): then one after the other too.
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        for batch in batches:
            yield ingest_mails(batch)
        return
    storer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tiski-mail-store")
    try:
        pending: Future[list[RawMail]] | None = None
        for batch in batches:
            stored = pending.result() if pending is not None else None
            pending = storer.submit(store_raw_mails, batch)
            if stored is not None:
                yield process_raw_mails(stored)
        if pending is not None:
            yield process_raw_mails(pending.result())
    finally:
        storer.submit(connections.close_all).result()
        storer.shutdown()


def store_raw_mail(
    source: bytes, *, via: str, store: Store | None = None, envelope_to: Sequence[str] = ()
) -> RawMail:
    """Keep the source exactly as it arrived, before anything reads it."""
    [raw] = store_raw_mails([MailSource(source, via, store, envelope_to)])
    return raw


@transaction.atomic
def store_raw_mails(mails: Sequence[MailSource]) -> list[RawMail]:
    """Keep the sources exactly as they arrived, committed before anything reads them."""
    for mail in mails:
        if mail.via not in Via.values:
            raise ValueError(f"unknown way in: {mail.via!r}")
    now = clock.now()
    raws = [
        RawMail(
            store=mail.store,
            via=mail.via,
            size=len(mail.source),
            envelope_to="\n".join(a.strip().lower() for a in mail.envelope_to),
            sha256=hashlib.sha256(mail.source).hexdigest(),
            received_at=now,
        )
        for mail in mails
    ]
    insert_rows(raws)
    # Not bulk_create: on PostgreSQL the sources then travel as bound bytes, where
    # bulk_create quotes megabytes into hex for the server to parse back.
    insert_rows(
        [
            RawMailSource(raw=raw, data=bytes(mail.source))
            for raw, mail in zip(raws, mails, strict=True)
        ]
    )
    for raw, mail in zip(raws, mails, strict=True):
        raw.keep_source(mail.source)
    return raws


def retry_mail(raw: RawMail) -> Ingested:
    """Process a stored mail again (after a fix, or after the database came back)."""
    if raw.status not in (RawMailStatus.FAILED, RawMailStatus.NEW):
        raise ActionError(_("Only a failed or unprocessed mail can be processed again."))
    return process_raw_mail(raw)


def process_raw_mail(raw: RawMail) -> Ingested:
    [result] = process_raw_mails([raw])
    return result


def process_raw_mails(raws: Sequence[RawMail]) -> list[Ingested]:
    """Parse stored mails, then thread and store them all in one transaction.

    One commit for the lot, and a constant number of statements for each wave of mails
    (see :mod:`tiski.mail.waves`), is most of what makes an import fast: per mail, a commit and
    the round trips cost more than the rest of storing it. The result is the same as
    processing the mails one after the other: a reply threads to a mail earlier in the
    same batch. If anything breaks the batch, its mails are processed one by one, so
    only the mail that cannot be stored is marked failed.
    """
    if len(raws) > BATCH_MAILS:
        # A long backlog: transactions of a bounded size (SQLite's writer is held).
        return [
            result
            for start in range(0, len(raws), BATCH_MAILS)
            for result in process_raw_mails(raws[start : start + BATCH_MAILS])
        ]
    if not raws:
        return []
    read_sources(raws)
    # Parsing takes no lock: done before the transaction, which holds SQLite's writer.
    parsed: list[ParsedMail | Exception] = []
    for raw in raws:
        raw.attempts += 1
        try:
            parsed.append(parse_mail(bytes(raw.source)))
        except MailParseError as exc:
            parsed.append(exc)
    try:
        with transaction.atomic():
            results = _process_batch(raws, parsed)
            update_rows([r.raw for r in results], FINISHED_FIELDS)
            return results
    except Exception as exc:
        for raw in raws:
            raw.attempts -= 1
        if len(raws) > 1:
            # The batch's transaction broke as a whole (a lost connection, a deadlock, a
            # bug one mail sets off): one by one, so that only that mail fails.
            logger.exception("a batch of %d mails failed; processing one by one", len(raws))
            return [result for raw in raws for result in process_raw_mails([raw])]
        logger.exception("could not process raw mail %s", raws[0].pk)
        raws[0].attempts += 1
        return [_failed(raws[0], f"{type(exc).__name__}: {exc}")]


def _process_batch(raws: Sequence[RawMail], parsed: list[ParsedMail | Exception]) -> list[Ingested]:
    # Looked up once a batch: every mail is checked against both.
    stores, desk = support_addresses(), desk_addresses()
    results: list[Ingested | None] = [None] * len(raws)
    waiting: list[WaitingMail] = []
    for index, (raw, mail) in enumerate(zip(raws, parsed, strict=True)):
        try:
            if isinstance(mail, Exception):
                raise mail
            outcome = _sort(index, raw, mail, stores, desk)
        except (MailParseError, MailRefused, ActionError) as exc:
            outcome = refused(raw, str(exc))
        if isinstance(outcome, WaitingMail):
            waiting.append(outcome)
        else:
            results[index] = outcome
    for index, ingested in in_waves(waiting, desk):
        results[index] = ingested
    return [result for result in results if result is not None]


def _sort(
    index: int, raw: RawMail, parsed: ParsedMail, stores: dict[str, Store], desk: set[str]
) -> WaitingMail | Ingested:
    """What becomes of a mail before threading: which store, and whether it is a
    bounce, our own mail coming back, or a mail to thread."""
    raw.message_id_header = parsed.message_id[:255]
    raw.sender = parsed.from_address[:255]
    raw.subject = parsed.subject[:300]
    recipients = [
        *raw.envelope_to.split(),
        *parsed.delivered_to,
        *(a for _n, a in parsed.to),
        *(a for _n, a in parsed.cc),
    ]
    store = raw.store or store_for_addresses(recipients, stores)
    if store is None and parsed.bounce is not None:
        # A bounce goes to the envelope sender, which may be no store's address.
        store = _store_of_message(parsed.bounce.original_message_id)
    if store is None:
        raise MailRefused(
            _("No store has any of these addresses: %(addresses)s")
            % {"addresses": ", ".join(sorted(set(recipients))) or "-"}
        )
    raw.store = store
    if parsed.bounce is not None:
        return _bounce(raw, parsed, store)
    if not parsed.from_address:
        raise MailRefused(_("The mail has no sender address."))
    if base_address(parsed.from_address) in desk:
        # Our own mail coming back (a forwarding loop): answering it would loop again.
        finish(raw, RawMailStatus.IGNORED, error=_("Sent from the desk's own address."))
        return Ingested(raw, parsed=parsed)
    keys = MailThreadKeys(
        recipients=recipients,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        subject=parsed.subject,
        sender=parsed.from_address,
    )
    return WaitingMail(index, raw, parsed, store, recipients, keys, parsed.from_address.lower())


def _failed(raw: RawMail, error: str) -> Ingested:
    """``_refused``, saved on its own: the batch that should have saved it broke."""
    refused(raw, error)
    try:
        with transaction.atomic():
            raw.save(update_fields=FINISHED_FIELDS)
    except DatabaseError:
        # Still "new" in the database: `tiski mail retry --failed` picks it up.
        logger.exception("could not mark raw mail %s failed", raw.pk)
    return Ingested(raw)


def support_addresses() -> dict[str, Store]:
    """Every store by its support address (without any ``+tag``), in one query."""
    # Oldest last, so that it wins if two stores were given the same address.
    stores = Store.objects.exclude(support_email="").order_by("-pk")
    return {base_address(store.support_email): store for store in stores}


def store_for_addresses(
    addresses: Sequence[str], stores: dict[str, Store] | None = None
) -> Store | None:
    """The store of the first of ``addresses`` that is a support address (or its
    reply address)."""
    stores = support_addresses() if stores is None else stores
    return next((stores[b] for b in map(base_address, addresses) if b in stores), None)


def _store_of_message(message_id: str) -> Store | None:
    if not message_id:
        return None
    found = (
        Message.objects.select_related("conversation__store")
        .filter(direction=Direction.OUT, external_id=message_id[:255])
        .exclude(external_id="")  # the partial index's condition (see threads.py)
        .first()
    )
    return found.conversation.store if found else None


def _bounce(raw: RawMail, parsed: ParsedMail, store: Store) -> Ingested:
    """A delivery failure report: the reply it reports on is marked failed."""
    bounce = parsed.bounce
    assert bounce is not None
    original = (
        Message.objects.select_related("conversation__store", "conversation__contact")
        .filter(
            conversation__store=store,
            direction=Direction.OUT,
            external_id=bounce.original_message_id[:255],
        )
        .exclude(external_id="")  # the partial index's condition (see threads.py)
        .first()
        if bounce.original_message_id
        else None
    )
    if original is not None and bounce.permanent:
        reason = bounce.diagnostic or bounce.status
        mark_delivery(
            original,
            status=DeliveryStatus.FAILED,
            error=_("The mail could not be delivered: %(reason)s") % {"reason": reason},
            actor=Actor.system("mail"),
        )
    finish(
        raw,
        RawMailStatus.BOUNCE,
        conversation=original.conversation if original else None,
        message=original,
    )
    return Ingested(raw, parsed=parsed)
