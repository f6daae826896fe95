"""Who of a store's agents is connected right now, kept in the cache (Redis when
scaled, so every process agrees).

Each connected agent has a key that expires unless a connection refreshes it; an agent
whose last tab closed or whose machine slept simply drops out after PRESENCE_TTL.
Presence combines that with the agent's own choice (available or away).
"""

from __future__ import annotations

from django.core.cache import cache

from tiski.agents.models import Agent, Availability, Membership

PRESENCE_TTL = 75  # seconds; connections refresh every HEARTBEAT seconds
HEARTBEAT = 30


def _key(agent_id: int) -> str:
    return f"presence:agent:{agent_id}"


def mark_connected(agent_id: int) -> None:
    cache.set(_key(agent_id), 1, timeout=PRESENCE_TTL)


def mark_disconnected(agent_id: int) -> None:
    cache.delete(_key(agent_id))


def is_connected(agent_id: int) -> bool:
    return cache.get(_key(agent_id)) is not None


def presence_of(agent: Agent) -> str:
    if not is_connected(agent.pk):
        return "offline"
    return "online" if agent.availability == Availability.ONLINE else "away"


def available_agents(store_id: int) -> list[int]:
    """Agents of the store who are connected and have not set themselves away."""
    members = list(
        Membership.objects.filter(
            store_id=store_id, agent__is_active=True, agent__availability=Availability.ONLINE
        ).values_list("agent_id", flat=True)
    )
    connected = cache.get_many([_key(agent_id) for agent_id in members])
    return [agent_id for agent_id in members if _key(agent_id) in connected]


def presences(agents: list[Agent]) -> dict[int, str]:
    """presence_of for many agents in one cache round trip."""
    connected = cache.get_many([_key(agent.pk) for agent in agents])
    return {
        agent.pk: (
            "offline"
            if _key(agent.pk) not in connected
            else "online"
            if agent.availability == Availability.ONLINE
            else "away"
        )
        for agent in agents
    }
