"""Who did it: every action records its actor, and every event carries it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tiski.agents.models import Agent
    from tiski.contacts.models import Contact
    from tiski.stores.models import ApiKey


class ActorKind(StrEnum):
    AGENT = "agent"
    CONTACT = "contact"
    API_KEY = "api_key"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: int | None
    name: str

    @classmethod
    def for_agent(cls, agent: Agent) -> Actor:
        return cls(ActorKind.AGENT, agent.pk, agent.name)

    @classmethod
    def for_contact(cls, contact: Contact) -> Actor:
        return cls(ActorKind.CONTACT, contact.pk, contact.name)

    @classmethod
    def for_api_key(cls, key: ApiKey) -> Actor:
        return cls(ActorKind.API_KEY, key.pk, key.name)

    @classmethod
    def system(cls, name: str = "Tiski") -> Actor:
        return cls(ActorKind.SYSTEM, None, name)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "id": self.id, "name": self.name}

    @property
    def agent_id(self) -> int | None:
        return self.id if self.kind is ActorKind.AGENT else None
