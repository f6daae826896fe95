from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tiski.events import Event


@dataclass(frozen=True, kw_only=True)
class MailboxSaved(Event):
    """An IMAP mailbox was added or changed (never carries the password)."""

    type: ClassVar[str] = "mail.mailbox_saved"
    mailbox_id: int
    changed: list[str]
