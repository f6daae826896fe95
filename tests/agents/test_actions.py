from __future__ import annotations

import pytest

from tests.conftest import SYSTEM, make_agent, recorded
from tiski.agents.actions import (
    add_membership,
    create_agent,
    create_team,
    remove_membership,
    set_team_members,
    update_preferences,
)
from tiski.agents.models import Agent, Membership, Role, Team
from tiski.conversations.actions import assign
from tiski.conversations.models import Conversation
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.stores.models import Store


def test_membership_roles(store: Store) -> None:
    agent = create_agent(email="new@x.example", name="Uusi", password=None)
    with recorded() as events:
        add_membership(agent, store, role=Role.AGENT, actor=SYSTEM)
        add_membership(agent, store, role=Role.AGENT, actor=SYSTEM)
        add_membership(agent, store, role=Role.ADMIN, actor=SYSTEM)
    assert [e.payload()["role"] for e in events] == ["agent", "admin"]
    assert Membership.objects.get(agent=agent).can_configure
    with pytest.raises(ActionError):
        add_membership(agent, store, role="god", actor=SYSTEM)


@pytest.mark.parametrize(
    ("email", "name", "language", "timezone"),
    [
        ("bad", "A", "en", "UTC"),
        ("a@x.example", " ", "en", "UTC"),
        ("a@x.example", "A", "de", "UTC"),
        ("a@x.example", "A", "en", "Nowhere/City"),
    ],
)
def test_bad_agents_are_refused(
    db: None, email: str, name: str, language: str, timezone: str
) -> None:
    with pytest.raises(ActionError):
        create_agent(email=email, name=name, password=None, language=language, timezone=timezone)
    assert not Agent.objects.exists()


def test_duplicate_emails_are_refused(owner: Agent) -> None:
    with pytest.raises(ActionError, match="already exists"):
        create_agent(email="OWNER@revontuli.example", name="Copy", password=None)


def test_only_members_join_teams(store: Store, teammate: Agent, outsider: Agent) -> None:
    team = create_team(store, name="Tuki", actor=SYSTEM)
    with pytest.raises(ActionError, match="Only members"):
        set_team_members(team, [teammate, outsider], actor=SYSTEM)
    assert not team.members.exists()
    with recorded() as events:
        set_team_members(team, [teammate], actor=SYSTEM)
        set_team_members(team, [teammate], actor=SYSTEM)
    assert [(e.payload()["added"], e.payload()["removed"]) for e in events] == [([teammate.pk], [])]
    with pytest.raises(ActionError):
        create_team(store, name="Tuki", actor=SYSTEM)


def test_removing_a_member_hands_back_their_open_work(
    store: Store, owner: Agent, teammate: Agent, team: Team, conversation: Conversation
) -> None:
    assign(conversation, assignee=teammate, actor=SYSTEM)
    remove_membership(teammate, store, actor=Actor.for_agent(owner))
    conversation.refresh_from_db()
    assert conversation.assignee is None
    assert not team.members.filter(pk=teammate.pk).exists()
    assert not Membership.objects.filter(agent=teammate, store=store).exists()


def test_preferences_change_only_when_valid(store: Store) -> None:
    agent = make_agent("p@x.example", "Pia", store)
    with pytest.raises(ActionError):
        update_preferences(agent, actor=SYSTEM, name="Pia P", language="xx")
    agent.refresh_from_db()
    assert (agent.name, agent.language) == ("Pia", "en")
    with recorded() as events:
        update_preferences(agent, actor=SYSTEM, language="fi", timezone="Europe/Warsaw")
    assert events[0].payload()["changed"] == ["language", "timezone"]
    agent.refresh_from_db()
    assert (agent.language, agent.timezone) == ("fi", "Europe/Warsaw")


def test_membership_can_make_an_agent_a_help_center_editor(store: Store, teammate: Agent) -> None:
    membership = Membership.objects.get(agent=teammate, store=store)
    assert not membership.can_edit_help_center
    add_membership(teammate, store, role=Role.AGENT, actor=SYSTEM, edits_help_center=True)
    membership.refresh_from_db()
    assert membership.edits_help_center and membership.can_edit_help_center
    # Changing the role alone keeps it.
    add_membership(teammate, store, role=Role.ADMIN, actor=SYSTEM)
    membership.refresh_from_db()
    assert (membership.role, membership.edits_help_center) == (Role.ADMIN, True)
