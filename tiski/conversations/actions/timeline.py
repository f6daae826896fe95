"""Primitives every conversation action shares: locking, sequence numbers, the event log.

Not public actions themselves: each is called inside an action's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connections, router

from tiski.contacts.models import Contact
from tiski.conversations.eventlog import logged_payload
from tiski.conversations.events import ConversationCreated, ConversationEventBase, MessageCreated
from tiski.conversations.models import (
    Attachment,
    AuthorType,
    Conversation,
    ConversationEvent,
    ConversationLabel,
    DeliveryStatus,
    Direction,
    Kind,
    Message,
    Status,
)
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.html import html_to_text
from tiski.core.rows import insert_rows, insert_values
from tiski.events import publish
from tiski.stores.models import Store

PREVIEW_CHARS = 200
_EVENT_FIELDS = ("conversation_id", "seq", "type", "payload", "public", "created_at")


def lock(conversation: Conversation) -> Conversation:
    """Re-read ``conversation`` holding its row lock until the transaction ends.

    Every write to a conversation takes this lock first, so sequence numbers are
    handed out in commit order and two agents' changes never interleave.
    """
    return Conversation.objects.select_for_update().select_related("store").get(pk=conversation.pk)


def next_seq(conversation: Conversation) -> int:
    """The next sequence number; the caller saves ``last_seq`` with its other changes."""
    conversation.last_seq += 1
    return conversation.last_seq


def allocate_numbers(store_id: int, count: int) -> list[int]:
    """The store's next ``count`` conversation numbers, in order. One statement, which
    also locks the store's row until the transaction ends, so concurrent conversations
    get numbers in turn."""
    connection = connections[router.db_for_write(Store)]
    with connection.cursor() as cursor:
        cursor.execute(_allocate_sql(connection.alias), [count, store_id])
        row = cursor.fetchone()
    if row is None:
        raise Store.DoesNotExist(f"no store {store_id}")
    last: int = row[0]
    return list(range(last - count + 1, last + 1))


@cache
def _allocate_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    column = quote(str(Store._meta.get_field("last_conversation_number").column))
    return (
        f"UPDATE {quote(Store._meta.db_table)} SET {column} = {column} + %s "  # noqa: S608 (names come from the model)
        f"WHERE {quote('id')} = %s RETURNING {column}"
    )


def sync_label_status(conversation: Conversation) -> None:
    """Copy the conversation's status onto its label links (see ConversationLabel)."""
    ConversationLabel.objects.filter(conversation=conversation).exclude(
        status=conversation.status
    ).update(status=conversation.status)


def record(conversation: Conversation, event: ConversationEventBase) -> None:
    """Keep ``event`` in the conversation's log and publish it on commit."""
    record_many([(conversation, event)])


def record_many(pairs: list[tuple[Conversation, ConversationEventBase]]) -> None:
    """record() for many events: one insert for all of them, published in order."""
    now = clock.now()
    insert_values(
        ConversationEvent,
        _EVENT_FIELDS,
        [
            (conversation.pk, event.seq, event.type, logged_payload(event), event.is_public, now)
            for conversation, event in pairs
        ],
    )
    for _conversation, event in pairs:
        publish(event)


def author_name(message: Message) -> str:
    if message.author_type == AuthorType.AGENT and message.author_agent is not None:
        return message.author_agent.name
    if message.author_type == AuthorType.CONTACT:
        return message.conversation.contact.display_name
    return message.author_label or "Tiski"


def message_created(
    conversation: Conversation,
    message: Message,
    actor: Actor,
    *,
    attachments: list[Attachment] | None = None,
    author: str | None = None,
) -> MessageCreated:
    """The event of a stored message. Pass what the caller already has (attachments,
    the author's name) so a batch of messages costs no query per message."""
    files = list(message.attachments.all()) if attachments is None else attachments
    return MessageCreated(
        store_id=conversation.store_id,
        actor=actor,
        conversation_id=conversation.pk,
        seq=message.seq,
        message_id=message.pk,
        kind=message.kind,
        direction=message.direction,
        author_type=message.author_type,
        author_name=author if author is not None else author_name(message),
        body_text=message.body_text,
        body_html=message.body_html,
        status=message.status,
        created_at=message.created_at.isoformat(),
        external_id=message.external_id,
        automatic=message.automatic,
        attachments=[
            {"id": a.pk, "filename": a.filename, "content_type": a.content_type, "size": a.size}
            for a in files
        ],
    )


def new_message(
    conversation: Conversation,
    *,
    direction: str,
    author_type: str,
    kind: str,
    text: str = "",
    html: str = "",
    author_agent_id: int | None = None,
    author_label: str = "",
    external_id: str = "",
    status: str = DeliveryStatus.STORED,
    event_data: dict[str, Any] | None = None,
    created_at: datetime | None = None,
    automatic: bool = False,
) -> Message:
    """An unsaved message with the next sequence number; ``html`` must be sanitised.

    A reply also becomes the conversation's latest message (unsaved too): the caller
    saves both, one by one or in bulk.
    """
    message = Message(
        conversation=conversation,
        seq=next_seq(conversation),
        direction=direction,
        author_type=author_type,
        author_agent_id=author_agent_id,
        author_label=author_label[:100],
        kind=kind,
        body_text=text,
        body_html=html,
        external_id=external_id,
        status=status,
        event_data=event_data,
        created_at=created_at or clock.now(),
        automatic=automatic,
    )
    if kind == Kind.REPLY:
        preview = text or html_to_text(html)
        conversation.last_message_at = message.created_at
        conversation.last_message_preview = " ".join(preview.split())[:PREVIEW_CHARS]
        conversation.last_message_direction = direction
    return message


def append_message(conversation: Conversation, **fields: Any) -> Message:
    """Insert a message with the next sequence number (see new_message)."""
    message = new_message(conversation, **fields)
    message.save(force_insert=True)
    return message


def add_activity(
    conversation: Conversation, *, actor: Actor, event_data: dict[str, Any]
) -> Message:
    """A timeline entry saying what happened ("Anna assigned this to Returns").

    The words are chosen when the timeline is shown, in the reader's language.
    """
    return append_message(
        conversation,
        direction=Direction.OUT,
        author_type=AuthorType.AGENT if actor.agent_id else AuthorType.SYSTEM,
        author_agent_id=actor.agent_id,
        author_label=actor.name,
        kind=Kind.EVENT,
        event_data={"actor": actor.name, **event_data},
    )


def record_change(
    conversation: Conversation,
    *,
    actor: Actor,
    activity: dict[str, Any],
    changed: list[str],
    event: type[ConversationEventBase],
    **fields: Any,
) -> None:
    """The usual end of an action that changes a conversation: a timeline entry, the
    changed fields saved, and the event (sharing the entry's sequence number) recorded."""
    entry = add_activity(conversation, actor=actor, event_data=activity)
    conversation.save(update_fields=[*changed, "last_seq"])
    record(
        conversation,
        event(
            store_id=conversation.store_id,
            actor=actor,
            conversation_id=conversation.pk,
            seq=entry.seq,
            **fields,
        ),
    )


def open_conversation(
    store: Store,
    contact: Contact,
    *,
    channel: str,
    subject: str,
    language: str,
    actor: Actor,
    created_at: datetime,
) -> Conversation:
    """Create a conversation and record its first event."""
    conversation = Conversation(
        store=store,
        contact=contact,
        channel=channel,
        status=Status.OPEN,
        subject=subject,
        language=language or contact.language,
        created_at=created_at,
        last_message_at=created_at,
    )
    record_many(open_conversations([(conversation, actor)]))
    return conversation


def open_conversations(
    pairs: Sequence[tuple[Conversation, Actor]],
) -> list[tuple[Conversation, ConversationEventBase]]:
    """Number and insert new (unsaved, open) conversations; return their first events
    for the caller to record along with its own. Each is saved with ``last_seq`` 1."""
    by_store: dict[int, list[Conversation]] = {}
    for conversation, _actor in pairs:
        by_store.setdefault(conversation.store_id, []).append(conversation)
    for store_id, conversations in by_store.items():
        numbers = allocate_numbers(store_id, len(conversations))
        for conversation, number in zip(conversations, numbers, strict=True):
            conversation.number = number
    for conversation, _actor in pairs:
        conversation.subject = " ".join(conversation.subject.split())[:300]
        conversation.last_seq = 0
        next_seq(conversation)  # the created event's, saved with the row
    # Not .create(): compiling its INSERT cost more than running it, for every mail.
    insert_rows([conversation for conversation, _actor in pairs])
    return [
        (
            conversation,
            ConversationCreated(
                store_id=conversation.store_id,
                actor=actor,
                conversation_id=conversation.pk,
                seq=conversation.last_seq,
                number=conversation.number,
                channel=conversation.channel,
                status=conversation.status,
                contact_id=conversation.contact_id,
                subject=conversation.subject,
            ),
        )
        for conversation, actor in pairs
    ]
