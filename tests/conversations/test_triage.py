"""Assignment, status, snooze, priority and labels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import SYSTEM, inbound, recorded
from tiski.agents.models import Agent, Team
from tiski.conversations.actions import (
    assign,
    change_priority,
    change_status,
    create_label,
    set_labels,
    wake_snoozed,
)
from tiski.conversations.models import Conversation, Kind, Label, Message, Status
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.stores.models import Store


def activities(conversation: Conversation) -> list[dict[str, object]]:
    return [
        m.event_data or {}
        for m in Message.objects.filter(conversation=conversation, kind=Kind.EVENT).order_by("seq")
    ]


def test_assigning_records_who_did_what(
    conversation: Conversation, owner: Agent, teammate: Agent, team: Team
) -> None:
    with recorded() as events:
        assign(conversation, assignee=teammate, team=team, actor=Actor.for_agent(owner))
    [event] = events
    assert event.type == "conversation.assigned"
    assert (
        event.payload().items()
        >= {
            "seq": 3,
            "assignee_id": teammate.pk,
            "team_id": team.pk,
            "previous_assignee_id": None,
            "previous_team_id": None,
        }.items()
    )
    assert event.payload()["actor"] == {"kind": "agent", "id": owner.pk, "name": owner.name}
    assert activities(conversation) == [
        {"type": "assigned", "actor": owner.name, "assignee": teammate.name, "team": team.name}
    ]


def test_assigning_the_same_again_changes_nothing(conversation: Conversation, owner: Agent) -> None:
    assign(conversation, assignee=owner, actor=SYSTEM)
    with recorded() as events:
        assign(conversation, assignee=owner, actor=SYSTEM)
    assert events == []
    assert len(activities(conversation)) == 1


def test_unassigning_keeps_the_team(conversation: Conversation, owner: Agent, team: Team) -> None:
    assign(conversation, assignee=owner, team=team, actor=SYSTEM)
    assign(conversation, assignee=None, actor=SYSTEM)
    conversation.refresh_from_db()
    assert conversation.assignee is None and conversation.team == team


def test_outsiders_and_foreign_teams_cannot_be_assigned(
    conversation: Conversation, outsider: Agent, other_store: Store
) -> None:
    from tiski.agents.actions import create_team

    foreign_team = create_team(other_store, name="Zwroty", actor=SYSTEM)
    with pytest.raises(ActionError, match="not an agent of this store"):
        assign(conversation, assignee=outsider, actor=SYSTEM)
    with pytest.raises(ActionError, match="another store"):
        assign(conversation, team=foreign_team, actor=SYSTEM)
    conversation.refresh_from_db()
    assert conversation.assignee is None and conversation.team is None


def test_status_changes_and_resolution_time(conversation: Conversation) -> None:
    with recorded() as events:
        change_status(conversation, status=Status.RESOLVED, actor=SYSTEM)
    assert [(e.type, e.payload()["status"], e.payload()["previous_status"]) for e in events] == [
        ("conversation.status_changed", "resolved", "open")
    ]
    conversation.refresh_from_db()
    assert conversation.resolved_at is not None
    change_status(conversation, status=Status.OPEN, actor=SYSTEM)
    conversation.refresh_from_db()
    assert conversation.resolved_at is None


@pytest.mark.parametrize(
    ("status", "until", "reason"),
    [
        ("snoozed", None, "future"),
        ("snoozed", timedelta(minutes=-5), "future"),
        ("open", timedelta(hours=1), "Only a snoozed"),
        ("deleted", None, "Unknown status"),
    ],
)
def test_bad_status_changes_are_refused(
    conversation: Conversation, status: str, until: timedelta | None, reason: str
) -> None:
    when = timezone.now() + until if until is not None else None
    with pytest.raises(ActionError, match=reason):
        change_status(conversation, status=status, snoozed_until=when, actor=SYSTEM)
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN


def test_snoozed_conversations_wake_when_their_time_comes(store: Store) -> None:
    soon = inbound(store, email="a@example.fi").conversation
    later = inbound(store, email="b@example.fi").conversation
    now = timezone.now()
    change_status(soon, status=Status.SNOOZED, snoozed_until=now + timedelta(hours=1), actor=SYSTEM)
    change_status(later, status=Status.SNOOZED, snoozed_until=now + timedelta(days=2), actor=SYSTEM)
    assert wake_snoozed(now) == 0
    with clock.frozen_at(now + timedelta(hours=2)), recorded() as events:
        assert wake_snoozed() == 1
    assert [(e.type, e.payload()["actor"]["kind"]) for e in events] == [
        ("conversation.status_changed", "system")
    ]
    soon.refresh_from_db()
    later.refresh_from_db()
    assert (soon.status, soon.snoozed_until) == (Status.OPEN, None)
    assert later.status == Status.SNOOZED


def test_priority(conversation: Conversation) -> None:
    with recorded() as events:
        change_priority(conversation, priority="urgent", actor=SYSTEM)
    assert events[0].payload()["priority"] == "urgent"
    with pytest.raises(ActionError):
        change_priority(conversation, priority="whenever", actor=SYSTEM)


def test_labels_are_set_as_a_whole(conversation: Conversation, label: Label, store: Store) -> None:
    other = create_label(store, name="vaihto", actor=SYSTEM)
    set_labels(conversation, [label, other], actor=SYSTEM)
    with recorded() as events:
        set_labels(conversation, [other], actor=SYSTEM)
    payload = events[0].payload()
    assert (payload["added"], payload["removed"], payload["labels"]) == (
        [],
        ["palautus"],
        ["vaihto"],
    )
    assert list(conversation.labels.values_list("name", flat=True)) == ["vaihto"]


def test_labels_of_another_store_are_refused(
    conversation: Conversation, other_store: Store
) -> None:
    foreign = create_label(other_store, name="zwrot", actor=SYSTEM)
    with pytest.raises(ActionError):
        set_labels(conversation, [foreign], actor=SYSTEM)
    assert not conversation.labels.exists()


@pytest.mark.parametrize(("name", "color"), [("", "#ffffff"), ("x" * 51, "#ffffff"), ("ok", "red")])
def test_bad_labels_are_refused(store: Store, name: str, color: str) -> None:
    with pytest.raises(ActionError):
        create_label(store, name=name, color=color, actor=SYSTEM)


def test_label_names_are_unique_per_store_ignoring_case(store: Store, label: Label) -> None:
    with pytest.raises(ActionError, match="already"):
        create_label(store, name="Palautus", actor=SYSTEM)


def test_sequence_numbers_are_gapless_across_actions(
    conversation: Conversation, owner: Agent
) -> None:
    from tiski.conversations.actions import add_note, send_reply

    actor = Actor.for_agent(owner)
    send_reply(conversation, actor=actor, author=owner, text="Hei")
    add_note(conversation, actor=actor, author=owner, text="muistiin")
    change_priority(conversation, priority="high", actor=actor)
    change_status(conversation, status=Status.PENDING, actor=actor)
    seqs = list(conversation.messages.order_by("seq").values_list("seq", flat=True))
    conversation.refresh_from_db()
    # 1 is conversation.created (an event without a message); the rest are all messages.
    assert seqs == list(range(2, conversation.last_seq + 1))
    log = list(conversation.events.order_by("seq").values_list("seq", flat=True))
    assert log == list(range(1, conversation.last_seq + 1))


def test_label_links_follow_the_conversation_status(store: Store, label: Label) -> None:
    from tiski.conversations.actions import merge_conversations
    from tiski.conversations.models import Channel, ConversationLabel

    def link_statuses() -> set[tuple[int, str]]:
        return set(ConversationLabel.objects.values_list("conversation_id", "status"))

    first = inbound(store).conversation
    set_labels(first, [label], actor=SYSTEM)
    change_status(first, status=Status.PENDING, actor=SYSTEM)
    assert link_statuses() == {(first.pk, "pending")}
    inbound(store, "vastaus", conversation=first)  # the customer reopens it
    assert link_statuses() == {(first.pk, "open")}
    change_status(first, status=Status.RESOLVED, actor=SYSTEM)
    second = inbound(store, "uusi", channel=Channel.CHAT).conversation
    set_labels(second, [label], actor=SYSTEM)
    merge_conversations(second, first, actor=SYSTEM)  # reopens the target, closes the source
    assert link_statuses() == {(first.pk, "open"), (second.pk, "closed")}
