"""Merging two conversations of the same customer into one."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tiski.conversations.actions import timeline
from tiski.conversations.events import ConversationMerged
from tiski.conversations.models import Conversation, Kind, Message, Status
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError


def _earliest(*values):  # type: ignore[no-untyped-def]
    present = [v for v in values if v is not None]
    return min(present) if present else None


@transaction.atomic
def merge_conversations(
    source: Conversation, target: Conversation, *, actor: Actor
) -> Conversation:
    """Move ``source``'s messages into ``target`` and close ``source``.

    Both must belong to the same contact. Moved messages keep their times, so the
    target's timeline interleaves both threads in the order they happened; they get
    new sequence numbers in the target so clients resuming by seq see them.
    """
    if source.pk == target.pk:
        raise ActionError(_("A conversation cannot be merged into itself."), field="target")
    # Lock in id order: two agents merging the same pair both ways cannot deadlock.
    first, second = sorted([source, target], key=lambda c: c.pk)
    locked = {first.pk: timeline.lock(first), second.pk: timeline.lock(second)}
    source, target = locked[source.pk], locked[target.pk]
    if source.store_id != target.store_id or source.contact_id != target.contact_id:
        raise ActionError(
            _("Only conversations of the same customer can be merged."), field="target"
        )
    if source.merged_into_id or target.merged_into_id:
        raise ActionError(_("One of these conversations was already merged."), field="target")

    target_ids = set(
        Message.objects.filter(conversation=target)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    moved = list(Message.objects.filter(conversation=source).order_by("seq"))
    for message in moved:
        message.conversation_id = target.pk
        message.seq = timeline.next_seq(target)
        if message.external_id in target_ids:
            # The same channel message was stored in both threads; keep the target's id.
            message.external_id = ""
    Message.objects.bulk_update(moved, ["conversation", "seq", "external_id"])

    replies = [m for m in moved if m.kind == Kind.REPLY]
    if replies:
        newest = max(replies, key=lambda m: m.created_at)
        if newest.created_at > target.last_message_at:
            target.last_message_at = newest.created_at
            target.last_message_preview = source.last_message_preview
            target.last_message_direction = source.last_message_direction
    target.first_response_at = _earliest(target.first_response_at, source.first_response_at)
    target.waiting_since = _earliest(target.waiting_since, source.waiting_since)
    target.labels.add(*source.labels.all(), through_defaults={"status": target.status})
    if target.status in (Status.RESOLVED, Status.CLOSED) and source.is_unresolved:
        target.status = Status.OPEN
        target.resolved_at = None
    if target.assignee_id is None:
        target.assignee_id = source.assignee_id
    if target.team_id is None:
        target.team_id = source.team_id

    source.status = Status.CLOSED
    source.snoozed_until = None
    source.resolved_at = source.resolved_at or clock.now()
    source.merged_into = target
    source.last_message_preview = ""

    target_activity = timeline.add_activity(
        target,
        actor=actor,
        event_data={"type": "merged_in", "other": source.reference, "other_id": source.pk},
    )
    source_activity = timeline.add_activity(
        source,
        actor=actor,
        event_data={"type": "merged_into", "other": target.reference, "other_id": target.pk},
    )
    target.save()
    source.save()
    timeline.sync_label_status(target)
    timeline.sync_label_status(source)
    for conversation, activity in ((target, target_activity), (source, source_activity)):
        timeline.record(
            conversation,
            ConversationMerged(
                store_id=conversation.store_id,
                actor=actor,
                conversation_id=conversation.pk,
                seq=activity.seq,
                source_id=source.pk,
                target_id=target.pk,
                moved_messages=len(moved),
            ),
        )
    return target
