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
from datetime import timedelta

from django.conf import settings
from django.db import transaction
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
from tiski.mail.models import RawMail, RawMailStatus, Via
from tiski.mail.parse import MailParseError, ParsedMail, parse_mail
from tiski.mail.quotes import split_html, split_text
from tiski.mail.threads import find_thread, normalize_subject
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


def ingest_mail(
    source: bytes,
    *,
    via: str = Via.FILE,
    store: Store | None = None,
    envelope_to: Sequence[str] = (),
) -> Ingested:
    """Store a raw mail, then process it. Never raises for a bad mail: a mail that
    cannot be processed comes back marked failed, with its error."""
    raw = store_raw_mail(source, via=via, store=store, envelope_to=envelope_to)
    return process_raw_mail(raw)


@transaction.atomic
def store_raw_mail(
    source: bytes, *, via: str, store: Store | None = None, envelope_to: Sequence[str] = ()
) -> RawMail:
    """Keep the source exactly as it arrived, before anything reads it."""
    if via not in Via.values:
        raise ValueError(f"unknown way in: {via!r}")
    return RawMail.objects.create(
        store=store,
        via=via,
        source=bytes(source),
        size=len(source),
        envelope_to="\n".join(a.strip().lower() for a in envelope_to),
        sha256=hashlib.sha256(source).hexdigest(),
        received_at=clock.now(),
    )


def retry_mail(raw: RawMail) -> Ingested:
    """Process a stored mail again (after a fix, or after the database came back)."""
    if raw.status not in (RawMailStatus.FAILED, RawMailStatus.NEW):
        raise ActionError(_("Only a failed or unprocessed mail can be processed again."))
    return process_raw_mail(raw)


def process_raw_mail(raw: RawMail) -> Ingested:
    raw.attempts += 1
    try:
        with transaction.atomic():
            return _process(raw)
    except (MailParseError, MailRefused, ActionError) as exc:
        error = str(exc)
    except Exception as exc:
        # A bug or a broken database: the mail stays, the trace goes to the log.
        logger.exception("could not process raw mail %s", raw.pk)
        error = f"{type(exc).__name__}: {exc}"
    raw.status = RawMailStatus.FAILED
    raw.error = error[:2000]
    raw.processed_at = clock.now()
    with transaction.atomic():
        raw.save(update_fields=_PROCESSED_FIELDS)
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
    # the rest of the update).
    raw.save(update_fields=[*_PROCESSED_FIELDS, *fields])


def _process(raw: RawMail) -> Ingested:
    parsed = parse_mail(bytes(raw.source))
    raw.message_id_header = parsed.message_id[:255]
    raw.sender = parsed.from_address[:255]
    raw.subject = parsed.subject[:300]
    recipients = [
        *raw.envelope_to.split(),
        *parsed.delivered_to,
        *(a for _n, a in parsed.to),
        *(a for _n, a in parsed.cc),
    ]
    stores = support_addresses()
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
    if sender in stores or sender == base_address(settings.DEFAULT_FROM_EMAIL):
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
    identity = (
        ContactIdentity.objects.filter(
            store=store, kind=IdentityKind.EMAIL, value=parsed.from_address
        )
        .only("contact_id")
        .first()
    )
    if identity is None:
        return None
    since = clock.now() - timedelta(days=SAME_SUBJECT_DAYS)
    candidates = Conversation.objects.filter(
        store=store,
        contact_id=identity.contact_id,
        channel=Channel.EMAIL,
        status__in=UNRESOLVED,
        last_message_at__gte=since,
        merged_into__isnull=True,
    ).values_list("pk", "subject")
    for pk, candidate in candidates:
        if normalize_subject(candidate) == subject:
            return Conversation.objects.select_related("store", "contact").get(pk=pk)
    return None


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
