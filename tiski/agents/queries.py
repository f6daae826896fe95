"""What an agent may see: the stores they are a member of, and nothing else."""

from __future__ import annotations

from django.db.models import QuerySet

from tiski.agents.models import Agent, Membership, Team
from tiski.stores.models import Store


def store_ids_for(agent: Agent) -> list[int]:
    # Cached on the instance: a request asks this several times.
    cached: list[int] | None = getattr(agent, "_tiski_store_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(agent=agent, agent__is_active=True).values_list(
                "store_id", flat=True
            )
        )
        agent._tiski_store_ids = cached  # type: ignore[attr-defined]
    return cached


def stores_for(agent: Agent) -> QuerySet[Store]:
    return Store.objects.filter(pk__in=store_ids_for(agent)).order_by("name")


def teams_for(agent: Agent) -> QuerySet[Team]:
    return Team.objects.filter(store_id__in=store_ids_for(agent)).order_by("store__name", "name")


def membership(agent: Agent, store_id: int) -> Membership | None:
    return Membership.objects.filter(agent=agent, store_id=store_id).first()


def agents_of(store_ids: list[int]) -> QuerySet[Agent]:
    return Agent.objects.filter(memberships__store_id__in=store_ids, is_active=True).distinct()
