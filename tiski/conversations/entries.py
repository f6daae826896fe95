"""Timeline entries: what the conversation page shows of each message.

A read model rather than Message instances: the page of a long conversation shows
hundreds of them, and building model instances (and resolving their display in the
template) is most of its cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tiski.agents.models import Agent
from tiski.conversations.models import Attachment, AuthorType, Conversation, Kind, Message

TIMELINE_LIMIT = 200


@dataclass(slots=True)
class TimelineEntry:
    id: int
    seq: int
    kind: str
    direction: str
    status: str
    error: str
    author: str
    body_html: str
    event_data: dict[str, Any] | None
    created_at: datetime
    # Sent by the desk on its own (an acknowledgement), not written by anyone.
    automatic: bool = False
    attachment_list: list[Attachment] = field(default_factory=list)

    @property
    def is_event(self) -> bool:
        return self.kind == Kind.EVENT

    @property
    def is_note(self) -> bool:
        return self.kind == Kind.NOTE

    @property
    def shows_delivery(self) -> bool:
        return self.kind == Kind.REPLY and self.direction == "out"


_COLUMNS = (
    "id", "seq", "kind", "direction", "status", "error", "author_type", "author_agent_id",
    "author_label", "body_html", "event_data", "created_at", "automatic",
)  # fmt: skip


def timeline_entries(
    conversation: Conversation,
    *,
    agent_names: dict[int, str],
    contact_name: str,
    limit: int = TIMELINE_LIMIT,
    since_seq: int = 0,
) -> tuple[list[TimelineEntry], bool]:
    """The newest ``limit`` entries in time order, and whether older ones exist.

    ``agent_names`` are the names already known (the store's agents); authors who have
    left the store are looked up in one more query.
    """
    rows = list(
        Message.objects.filter(conversation=conversation, seq__gt=since_seq)
        .order_by("-created_at", "-seq")
        .values_list(*_COLUMNS)[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    rows.reverse()
    missing = {row[7] for row in rows if row[7] is not None and row[7] not in agent_names}
    if missing:
        agent_names = {
            **agent_names,
            **dict(Agent.objects.filter(pk__in=missing).values_list("pk", "name")),
        }
    entries: list[TimelineEntry] = []
    for (
        pk, seq, kind, direction, status, error, author_type, agent_id, label, html, data, at,
        automatic,
    ) in rows:  # fmt: skip
        if author_type == AuthorType.CONTACT:
            author = contact_name
        elif agent_id is not None:
            author = agent_names.get(agent_id, label)
        else:
            author = label or "Tiski"
        entries.append(
            TimelineEntry(
                pk, seq, kind, direction, status, error, author, html, data, at, automatic
            )
        )
    by_id = {entry.id: entry for entry in entries}
    for attachment in Attachment.objects.filter(message_id__in=by_id).order_by("id"):
        by_id[attachment.message_id].attachment_list.append(attachment)
    return entries, more
