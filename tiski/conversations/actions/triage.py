"""Routing and state: who handles a conversation, its status, priority and labels."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.utils.translation import gettext as _

from tiski.agents.models import Agent, Membership, Team
from tiski.conversations.actions import timeline
from tiski.conversations.events import (
    ConversationAssigned,
    ConversationLabelsChanged,
    ConversationPriorityChanged,
    ConversationStatusChanged,
    LabelCreated,
)
from tiski.conversations.models import Conversation, Label, Priority, Status
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.stores.models import Store, hex_color

# Sentinel: "leave the team as it is" differs from "no team" (None).
UNCHANGED = object()


@transaction.atomic
def assign(
    conversation: Conversation,
    *,
    actor: Actor,
    assignee: Agent | object | None = UNCHANGED,
    team: Team | object | None = UNCHANGED,
) -> Conversation:
    """Give the conversation to an agent and/or a team (None takes it away)."""
    conversation = timeline.lock(conversation)
    new_assignee_id = conversation.assignee_id
    new_team_id = conversation.team_id
    if assignee is not UNCHANGED:
        if assignee is not None:
            assert isinstance(assignee, Agent)
            if (
                not assignee.is_active
                or not Membership.objects.filter(
                    agent=assignee, store_id=conversation.store_id
                ).exists()
            ):
                raise ActionError(
                    _("%(name)s is not an agent of this store.") % {"name": assignee.name},
                    field="assignee",
                )
            new_assignee_id = assignee.pk
        else:
            new_assignee_id = None
    if team is not UNCHANGED:
        if team is not None:
            assert isinstance(team, Team)
            if team.store_id != conversation.store_id:
                raise ActionError(_("The team belongs to another store."), field="team")
            new_team_id = team.pk
        else:
            new_team_id = None
    if (new_assignee_id, new_team_id) == (conversation.assignee_id, conversation.team_id):
        return conversation
    previous_assignee_id, previous_team_id = conversation.assignee_id, conversation.team_id
    conversation.assignee_id = new_assignee_id
    conversation.team_id = new_team_id
    assignee_name = Agent.objects.get(pk=new_assignee_id).name if new_assignee_id else ""
    team_name = Team.objects.get(pk=new_team_id).name if new_team_id else ""
    timeline.record_change(
        conversation,
        actor=actor,
        activity={"type": "assigned", "assignee": assignee_name, "team": team_name},
        changed=["assignee", "team"],
        event=ConversationAssigned,
        assignee_id=new_assignee_id,
        assignee_name=assignee_name,
        team_id=new_team_id,
        team_name=team_name,
        previous_assignee_id=previous_assignee_id,
        previous_team_id=previous_team_id,
    )
    return conversation


@transaction.atomic
def change_status(
    conversation: Conversation,
    *,
    status: str,
    actor: Actor,
    snoozed_until: datetime | None = None,
) -> Conversation:
    """Move the conversation to ``status``; snoozing needs a time in the future."""
    if status not in Status.values:
        raise ActionError(_("Unknown status."), field="status")
    now = clock.now()
    if status == Status.SNOOZED:
        if snoozed_until is None or snoozed_until <= now:
            raise ActionError(_("Snooze until a time in the future."), field="snoozed_until")
    elif snoozed_until is not None:
        raise ActionError(
            _("Only a snoozed conversation has a wake-up time."), field="snoozed_until"
        )
    conversation = timeline.lock(conversation)
    if conversation.merged_into_id and status != Status.CLOSED:
        raise ActionError(_("A merged conversation stays closed."), field="status")
    if conversation.status == status and conversation.snoozed_until == snoozed_until:
        return conversation
    previous = conversation.status
    conversation.status = status
    conversation.snoozed_until = snoozed_until
    if status in (Status.RESOLVED, Status.CLOSED):
        conversation.resolved_at = conversation.resolved_at or now
    else:
        conversation.resolved_at = None
    until = snoozed_until.isoformat() if snoozed_until else None
    timeline.sync_label_status(conversation)
    timeline.record_change(
        conversation,
        actor=actor,
        activity={"type": "status", "status": status, "previous": previous, "until": until},
        changed=["status", "snoozed_until", "resolved_at"],
        event=ConversationStatusChanged,
        status=status,
        previous_status=previous,
        snoozed_until=until,
    )
    return conversation


def wake_snoozed(now: datetime | None = None, *, batch: int = 200) -> int:
    """Reopen every snoozed conversation whose time has come. Safe to run in many workers."""
    now = now or clock.now()
    woken = 0
    while True:
        with transaction.atomic():
            due = Conversation.objects.filter(status=Status.SNOOZED, snoozed_until__lte=now)
            if connection.features.has_select_for_update_skip_locked:
                # Two workers on PostgreSQL split the due conversations between them.
                due = due.select_for_update(skip_locked=True)
            rows = list(due.order_by("snoozed_until")[:batch])
            for conversation in rows:
                change_status(conversation, status=Status.OPEN, actor=Actor.system())
        woken += len(rows)
        if len(rows) < batch:
            return woken


@transaction.atomic
def change_priority(conversation: Conversation, *, priority: str, actor: Actor) -> Conversation:
    if priority not in Priority.values:
        raise ActionError(_("Unknown priority."), field="priority")
    conversation = timeline.lock(conversation)
    if conversation.priority == priority:
        return conversation
    previous = conversation.priority
    conversation.priority = priority
    timeline.record_change(
        conversation,
        actor=actor,
        activity={"type": "priority", "priority": priority, "previous": previous},
        changed=["priority"],
        event=ConversationPriorityChanged,
        priority=priority,
        previous_priority=previous,
    )
    return conversation


@transaction.atomic
def set_labels(
    conversation: Conversation, labels: Iterable[Label], *, actor: Actor
) -> Conversation:
    """Make ``labels`` exactly the conversation's labels."""
    wanted = {label.pk: label for label in labels}
    if any(label.store_id != conversation.store_id for label in wanted.values()):
        raise ActionError(_("A label belongs to another store."), field="labels")
    conversation = timeline.lock(conversation)
    current = {label.pk: label for label in conversation.labels.all()}
    added = [wanted[pk] for pk in wanted if pk not in current]
    removed = [current[pk] for pk in current if pk not in wanted]
    if not added and not removed:
        return conversation
    conversation.labels.add(*added, through_defaults={"status": conversation.status})
    conversation.labels.remove(*removed)
    added_names = sorted(label.name for label in added)
    removed_names = sorted(label.name for label in removed)
    timeline.record_change(
        conversation,
        actor=actor,
        activity={"type": "labels", "added": added_names, "removed": removed_names},
        changed=[],
        event=ConversationLabelsChanged,
        added=added_names,
        removed=removed_names,
        labels=sorted(label.name for label in wanted.values()),
    )
    return conversation


@transaction.atomic
def create_label(store: Store, *, name: str, actor: Actor, color: str = "#6e7781") -> Label:
    name = " ".join(name.split())
    if not name or len(name) > 50:
        raise ActionError(_("A label needs a name of at most 50 characters."), field="name")
    try:
        hex_color(color)
    except Exception as exc:
        raise ActionError(_("Use a colour like #1f6feb."), field="color") from exc
    if Label.objects.filter(store=store, name__iexact=name).exists():
        raise ActionError(_("This store already has that label."), field="name")
    label = Label.objects.create(store=store, name=name, color=color)
    publish(LabelCreated(store_id=store.pk, actor=actor, label_id=label.pk, name=name, color=color))
    return label
