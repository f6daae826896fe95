from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tiski.events import Event


@dataclass(frozen=True, kw_only=True)
class StoreCreated(Event):
    type: ClassVar[str] = "store.created"
    slug: str
    name: str


@dataclass(frozen=True, kw_only=True)
class StoreUpdated(Event):
    type: ClassVar[str] = "store.updated"
    changed: list[str]


@dataclass(frozen=True, kw_only=True)
class ApiKeyCreated(Event):
    type: ClassVar[str] = "api_key.created"
    api_key_id: int
    prefix: str
    scopes: list[str]


@dataclass(frozen=True, kw_only=True)
class ApiKeyRevoked(Event):
    type: ClassVar[str] = "api_key.revoked"
    api_key_id: int
    prefix: str
