"""Customers' messages coming in: the one path every channel takes.

``receive_messages`` stores a batch in one transaction (the chat writer commits many
visitors' messages at once); ``receive_message`` is a batch of one. Either way each
message is threaded, deduplicated by its external id, stored with the next sequence
number of its conversation, and announced when the transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.utils.translation import gettext as _

from tiski.contacts.actions import ContactRequest, IdentityInput, resolve_contacts
from tiski.contacts.models import Contact
from tiski.contacts.queries import attach_display_fallbacks
from tiski.conversations.actions import timeline
from tiski.conversations.attachments import IncomingFile, check_files, save_attachments
from tiski.conversations.events import ConversationEventBase, ConversationStatusChanged
from tiski.conversations.models import (
    UNRESOLVED,
    Attachment,
    AuthorType,
    Channel,
    Conversation,
    DeliveryStatus,
    Direction,
    Kind,
    Message,
    Status,
)
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.html import html_to_text, sanitize_html, text_to_html
from tiski.core.rows import in_params, in_sql, insert_rows, select_rows, update_rows
from tiski.stores.models import Store


@dataclass(frozen=True)
class InboundMessage:
    """What a channel adapter hands over: a customer's message, normalised."""

    store: Store
    channel: str
    sender: Sequence[IdentityInput]
    # Identities the sender claims, unverified: kept when free, never used to find them.
    sender_claims: Sequence[IdentityInput] = ()
    text: str = ""
    html: str = ""
    sender_name: str = ""
    subject: str = ""
    language: str = ""
    # The channel's own id (Message-ID, widget client id): entering twice stores once.
    external_id: str = ""
    # Set when the adapter already knows the thread (a chat session, a reply token).
    conversation: Conversation | None = None
    attachments: Sequence[IncomingFile] = field(default_factory=tuple)
    received_at: datetime | None = None
    # Without a known thread: open a conversation of its own instead of joining the
    # contact's latest open one (a new email is a new matter; a chat line is not).
    new_thread: bool = False
    # An automatic reply (out of office) is kept but does not reopen what the desk closed.
    reopens: bool = True
    # ``html`` is the sanitiser's output already (the mail parser sanitises a whole mail
    # once; a second pass cost as much as parsing its headers): not sanitised again.
    html_sanitized: bool = False


@dataclass(frozen=True)
class Received:
    conversation: Conversation
    message: Message
    created_conversation: bool
    duplicate: bool


def check_inbound(inbound: InboundMessage) -> None:
    """Refuse what can be refused without the database; raises ActionError."""
    text, html, files = inbound.text, inbound.html, inbound.attachments
    if not text.strip() and not html_to_text(html).strip() and not files:
        raise ActionError(_("The message is empty."), field="text")
    if len(text) > settings.MAX_MESSAGE_CHARS or len(html) > settings.MAX_MESSAGE_CHARS * 4:
        raise ActionError(
            _("The message is longer than %(n)d characters.") % {"n": settings.MAX_MESSAGE_CHARS},
            field="text",
        )
    check_files(list(files))
    if inbound.channel not in Channel.values:
        raise ActionError(_("Unknown channel."), field="channel")
    if inbound.conversation is not None and inbound.conversation.store_id != inbound.store.pk:
        raise ActionError(_("The conversation belongs to another store."))


def receive_message(inbound: InboundMessage) -> Received:
    """Store one customer message; raises ActionError when it is refused."""
    [outcome] = receive_messages([inbound])
    if isinstance(outcome, ActionError):
        raise outcome
    return outcome


def receive_messages(inbounds: Sequence[InboundMessage]) -> list[Received | ActionError]:
    """Store customer messages, all in one transaction; one outcome per message.

    A refused message (empty, too long, bad attachment) gets its ActionError and does
    not stop the others.
    """
    outcomes: list[Received | ActionError | None] = [None] * len(inbounds)
    accepted: list[int] = []
    for index, inbound in enumerate(inbounds):
        try:
            check_inbound(inbound)
        except ActionError as exc:
            outcomes[index] = exc
        else:
            accepted.append(index)
    if accepted:
        try:
            stored = _receive_batch([inbounds[i] for i in accepted])
        except IntegrityError:
            # A concurrent writer stored the same message or created the same contact
            # first. One by one, each message now sees that row and answers "duplicate".
            stored = []
            for i in accepted:
                try:
                    stored.append(_receive_batch([inbounds[i]])[0])
                except ActionError as exc:
                    stored.append(exc)
        for index, outcome in zip(accepted, stored, strict=True):
            outcomes[index] = outcome
    return [o for o in outcomes if o is not None]


@dataclass
class _Item:
    inbound: InboundMessage
    target: Conversation | None
    # The sender, for a message whose thread was not known (resolved in this batch).
    contact: Contact | None = None
    refused: ActionError | None = None
    created: bool = False
    duplicate: Message | None = None
    repeat_of: _Item | None = None  # the same message earlier in this batch
    message: Message | None = None
    files: list[Attachment] = field(default_factory=list)


def _resolve_senders(items: list[_Item], system: Actor) -> None:
    """The contact of every message whose thread is not known; a sender without a
    usable identity refuses that message alone."""
    if not items:
        return
    resolved = resolve_contacts(
        [
            ContactRequest(
                item.inbound.store, item.inbound.sender, item.inbound.sender_name,
                item.inbound.language, item.inbound.sender_claims,
            )
            for item in items
        ],
        actor=system,
    )  # fmt: skip
    for item, outcome in zip(items, resolved, strict=True):
        if isinstance(outcome, ActionError):
            item.refused = outcome
        else:
            item.contact = outcome.contact


def _place(items: list[_Item]) -> list[tuple[Conversation, ConversationEventBase]]:
    """Put every message without a known thread into a conversation: the contact's
    latest open one on the channel, or a new one (always a new one for ``new_thread``).

    As if one after the other: a new customer's second message in the batch joins the
    conversation their first one opened. Returns the new conversations' first events.
    """
    latest = _latest_open([i for i in items if not i.inbound.new_thread and i.duplicate is None])
    new: list[_Item] = []
    for item in items:
        assert item.contact is not None
        if item.duplicate is not None:
            item.target = item.duplicate.conversation
            continue
        if item.repeat_of is not None:
            continue  # placed with the message it repeats, below
        key = (item.contact.pk, item.inbound.channel)
        if not item.inbound.new_thread and key in latest:
            item.target = latest[key]
            continue
        item.target = _new_conversation(item.inbound, item.contact)
        item.created = True
        new.append(item)
        if not item.inbound.new_thread:
            latest[key] = item.target
    for item in items:
        if item.repeat_of is not None:
            item.target = item.repeat_of.target
    return timeline.open_conversations(
        [
            (item.target, Actor.for_contact(item.contact))
            for item in new
            if item.target is not None and item.contact is not None
        ]
    )


def _new_conversation(inbound: InboundMessage, contact: Contact) -> Conversation:
    created_at = inbound.received_at or clock.now()
    return Conversation(
        store=inbound.store,
        contact=contact,
        channel=inbound.channel,
        status=Status.OPEN,
        subject=inbound.subject,
        language=inbound.language or contact.language,
        created_at=created_at,
        last_message_at=created_at,
    )


def _latest_open(items: list[_Item]) -> dict[tuple[int, str], Conversation]:
    """Each contact's most recently active unresolved conversation, by channel."""
    contacts = {item.contact.pk: item.contact for item in items if item.contact is not None}
    if not contacts:
        return {}
    stores = {item.inbound.store.pk: item.inbound.store for item in items}
    found: dict[tuple[int, str], Conversation] = {}
    candidates = Conversation.objects.filter(
        contact_id__in=list(contacts),
        channel__in={item.inbound.channel for item in items},
        status__in=UNRESOLVED,
    ).order_by("-last_message_at", "-pk")
    for conversation in candidates:
        key = (conversation.contact_id, conversation.channel)
        if key not in found:
            conversation.contact = contacts[conversation.contact_id]
            conversation.store = stores.get(conversation.store_id) or conversation.store
            found[key] = conversation
    return found


def _find_duplicates(items: list[_Item]) -> None:
    """Mark items whose external id is already stored, or repeated in this batch."""
    keyed = [item for item in items if item.inbound.external_id]
    if not keyed:
        return
    contact_ids = {_contact_id(item) for item in keyed}
    # The same message may sit in another of the contact's conversations (a resolved one).
    # A narrow query first (planned in a fraction of the time of the joined one below);
    # the full rows only for the duplicates it finds, which are rare.
    found = _stored_ids(contact_ids, {item.inbound.external_id[:255] for item in keyed})
    stored = (
        {
            (m.conversation.contact_id, m.external_id): m
            for m in Message.objects.select_related("conversation__store", "conversation__contact")
            .filter(pk__in=found)
            .order_by("pk")
        }
        if found
        else {}
    )
    seen: dict[tuple[int, str], _Item] = {}
    for item in keyed:
        key = (_contact_id(item), item.inbound.external_id[:255])
        if key in stored:
            item.duplicate = stored[key]
        elif key in seen:
            item.repeat_of = seen[key]
        else:
            seen[key] = item


def _contact_id(item: _Item) -> int:
    if item.contact is not None:
        return int(item.contact.pk)
    assert item.target is not None
    return item.target.contact_id


@cache
def _stored_ids_sql(alias: str, contacts: int, external_ids: int) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    message, conversation = quote(Message._meta.db_table), quote(Conversation._meta.db_table)
    contact_id = in_sql(connection, f"c.{quote('contact_id')}", contacts)
    external_id = in_sql(connection, f"m.{quote('external_id')}", external_ids)
    return (
        f"SELECT m.{quote('id')} FROM {message} m "  # noqa: S608 (names come from the models)
        f"JOIN {conversation} c ON c.{quote('id')} = m.{quote('conversation_id')} "
        f"WHERE {contact_id} AND {external_id}"
    )


def _stored_ids(contact_ids: set[int], external_ids: set[str]) -> list[int]:
    """Ids of the contacts' messages with these external ids (plain SQL: this runs for
    every batch of the chat writer, and compiling the ORM query cost more than running it)."""
    connection = connections[router.db_for_read(Message)]
    sql = _stored_ids_sql(connection.alias, len(contact_ids), len(external_ids))
    params = [*in_params(connection, list(contact_ids)), *in_params(connection, list(external_ids))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic
def _receive_batch(inbounds: list[InboundMessage]) -> list[Received | ActionError]:
    items = [_Item(inbound, inbound.conversation) for inbound in inbounds]
    _resolve_senders([item for item in items if item.target is None], Actor.system())
    live = [item for item in items if item.refused is None]
    _find_duplicates(live)
    opening = _place([item for item in live if item.target is None])
    fresh = [item for item in live if item.duplicate is None and item.repeat_of is None]

    # Lock every conversation written to, in id order so concurrent batches cannot
    # deadlock; a thread merged away is followed to the one it was merged into. The
    # ones this batch opened are new: nobody else can see them yet.
    locked: dict[int, Conversation] = {
        item.target.pk: item.target for item in fresh if item.created and item.target
    }
    wanted = {item.target.pk for item in fresh if item.target is not None}
    stores = {item.inbound.store.pk: item.inbound.store for item in items}
    contacts: dict[int, Contact] = {}
    while wanted - set(locked):
        # The contacts come in the same query (one round trip less per batch).
        batch = select_rows(
            Conversation, sorted(wanted - set(locked)), for_update=True, joined="contact"
        )
        for conversation in batch:
            # Every message brings its store: no need to load it once per conversation.
            if conversation.store_id in stores:
                conversation.store = stores[conversation.store_id]
            # One instance per contact, as display fallbacks are attached per instance.
            contact = contacts.setdefault(conversation.contact_id, conversation.contact)
            if contact is not conversation.contact:
                conversation.contact = contact
            locked[conversation.pk] = conversation
            if conversation.merged_into_id:
                wanted.add(conversation.merged_into_id)

    def current(conversation: Conversation) -> Conversation:
        while conversation.merged_into_id:
            conversation = locked[conversation.merged_into_id]
        return conversation

    reopened: dict[int, str] = {}
    events: list[tuple[Conversation, ConversationEventBase]] = list(opening)
    status_events: list[tuple[Conversation, ConversationStatusChanged]] = []
    for item in fresh:
        assert item.target is not None
        conversation = current(locked[item.target.pk])
        item.target = conversation
        inbound = item.inbound
        now = inbound.received_at or clock.now()
        html = (
            (inbound.html if inbound.html_sanitized else sanitize_html(inbound.html))
            if inbound.html
            else text_to_html(inbound.text)
        )
        item.message = timeline.new_message(
            conversation,
            direction=Direction.IN,
            author_type=AuthorType.CONTACT,
            kind=Kind.REPLY,
            text=inbound.text or html_to_text(html),
            html=html,
            external_id=inbound.external_id[:255],
            status=DeliveryStatus.RECEIVED,
            created_at=now,
        )
        if conversation.waiting_since is None and (
            inbound.reopens or conversation.status == Status.OPEN
        ):
            # Not for an automatic reply to a closed conversation: it is kept in the
            # timeline, but nobody has to answer it.
            conversation.waiting_since = now
        if (
            conversation.status != Status.OPEN
            and inbound.reopens
            and conversation.pk not in reopened
        ):
            # The customer wrote again: whatever the desk was waiting for has arrived.
            reopened[conversation.pk] = conversation.status
            conversation.status = Status.OPEN
            conversation.snoozed_until = None
            conversation.resolved_at = None
            status_events.append(
                (
                    conversation,
                    ConversationStatusChanged(
                        store_id=conversation.store_id,
                        actor=Actor.for_contact(conversation.contact),
                        conversation_id=conversation.pk,
                        seq=timeline.next_seq(conversation),
                        status=Status.OPEN,
                        previous_status=reopened[conversation.pk],
                    ),
                )
            )

    insert_rows([item.message for item in fresh if item.message is not None])
    # The message events name their authors: nameless contacts by an identity.
    attach_display_fallbacks(item.target.contact for item in fresh if item.target is not None)
    for item in fresh:
        assert item.message is not None
        assert item.target is not None
        if item.inbound.attachments:
            item.files = save_attachments(item.message, list(item.inbound.attachments))
        contact = item.target.contact
        events.append(
            (
                item.target,
                timeline.message_created(
                    item.target,
                    item.message,
                    Actor.for_contact(contact),
                    attachments=item.files,
                    author=contact.display_name,
                ),
            )
        )
    touched = list({item.target.pk: item.target for item in fresh if item.target}.values())
    update_rows(
        touched,
        [
            "last_message_at",
            "last_message_preview",
            "last_message_direction",
            "waiting_since",
            "status",
            "snoozed_until",
            "resolved_at",
            "last_seq",
        ],
    )
    for conversation_pk in reopened:
        timeline.sync_label_status(locked[conversation_pk])
    # In sequence order within each conversation: the message, then the reopening.
    timeline.record_many(sorted([*events, *status_events], key=lambda pair: pair[1].seq))

    results: list[Received | ActionError] = []
    for item in items:
        if item.refused is not None:
            results.append(item.refused)
            continue
        original = item.duplicate or (item.repeat_of.message if item.repeat_of else None)
        if original is not None:
            results.append(Received(original.conversation, original, False, duplicate=True))
        else:
            assert item.target is not None
            assert item.message is not None
            results.append(Received(item.target, item.message, item.created, duplicate=False))
    return results
