"""Messages the desk sends on its own, such as the acknowledgement of a new email."""

from __future__ import annotations

from django.db import transaction

from tiski.conversations.actions import timeline
from tiski.conversations.models import (
    AuthorType,
    Conversation,
    DeliveryStatus,
    Direction,
    Kind,
    Message,
)
from tiski.core.actors import Actor
from tiski.core.html import sanitize_html, text_to_html


@transaction.atomic
def send_automatic_reply(
    conversation: Conversation, *, actor: Actor, text: str, html: str = ""
) -> Message:
    """Send the customer a message nobody wrote (``automatic``): queued and delivered
    like any reply, and shown in the timeline, so agents see what the customer got.

    It is not an answer: the customer still waits (``waiting_since``), the first
    response time is not met, and the inbox keeps showing the customer's message.
    """
    from tiski.conversations.tasks import deliver_message

    conversation = timeline.lock(conversation)
    kept = (
        conversation.last_message_at,
        conversation.last_message_preview,
        conversation.last_message_direction,
    )
    message = timeline.append_message(
        conversation,
        direction=Direction.OUT,
        author_type=AuthorType.SYSTEM,
        author_label=conversation.store.name,
        kind=Kind.REPLY,
        text=text.strip(),
        html=sanitize_html(html) if html else text_to_html(text),
        status=DeliveryStatus.QUEUED,
        automatic=True,
    )
    (
        conversation.last_message_at,
        conversation.last_message_preview,
        conversation.last_message_direction,
    ) = kept
    conversation.save(update_fields=["last_seq"])
    message.conversation = conversation
    timeline.record(conversation, timeline.message_created(conversation, message, actor))
    # Enqueued in this transaction: the task exists exactly when the message does.
    deliver_message.enqueue(message.pk)
    return message
