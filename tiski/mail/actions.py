"""Every write of the mail app: a mail in, from whichever door it came.

``ingest_mail`` is the one path of the SMTP listener, the IMAP poller and
``tiski mail ingest``: the source is stored first and committed, then parsed, threaded
and handed to ``receive_message``. A mail that cannot be processed stays stored,
marked failed with the reason, and ``retry_mail`` runs it again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.utils.translation import gettext as _

from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import ContactIdentity, IdentityKind
from tiski.conversations.actions import InboundMessage, mark_delivery, receive_message
from tiski.conversations.attachments import MAX_ATTACHMENTS_PER_MESSAGE, IncomingFile
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
from tiski.core.html import html_to_text, sanitize_html, text_to_html
from tiski.core.rows import in_params, in_sql, update_rows
from tiski.mail.models import RawMail, RawMailStatus, Via
from tiski.mail.parse import MailParseError, ParsedMail, parse_mail
from tiski.mail.quotes import split_html, split_text
from tiski.mail.received import after_received
from tiski.mail.recipients import desk_addresses
from tiski.mail.threads import find_thread, load_conversation, normalize_subject
from tiski.mail.tokens import base_address
from tiski.stores.models import Store

logger = logging.getLogger(__name__)

# Folds the quoted history under the new text; a sign, not words, so it reads the same
# to every agent whatever the language of the mail.
QUOTED_SUMMARY = "\u2022\u2022\u2022"
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

    Each mail has a savepoint of its own: one that fails is rolled back alone and marked
    failed, and the others are kept. One commit for the lot is most of what makes an
    import fast (a commit cost more than the rest of a mail's writes). Mails are handled
    in order, each seeing what the ones before it stored, so a reply threads to a mail
    earlier in the same batch.
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
            # Looked up once a batch: every mail is checked against both.
            stores, desk = support_addresses(), desk_addresses()
            return [
                _process_one(raw, mail, stores, desk)
                for raw, mail in zip(raws, parsed, strict=True)
            ]
    except Exception as exc:
        if len(raws) > 1:
            # The batch's transaction broke as a whole (a lost connection, a deadlock):
            # one by one, so that only the mail that cannot be stored is marked failed.
            logger.exception("a batch of %d mails failed; processing one by one", len(raws))
            for raw in raws:
                raw.attempts -= 1
            return [result for raw in raws for result in process_raw_mails([raw])]
        logger.exception("could not process raw mail %s", raws[0].pk)
        return [_failed(raws[0], f"{type(exc).__name__}: {exc}")]


def _process_one(
    raw: RawMail, parsed: ParsedMail | Exception, stores: dict[str, Store], desk: set[str]
) -> Ingested:
    try:
        with transaction.atomic():
            if isinstance(parsed, Exception):
                raise parsed
            return _process(raw, parsed, stores, desk)
    except (MailParseError, MailRefused, ActionError) as exc:
        error = str(exc)
    except DatabaseError:
        # The savepoint is gone and the connection may be too: the batch decides.
        raise
    except Exception as exc:
        # A bug: the mail stays, the trace goes to the log.
        logger.exception("could not process raw mail %s", raw.pk)
        error = f"{type(exc).__name__}: {exc}"
    return _failed(raw, error)


def _failed(raw: RawMail, error: str) -> Ingested:
    raw.status = RawMailStatus.FAILED
    raw.error = error[:2000]
    raw.conversation = raw.message = None
    raw.processed_at = clock.now()
    try:
        with transaction.atomic():
            raw.save(update_fields=_PROCESSED_FIELDS)
    except DatabaseError:
        # Still "new" in the database: `tiski mail retry --failed` picks it up.
        logger.exception("could not mark raw mail %s failed", raw.pk)
    return Ingested(raw)


_PROCESSED_FIELDS = (
    *("store", "message_id_header", "sender", "subject"),
    *("status", "error", "attempts", "processed_at"),
)


def _finish(raw: RawMail, status: str, **fields: object) -> None:
    raw.status = status
    raw.error = str(fields.pop("error", ""))
    for name, value in fields.items():
        setattr(raw, name, value)
    raw.processed_at = clock.now()
    # Everything but the source, which is written once (re-sending it cost more than
    # the rest of the update); not .save(), whose UPDATE cost more to build than to run.
    update_rows([raw], [*_PROCESSED_FIELDS, *fields])


def _process(
    raw: RawMail, parsed: ParsedMail, stores: dict[str, Store], desk: set[str]
) -> Ingested:
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
    sender = base_address(parsed.from_address)
    if sender in desk:
        # Our own mail coming back (a forwarding loop): answering it would loop again.
        _finish(raw, RawMailStatus.IGNORED, error=_("Sent from the desk's own address."))
        return Ingested(raw, parsed=parsed)

    thread = find_thread(
        store,
        recipients=recipients,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        subject=parsed.subject,
        sender=parsed.from_address,
    )
    conversation = thread.conversation
    if (
        conversation is not None
        and conversation.status not in UNRESOLVED
        and not parsed.auto_submitted
        and normalize_subject(parsed.subject) != normalize_subject(conversation.subject)
    ):
        # Back after the matter was closed, about something else: a new matter.
        conversation = None
    elif conversation is None and not parsed.auto_submitted:
        conversation = _open_with_same_subject(store, parsed)
    if conversation is None and parsed.auto_submitted:
        _finish(
            raw,
            RawMailStatus.IGNORED,
            error=_("An automatic mail that answers no conversation."),
        )
        return Ingested(raw, parsed=parsed)

    text, html = _bodies(parsed)
    received = receive_message(
        InboundMessage(
            store=store,
            channel=Channel.EMAIL,
            sender=[IdentityInput(IdentityKind.EMAIL, parsed.from_address)],
            text=text,
            html=html,
            sender_name=parsed.from_name,
            subject=parsed.subject,
            language=parsed.language if parsed.language in _LANGUAGES else "",
            external_id=parsed.message_id or f"sha256:{raw.sha256}",
            conversation=conversation,
            attachments=_files(parsed),
            received_at=raw.received_at,
            new_thread=conversation is None,
            reopens=not parsed.auto_submitted,
        )
    )
    status = (
        RawMailStatus.DUPLICATE
        if received.duplicate
        else RawMailStatus.CREATED
        if received.created_conversation
        else RawMailStatus.APPENDED
    )
    # Its Cc kept, a new conversation acknowledged: in this transaction, with the message.
    after_received(received, parsed, raw, desk)
    _finish(raw, status, conversation=received.conversation, message=received.message)
    return Ingested(raw, text=received.message.body_text, parsed=parsed)


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


def _open_with_same_subject(store: Store, parsed: ParsedMail) -> Conversation | None:
    """The sender's open email conversation about the same subject, if recent: a
    client that dropped the thread's headers should not split the matter in two."""
    subject = normalize_subject(parsed.subject)
    if not subject:
        return None
    since = clock.now() - timedelta(days=SAME_SUBJECT_DAYS)
    for pk, candidate in _open_email_subjects(store, parsed.from_address, since):
        if normalize_subject(candidate) == subject:
            return load_conversation(store, pk)
    return None


@cache
def _open_email_subjects_sql(alias: str) -> str:
    connection = connections[alias]
    q = connection.ops.quote_name
    conversation, identity = q(Conversation._meta.db_table), q(ContactIdentity._meta.db_table)
    status = in_sql(connection, "c." + q("status"), len(UNRESOLVED))
    return (
        f"SELECT c.{q('id')}, c.{q('subject')} FROM {identity} i "  # noqa: S608 (names come from the models)
        f"JOIN {conversation} c ON c.{q('contact_id')} = i.{q('contact_id')} "
        f"WHERE i.{q('store_id')} = %s AND i.{q('kind')} = %s AND i.{q('value')} = %s "
        f"AND c.{q('store_id')} = %s AND c.{q('channel')} = %s "
        f"AND {status} "
        f"AND c.{q('last_message_at')} >= %s AND c.{q('merged_into_id')} IS NULL"
    )


def _open_email_subjects(store: Store, sender: str, since: datetime) -> list[tuple[int, str]]:
    """(id, subject) of the sender's unresolved email conversations active since
    ``since``: one plain query, where the ORM took two and compiled both per mail."""
    connection = connections[router.db_for_read(Conversation)]
    when = Conversation._meta.get_field("last_message_at").get_db_prep_value(
        since, connection, prepared=False
    )
    params = [
        *(store.pk, IdentityKind.EMAIL, sender, store.pk, Channel.EMAIL),
        *in_params(connection, list(UNRESOLVED)),
        when,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_open_email_subjects_sql(connection.alias), params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _bodies(parsed: ParsedMail) -> tuple[str, str]:
    """The new text, and HTML with the quoted history folded under it."""
    text = split_text(parsed.text)
    if parsed.html:
        html = split_html(parsed.html)
        new_html, quoted_html = html.new, html.quoted
    else:
        new_html, quoted_html = text_to_html(text.new), text_to_html(text.quoted)
    new_text = text.new.strip()
    if not new_text and not parsed.attachments:
        # Only a subject: the subject is what the customer said.
        new_text = parsed.subject.strip()
        if not html_to_text(new_html).strip():
            new_html = text_to_html(new_text)
    if quoted_html.strip():
        new_html += f"<details><summary>{QUOTED_SUMMARY}</summary>{quoted_html}</details>"
    # A mail longer than any message may be: the start is shown, the whole source is kept.
    # (The cut HTML is made well-formed again by the sanitiser when it is stored.)
    limit = settings.MAX_MESSAGE_CHARS
    if len(new_text) > limit:
        new_text = new_text[: limit - 1] + "\u2026"
    if len(new_html) > limit * 4:
        new_html = sanitize_html(new_html[: limit * 4])
    return new_text, new_html


def _files(parsed: ParsedMail) -> list[IncomingFile]:
    files = []
    for attachment in parsed.attachments:
        if not attachment.data or len(attachment.data) > settings.MAX_ATTACHMENT_BYTES:
            # The raw mail keeps it; the timeline gets what it can show.
            logger.info(
                "attachment %r of %d bytes not kept", attachment.filename, len(attachment.data)
            )
            continue
        files.append(
            IncomingFile(
                filename=attachment.filename,
                content=attachment.data,
                declared_type=attachment.content_type,
                content_id=attachment.content_id,
            )
        )
    return files[:MAX_ATTACHMENTS_PER_MESSAGE]


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
