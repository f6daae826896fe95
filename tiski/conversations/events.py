"""The events conversation actions publish. Each carries the conversation's sequence number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from tiski.events import Event, conversation_group, store_group, widget_group


@dataclass(frozen=True, kw_only=True)
class ConversationEventBase(Event):
    conversation_id: int
    seq: int
    # Public events also reach the customer's widget; the rest stay with the staff.
    public: ClassVar[bool] = False

    @property
    def is_public(self) -> bool:
        return self.public

    def groups(self) -> list[str]:
        groups = [store_group(self.store_id), conversation_group(self.conversation_id)]
        if self.is_public:
            groups.append(widget_group(self.conversation_id))
        return groups


@dataclass(frozen=True, kw_only=True)
class ConversationCreated(ConversationEventBase):
    type: ClassVar[str] = "conversation.created"
    number: int
    channel: str
    status: str
    contact_id: int
    subject: str


@dataclass(frozen=True, kw_only=True)
class MessageCreated(ConversationEventBase):
    type: ClassVar[str] = "message.created"
    message_id: int
    kind: str
    direction: str
    author_type: str
    author_name: str
    body_text: str
    body_html: str
    status: str
    created_at: str
    external_id: str = ""
    # Sent by the desk on its own (an acknowledgement), not written by anyone.
    automatic: bool = False
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_public(self) -> bool:
        return self.kind == "reply"


@dataclass(frozen=True, kw_only=True)
class MessageStatusChanged(ConversationEventBase):
    type: ClassVar[str] = "message.status_changed"
    message_id: int
    status: str
    error: str = ""
    # Delivery of replies is the customer's business too (read receipts); of notes, not.
    reply: bool = True

    @property
    def is_public(self) -> bool:
        return self.reply


@dataclass(frozen=True, kw_only=True)
class ConversationAssigned(ConversationEventBase):
    type: ClassVar[str] = "conversation.assigned"
    assignee_id: int | None
    assignee_name: str
    team_id: int | None
    team_name: str
    previous_assignee_id: int | None
    previous_team_id: int | None


@dataclass(frozen=True, kw_only=True)
class ConversationStatusChanged(ConversationEventBase):
    # The customer's chat shows when their question was resolved.
    type: ClassVar[str] = "conversation.status_changed"
    public: ClassVar[bool] = True
    status: str
    previous_status: str
    snoozed_until: str | None = None


@dataclass(frozen=True, kw_only=True)
class ConversationPriorityChanged(ConversationEventBase):
    type: ClassVar[str] = "conversation.priority_changed"
    priority: str
    previous_priority: str


@dataclass(frozen=True, kw_only=True)
class ConversationLabelsChanged(ConversationEventBase):
    type: ClassVar[str] = "conversation.labels_changed"
    added: list[str]
    removed: list[str]
    labels: list[str]


@dataclass(frozen=True, kw_only=True)
class ConversationCcChanged(ConversationEventBase):
    """Who the conversation's email replies are copied to."""

    type: ClassVar[str] = "conversation.cc_changed"
    added: list[str]
    removed: list[str]
    cc: list[str]


@dataclass(frozen=True, kw_only=True)
class ConversationMerged(ConversationEventBase):
    """Published on both sides of a merge, each with its own sequence number."""

    type: ClassVar[str] = "conversation.merged"
    source_id: int
    target_id: int
    moved_messages: int


@dataclass(frozen=True, kw_only=True)
class LabelCreated(Event):
    type: ClassVar[str] = "label.created"
    label_id: int
    name: str
    color: str


@dataclass(frozen=True, kw_only=True)
class CannedResponseSaved(Event):
    type: ClassVar[str] = "canned_response.saved"
    canned_response_id: int
    shortcut: str
    created: bool


@dataclass(frozen=True, kw_only=True)
class CannedResponseDeleted(Event):
    type: ClassVar[str] = "canned_response.deleted"
    canned_response_id: int
    shortcut: str


@dataclass(frozen=True, kw_only=True)
class ConversationRead(ConversationEventBase):
    """One side has seen everything up to ``up_to_seq`` (read receipts in both directions)."""

    type: ClassVar[str] = "conversation.read"
    by: str  # "contact" or "agent"
    up_to_seq: int
    public: ClassVar[bool] = True
