"""Read receipts: how far the customer and the desk have read a conversation."""

from __future__ import annotations

from django.db import transaction

from tiski.conversations.actions import timeline
from tiski.conversations.events import ConversationRead
from tiski.conversations.models import Conversation, DeliveryStatus, Direction, Kind, Message
from tiski.core.actors import Actor


@transaction.atomic
def mark_read(conversation: Conversation, *, by: str, up_to_seq: int, actor: Actor) -> int:
    """Record that the customer (``by="contact"``) or an agent (``by="agent"``) has seen
    the conversation up to ``up_to_seq``. Reading backwards or twice changes nothing.

    The customer reading marks the desk's replies as read. Returns the read position.
    """
    if by not in ("contact", "agent"):
        raise ValueError(by)
    field = "contact_read_seq" if by == "contact" else "agent_read_seq"
    conversation = timeline.lock(conversation)
    # Only messages are read. Without this, the receipt event itself (it has a newer
    # seq) could be acknowledged as "read", producing another event, and so on.
    readable = Message.objects.filter(conversation=conversation, seq__lte=up_to_seq)
    if by == "contact":
        readable = readable.filter(kind=Kind.REPLY)  # all a customer ever sees
    up_to_seq = readable.order_by("-seq").values_list("seq", flat=True).first() or 0
    if up_to_seq <= getattr(conversation, field):
        return int(getattr(conversation, field))
    setattr(conversation, field, up_to_seq)
    if by == "contact":
        Message.objects.filter(
            conversation=conversation,
            direction=Direction.OUT,
            kind=Kind.REPLY,
            seq__lte=up_to_seq,
            # A chat reply reaches the widget by its event at commit, before the delivery
            # task calls it sent: having been read, it was delivered whatever it said.
            status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
        ).update(status=DeliveryStatus.READ)
    seq = timeline.next_seq(conversation)
    conversation.save(update_fields=[field, "last_seq"])
    timeline.record(
        conversation,
        ConversationRead(
            store_id=conversation.store_id,
            actor=actor,
            conversation_id=conversation.pk,
            seq=seq,
            by=by,
            up_to_seq=up_to_seq,
        ),
    )
    return up_to_seq
