"""Every write to agents, memberships and teams."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from tiski.agents.events import (
    AgentPreferencesChanged,
    AgentPresenceChanged,
    MembershipAdded,
    MembershipRemoved,
    TeamCreated,
    TeamMembersChanged,
)
from tiski.agents.models import Agent, Availability, Membership, Role, Team
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.stores.hours import validate_timezone
from tiski.stores.models import Store

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _check_language(language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ActionError(
            _("Choose one of: %(codes)s") % {"codes": ", ".join(sorted(LANGUAGE_CODES))},
            field="language",
        )


def _check_timezone(zone: str) -> None:
    try:
        validate_timezone(zone)
    except ValidationError as exc:
        raise ActionError(exc.messages[0], field="timezone") from exc


@transaction.atomic
def create_agent(
    *,
    email: str,
    name: str,
    password: str | None,
    language: str = "en",
    timezone: str = "Europe/Helsinki",
    is_staff: bool = False,
) -> Agent:
    """Create a staff account. It sees nothing until it is made a member of a store.

    No event: an agent without a membership belongs to no store's audience yet.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ActionError(_("Enter a valid email address."), field="email") from exc
    if not name.strip():
        raise ActionError(_("An agent needs a name."), field="name")
    _check_language(language)
    _check_timezone(timezone)
    if Agent.objects.filter(email=email).exists():
        raise ActionError(_("An agent with this email already exists."), field="email")
    return Agent.objects.create_user(
        email,
        password,
        name=name.strip(),
        language=language,
        timezone=timezone,
        is_staff=is_staff,
    )


@transaction.atomic
def add_membership(
    agent: Agent,
    store: Store,
    *,
    role: str,
    actor: Actor,
    edits_help_center: bool | None = None,
) -> Membership:
    """Give ``agent`` access to ``store`` with ``role`` (or change the role, and whether
    they write the help center; None keeps that as it is)."""
    if role not in Role.values:
        raise ActionError(_("Unknown role."), field="role")
    membership, created = Membership.objects.get_or_create(
        agent=agent,
        store=store,
        defaults={"role": role, "edits_help_center": bool(edits_help_center)},
    )
    editor = membership.edits_help_center if edits_help_center is None else edits_help_center
    if not created and (membership.role, membership.edits_help_center) == (role, editor):
        return membership
    if not created:
        membership.role = role
        membership.edits_help_center = editor
        membership.save(update_fields=["role", "edits_help_center"])
    publish(MembershipAdded(store_id=store.pk, actor=actor, agent_id=agent.pk, role=role))
    return membership


@transaction.atomic
def remove_membership(agent: Agent, store: Store, *, actor: Actor) -> None:
    """Take ``agent``'s access to ``store`` away, and unassign their open conversations."""
    from tiski.conversations.actions import assign
    from tiski.conversations.models import UNRESOLVED, Conversation

    deleted, _rows = Membership.objects.filter(agent=agent, store=store).delete()
    if not deleted:
        return
    for team in Team.objects.filter(store=store, members=agent):
        team.members.remove(agent)
    # Their open work would otherwise sit invisible in a "mine" nobody looks at.
    for conversation in Conversation.objects.filter(
        store=store, assignee=agent, status__in=UNRESOLVED
    ):
        assign(conversation, assignee=None, actor=actor)
    publish(MembershipRemoved(store_id=store.pk, actor=actor, agent_id=agent.pk))


@transaction.atomic
def create_team(store: Store, *, name: str, actor: Actor) -> Team:
    name = name.strip()
    if not name:
        raise ActionError(_("A team needs a name."), field="name")
    if Team.objects.filter(store=store, name=name).exists():
        raise ActionError(_("This store already has a team with that name."), field="name")
    team = Team.objects.create(store=store, name=name)
    publish(TeamCreated(store_id=store.pk, actor=actor, team_id=team.pk, name=name))
    return team


@transaction.atomic
def set_team_members(team: Team, agents: Iterable[Agent], *, actor: Actor) -> Team:
    """Make ``agents`` exactly the members of ``team``; each must belong to its store."""
    wanted = {a.pk: a for a in agents}
    members_of_store = set(
        Membership.objects.filter(store_id=team.store_id, agent_id__in=wanted).values_list(
            "agent_id", flat=True
        )
    )
    outsiders = set(wanted) - members_of_store
    if outsiders:
        raise ActionError(_("Only members of the store can join its teams."), field="members")
    current = set(team.members.values_list("pk", flat=True))
    added, removed = sorted(set(wanted) - current), sorted(current - set(wanted))
    if not added and not removed:
        return team
    team.members.add(*added)
    team.members.remove(*removed)
    publish(
        TeamMembersChanged(
            store_id=team.store_id, actor=actor, team_id=team.pk, added=added, removed=removed
        )
    )
    return team


@transaction.atomic
def update_preferences(
    agent: Agent,
    *,
    actor: Actor,
    name: str | None = None,
    language: str | None = None,
    timezone: str | None = None,
) -> Agent:
    """Change an agent's own display name, UI language or time zone."""
    # Validate everything before touching the instance: a refusal changes nothing.
    if name is not None and not name.strip():
        raise ActionError(_("An agent needs a name."), field="name")
    if language is not None:
        _check_language(language)
    if timezone is not None:
        _check_timezone(timezone)
    wanted = {
        "name": name.strip() if name is not None else None,
        "language": language,
        "timezone": timezone,
    }
    changed = [
        field
        for field, value in wanted.items()
        if value is not None and value != getattr(agent, field)
    ]
    for field in changed:
        setattr(agent, field, wanted[field])
    if not changed:
        return agent
    agent.save(update_fields=changed)
    for store_id in agent.memberships.values_list("store_id", flat=True):
        publish(
            AgentPreferencesChanged(
                store_id=store_id, actor=actor, agent_id=agent.pk, changed=changed
            )
        )
    return agent


@transaction.atomic
def set_availability(agent: Agent, *, availability: str, actor: Actor) -> Agent:
    """The agent marks themselves available or away (for chats and routing)."""
    from tiski.agents.presence import presence_of

    if availability not in Availability.values:
        raise ActionError(_("Choose available or away."), field="availability")
    if agent.availability == availability:
        return agent
    agent.availability = availability
    agent.save(update_fields=["availability"])
    announce_presence(agent, presence_of(agent), actor=actor)
    return agent


def announce_presence(agent: Agent, presence: str, *, actor: Actor) -> None:
    """Tell every store of the agent how the agent can be reached now."""
    for store_id in agent.memberships.values_list("store_id", flat=True):
        publish(
            AgentPresenceChanged(
                store_id=store_id,
                actor=actor,
                agent_id=agent.pk,
                name=agent.name,
                presence=presence,
            )
        )
