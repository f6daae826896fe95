"""Threading and storing a batch of mails in waves.

Mails that cannot change where each other goes are threaded and stored together, with a
fixed number of statements per wave; a mail that an earlier one of the batch could
redirect waits for the next wave. The outcome is that of storing the mails one after
the other, at a fraction of the statements (``make bench-mail``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.contacts.queries import identity_owners
from tiski.conversations.actions import InboundMessage, receive_messages
from tiski.conversations.models import UNRESOLVED, Channel, Conversation
from tiski.core import clock
from tiski.core.errors import ActionError
from tiski.mail.bodies import message_bodies, message_files
from tiski.mail.models import RawMail, RawMailStatus
from tiski.mail.outcomes import Ingested, finish, refused
from tiski.mail.parse import ParsedMail
from tiski.mail.received import after_received
from tiski.mail.threads import (
    MailThreadKeys,
    find_threads,
    normalize_subject,
    open_with_same_subject,
)
from tiski.stores.models import Store

# A customer writing again about the same subject within this many days, without any
# header that threads it, continues their open conversation.
SAME_SUBJECT_DAYS = 30
_LANGUAGES = {code for code, _name in settings.LANGUAGES}


@dataclass
class WaitingMail:
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


def in_waves(mails: list[WaitingMail], desk: set[str]) -> list[tuple[int, Ingested]]:
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
        kept: list[WaitingMail] = []
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


def _next_wave(mails: list[WaitingMail]) -> tuple[list[WaitingMail], list[WaitingMail]]:
    """The mails no earlier one decides for, each placed in its conversation."""
    _know_writers(mails)
    wave: list[WaitingMail] = []
    later: list[WaitingMail] = []
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
    by_store: dict[int, list[WaitingMail]] = {}
    for mail in wave:
        by_store.setdefault(mail.store.pk, []).append(mail)
    for group in by_store.values():
        _place(group[0].store, group)
    return wave, later


def _know_writers(mails: list[WaitingMail]) -> None:
    """Who wrote each mail: two addresses of one customer are one writer."""
    by_store: dict[int, list[WaitingMail]] = {}
    for mail in mails:
        by_store.setdefault(mail.store.pk, []).append(mail)
    for store_id, group in by_store.items():
        owners = identity_owners(
            store_id, sorted({(IdentityKind.EMAIL, mail.sender) for mail in group})
        )
        for mail in group:
            contact_id = owners.get((IdentityKind.EMAIL, mail.sender))
            mail.writer = (store_id, str(contact_id) if contact_id else mail.sender)


def _place(store: Store, mails: list[WaitingMail]) -> None:
    """Find each mail's conversation by the threading rules, then by subject."""
    threads = find_threads(store, [mail.keys for mail in mails])
    unplaced: list[WaitingMail] = []
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


def _store_wave(mails: list[WaitingMail], desk: set[str]) -> list[tuple[int, Ingested]]:
    results: list[tuple[int, Ingested]] = []
    storing: list[WaitingMail] = []
    for mail in mails:
        if mail.conversation is None and mail.parsed.auto_submitted:
            finish(
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
            results.append((mail.index, refused(mail.raw, str(outcome))))
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
        finish(mail.raw, status, conversation=outcome.conversation, message=outcome.message)
        ingested = Ingested(mail.raw, text=outcome.message.body_text, parsed=mail.parsed)
        results.append((mail.index, ingested))
    return results


def _inbound(mail: WaitingMail) -> InboundMessage:
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
        html_sanitized=True,  # see message_bodies
    )
