from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tiski.events import Event


@dataclass(frozen=True, kw_only=True)
class ContactCreated(Event):
    type: ClassVar[str] = "contact.created"
    contact_id: int
    name: str


@dataclass(frozen=True, kw_only=True)
class ContactUpdated(Event):
    type: ClassVar[str] = "contact.updated"
    contact_id: int
    changed: list[str]


@dataclass(frozen=True, kw_only=True)
class IdentityAdded(Event):
    type: ClassVar[str] = "contact.identity_added"
    contact_id: int
    kind: str
    value: str


@dataclass(frozen=True, kw_only=True)
class ContactNoteAdded(Event):
    type: ClassVar[str] = "contact.note_added"
    contact_id: int
    note_id: int


@dataclass(frozen=True, kw_only=True)
class ContactTagsChanged(Event):
    type: ClassVar[str] = "contact.tags_changed"
    contact_id: int
    added: list[str]
    removed: list[str]


@dataclass(frozen=True, kw_only=True)
class ContactsMerged(Event):
    type: ClassVar[str] = "contact.merged"
    source_id: int
    target_id: int
