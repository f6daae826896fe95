"""Every write of the mail app: a mail in, from whichever door it came.

``ingest_mail`` is the one path of the SMTP listener, the IMAP poller and
``tiski mail ingest``: the source is stored first and committed, then parsed, threaded
and handed to ``receive_messages``. A mail that cannot be processed stays stored,
marked failed with the reason, and ``retry_mail`` runs it again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.contacts.queries import identity_owners
from tiski.conversations.actions import InboundMessage, mark_delivery, receive_messages
from tiski.conversations.models import (
    UNRESOLVED,
    Channel,
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
)
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.rows import update_rows
from tiski.mail.bodies import message_bodies, message_files
from tiski.mail.models import RawMail, RawMailStatus, Via
from tiski.mail.parse import MailParseError, ParsedMail, parse_mail
from tiski.mail.received import after_received
from tiski.mail.recipients import desk_addresses
from tiski.mail.threads import (
    MailThreadKeys,
    find_threads,
    normalize_subject,
    open_with_same_subject,
)
from tiski.mail.tokens import base_address
from tiski.stores.models import Store

logger = logging.getLogger(__name__)

# A customer writing again about the same subject within this many days, without any
# header that threads it, continues their open conversation.
SAME_SUBJECT_DAYS = 30
_LANGUAGES = {code for code, _name in settings.LANGUAGES}
# Mails processed in one transaction: one commit per mail cost more than the rest of
# storing it, and a batch holds SQLite's writer lock for only a fraction of a second.
BATCH_MAILS = 50


class MailRefused(Exception):
    """The mail is stored but cannot become a message; the text says why."""


@dataclass(frozen=True)
class Ingested:
    raw: RawMail
    # What the agent reads: the new text, without the quoted history.
    text: str = ""
    parsed: ParsedMail | None = None

    @property
    def status(self) -> str:
        return self.raw.status


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
            source=bytes(mail.source),
            size=len(mail.source),
            envelope_to="\n".join(a.strip().lower() for a in mail.envelope_to),
            sha256=hashlib.sha256(mail.source).hexdigest(),
            received_at=now,
        )
        for mail in mails
    ]
    return RawMail.objects.bulk_create(raws)


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
    (see ``_in_waves``), is most of what makes an import fast: per mail, a commit and
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
            update_rows([r.raw for r in results], _FINISHED_FIELDS)
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


@dataclass
class _Mail:
    """One mail on its way into a conversation."""

    index: int
    raw: RawMail
    parsed: ParsedMail
    store: Store
    recipients: list[str]
    keys: MailThreadKeys
    sender: str
    # Who wrote it: their contact's id, or their address when they are new.
    writer: tuple[int, str] = (0, "")
    # Where the threading rules placed it, and where it goes: that conversation, the
    # sender's open one with the same subject, a new one (None).
    found: Conversation | None = None
    conversation: Conversation | None = None
    by_subject: bool = False


def _process_batch(raws: Sequence[RawMail], parsed: list[ParsedMail | Exception]) -> list[Ingested]:
    # Looked up once a batch: every mail is checked against both.
    stores, desk = support_addresses(), desk_addresses()
    results: list[Ingested | None] = [None] * len(raws)
    waiting: list[_Mail] = []
    for index, (raw, mail) in enumerate(zip(raws, parsed, strict=True)):
        try:
            if isinstance(mail, Exception):
                raise mail
            outcome = _sort(index, raw, mail, stores, desk)
        except (MailParseError, MailRefused, ActionError) as exc:
            outcome = _refused(raw, str(exc))
        if isinstance(outcome, _Mail):
            waiting.append(outcome)
        else:
            results[index] = outcome
    for index, ingested in _in_waves(waiting, desk):
        results[index] = ingested
    return [result for result in results if result is not None]


def _sort(
    index: int, raw: RawMail, parsed: ParsedMail, stores: dict[str, Store], desk: set[str]
) -> _Mail | Ingested:
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
        _finish(raw, RawMailStatus.IGNORED, error=_("Sent from the desk's own address."))
        return Ingested(raw, parsed=parsed)
    keys = MailThreadKeys(
        recipients=recipients,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        subject=parsed.subject,
        sender=parsed.from_address,
    )
    return _Mail(index, raw, parsed, store, recipients, keys, parsed.from_address.lower())


def _in_waves(mails: list[_Mail], desk: set[str]) -> list[tuple[int, Ingested]]:
    """Thread and store ``mails`` in waves of mails that cannot see each other.

    A mail waits for the next wave when an earlier mail still waiting could change where
    it goes: one from the same person (it may open the conversation this one joins by
    subject), one whose Message-ID it answers, one bound for the same conversation
    (which that mail may reopen), or, for a mail placed by its subject, one that reopens
    a conversation. Each wave reads what the ones before it stored, so the outcome is
    that of storing the mails one after the other.
    """
    results: list[tuple[int, Ingested]] = []
    while mails:
        wave, later = _next_wave(mails)
        kept: list[_Mail] = []
        touched: set[int] = set()
        reopening = False
        for mail in wave:
            bound = {c.pk for c in (mail.found, mail.conversation) if c is not None}
            if bound & touched or (mail.by_subject and reopening):
                later.append(mail)
            else:
                kept.append(mail)
                found = mail.found
                reopening |= found is not None and found.status not in UNRESOLVED
            touched |= bound
        results.extend(_store_wave(kept, desk))
        mails = sorted(later, key=lambda m: m.index)
    return results


def _next_wave(mails: list[_Mail]) -> tuple[list[_Mail], list[_Mail]]:
    """The mails no earlier one decides for, each placed in its conversation."""
    _know_writers(mails)
    wave: list[_Mail] = []
    later: list[_Mail] = []
    writers: set[tuple[int, str]] = set()
    message_ids: set[str] = set()
    for mail in mails:
        if mail.writer in writers or message_ids.intersection(mail.keys.message_ids()):
            later.append(mail)
        else:
            wave.append(mail)
        writers.add(mail.writer)
        if mail.parsed.message_id:
            message_ids.add(mail.parsed.message_id[:255])
    by_store: dict[int, list[_Mail]] = {}
    for mail in wave:
        by_store.setdefault(mail.store.pk, []).append(mail)
    for group in by_store.values():
        _place(group[0].store, group)
    return wave, later


def _know_writers(mails: list[_Mail]) -> None:
    """Who wrote each mail: two addresses of one customer are one writer."""
    by_store: dict[int, list[_Mail]] = {}
    for mail in mails:
        by_store.setdefault(mail.store.pk, []).append(mail)
    for store_id, group in by_store.items():
        owners = identity_owners(
            store_id, sorted({(IdentityKind.EMAIL, mail.sender) for mail in group})
        )
        for mail in group:
            contact_id = owners.get((IdentityKind.EMAIL, mail.sender))
            mail.writer = (store_id, str(contact_id) if contact_id else mail.sender)


def _place(store: Store, mails: list[_Mail]) -> None:
    """Find each mail's conversation by the threading rules, then by subject."""
    threads = find_threads(store, [mail.keys for mail in mails])
    unplaced: list[_Mail] = []
    for mail, thread in zip(mails, threads, strict=True):
        conversation = mail.found = thread.conversation
        auto = mail.parsed.auto_submitted
        if (
            conversation is not None
            and conversation.status not in UNRESOLVED
            and not auto
            and normalize_subject(mail.parsed.subject) != normalize_subject(conversation.subject)
        ):
            # Back after the matter was closed, about something else: a new matter.
            conversation = None
        elif conversation is None and not auto:
            unplaced.append(mail)
            mail.by_subject = True
        mail.conversation = conversation
    since = clock.now() - timedelta(days=SAME_SUBJECT_DAYS)
    same = open_with_same_subject(
        store, [(mail.sender, mail.parsed.subject) for mail in unplaced], since=since
    )
    for mail, conversation in zip(unplaced, same, strict=True):
        mail.conversation = conversation


def _store_wave(mails: list[_Mail], desk: set[str]) -> list[tuple[int, Ingested]]:
    results: list[tuple[int, Ingested]] = []
    storing: list[_Mail] = []
    for mail in mails:
        if mail.conversation is None and mail.parsed.auto_submitted:
            _finish(
                mail.raw,
                RawMailStatus.IGNORED,
                error=_("An automatic mail that answers no conversation."),
            )
            results.append((mail.index, Ingested(mail.raw, parsed=mail.parsed)))
        else:
            storing.append(mail)
    outcomes = receive_messages([_inbound(mail) for mail in storing])
    for mail, outcome in zip(storing, outcomes, strict=True):
        if isinstance(outcome, ActionError):
            results.append((mail.index, _refused(mail.raw, str(outcome))))
            continue
        status = (
            RawMailStatus.DUPLICATE
            if outcome.duplicate
            else RawMailStatus.CREATED
            if outcome.created_conversation
            else RawMailStatus.APPENDED
        )
        # Its Cc kept, a new conversation acknowledged: in this transaction, with the
        # message.
        after_received(outcome, mail.parsed, mail.raw, desk)
        _finish(mail.raw, status, conversation=outcome.conversation, message=outcome.message)
        ingested = Ingested(mail.raw, text=outcome.message.body_text, parsed=mail.parsed)
        results.append((mail.index, ingested))
    return results


def _inbound(mail: _Mail) -> InboundMessage:
    parsed = mail.parsed
    text, html = message_bodies(parsed)
    return InboundMessage(
        store=mail.store,
        channel=Channel.EMAIL,
        sender=[IdentityInput(IdentityKind.EMAIL, parsed.from_address)],
        text=text,
        html=html,
        sender_name=parsed.from_name,
        subject=parsed.subject,
        language=parsed.language if parsed.language in _LANGUAGES else "",
        external_id=parsed.message_id or f"sha256:{mail.raw.sha256}",
        conversation=mail.conversation,
        attachments=message_files(parsed),
        received_at=mail.raw.received_at,
        new_thread=mail.conversation is None,
        reopens=not parsed.auto_submitted,
    )


def _refused(raw: RawMail, error: str) -> Ingested:
    """A mail that cannot become a message: failed, with the reason, for an admin."""
    raw.status = RawMailStatus.FAILED
    raw.error = error[:2000]
    raw.conversation = raw.message = None
    raw.processed_at = clock.now()
    return Ingested(raw)


def _failed(raw: RawMail, error: str) -> Ingested:
    """``_refused``, saved on its own: the batch that should have saved it broke."""
    _refused(raw, error)
    try:
        with transaction.atomic():
            raw.save(update_fields=_FINISHED_FIELDS)
    except DatabaseError:
        # Still "new" in the database: `tiski mail retry --failed` picks it up.
        logger.exception("could not mark raw mail %s failed", raw.pk)
    return Ingested(raw)


# Saved for every mail of a batch at its end, in one statement; never the source, which
# is written once (re-sending it cost more than the rest of the update).
_FINISHED_FIELDS = (
    *("store", "message_id_header", "sender", "subject"),
    *("status", "error", "attempts", "processed_at", "conversation", "message"),
)


def _finish(raw: RawMail, status: str, **fields: object) -> None:
    raw.status = status
    raw.error = str(fields.pop("error", ""))
    for name, value in fields.items():
        setattr(raw, name, value)
    raw.processed_at = clock.now()


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
    _finish(
        raw,
        RawMailStatus.BOUNCE,
        conversation=original.conversation if original else None,
        message=original,
    )
    return Ingested(raw, parsed=parsed)
