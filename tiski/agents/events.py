from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tiski.events import Event


@dataclass(frozen=True, kw_only=True)
class MembershipAdded(Event):
    type: ClassVar[str] = "membership.added"
    agent_id: int
    role: str


@dataclass(frozen=True, kw_only=True)
class MembershipRemoved(Event):
    type: ClassVar[str] = "membership.removed"
    agent_id: int


@dataclass(frozen=True, kw_only=True)
class TeamCreated(Event):
    type: ClassVar[str] = "team.created"
    team_id: int
    name: str


@dataclass(frozen=True, kw_only=True)
class TeamMembersChanged(Event):
    type: ClassVar[str] = "team.members_changed"
    team_id: int
    added: list[int]
    removed: list[int]


@dataclass(frozen=True, kw_only=True)
class AgentPreferencesChanged(Event):
    """Published to every store the agent belongs to (one event per store)."""

    type: ClassVar[str] = "agent.preferences_changed"
    agent_id: int
    changed: list[str]


@dataclass(frozen=True, kw_only=True)
class AgentPresenceChanged(Event):
    """An agent came online, went away or left; one event per store of the agent."""

    type: ClassVar[str] = "agent.presence"
    agent_id: int
    name: str
    presence: str  # "online", "away" or "offline"
