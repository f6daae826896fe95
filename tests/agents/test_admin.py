"""Configuration in the admin goes through the same actions (and events) as the rest."""

from __future__ import annotations

from django.test import Client

from tests.conftest import SYSTEM, recorded
from tiski.agents.models import Agent, Membership, Team
from tiski.conversations.actions import assign
from tiski.conversations.models import Conversation
from tiski.stores.models import Store


def superuser_client(owner: Agent) -> Client:
    owner.is_staff = owner.is_superuser = True
    owner.save()
    client = Client()
    client.force_login(owner)
    return client


def test_teams_are_created_and_staffed_through_actions(
    store: Store, owner: Agent, teammate: Agent, outsider: Agent
) -> None:
    client = superuser_client(owner)
    with recorded() as events:
        response = client.post(
            "/admin/agents/team/add/",
            {"store": store.pk, "name": "Tuki", "members": [teammate.pk]},
        )
    assert response.status_code == 302, response.content[:500]
    team = Team.objects.get(name="Tuki")
    assert list(team.members.all()) == [teammate]
    assert [e.type for e in events] == ["team.created", "team.members_changed"]


def test_removing_a_membership_in_the_admin_hands_back_open_work(
    store: Store, owner: Agent, teammate: Agent, conversation: Conversation
) -> None:
    assign(conversation, assignee=teammate, actor=SYSTEM)
    client = superuser_client(owner)
    membership = Membership.objects.get(agent=teammate, store=store)
    page = client.get(f"/admin/agents/agent/{teammate.pk}/change/")
    assert page.status_code == 200
    data = {
        "email": teammate.email,
        "name": teammate.name,
        "language": teammate.language,
        "timezone": teammate.timezone,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-agent": str(teammate.pk),
        "memberships-0-store": str(store.pk),
        "memberships-0-role": membership.role,
        "memberships-0-DELETE": "on",
    }
    with recorded() as events:
        response = client.post(f"/admin/agents/agent/{teammate.pk}/change/", data)
    assert response.status_code == 302, response.content[:800]
    assert not Membership.objects.filter(agent=teammate).exists()
    conversation.refresh_from_db()
    assert conversation.assignee is None
    assert "membership.removed" in [e.type for e in events]
