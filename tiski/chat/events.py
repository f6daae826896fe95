from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tiski.events import Event


@dataclass(frozen=True, kw_only=True)
class ReplyAddressLeft(Event):
    """A chat visitor left an email address for answers (shown to the agents)."""

    type: ClassVar[str] = "chat.reply_address_left"
    conversation_id: int
    email: str


@dataclass(frozen=True, kw_only=True)
class ChatSettingsSaved(Event):
    type: ClassVar[str] = "chat.settings_saved"
    changed: list[str]
