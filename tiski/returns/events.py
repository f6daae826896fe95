from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tiski.events import Event


@dataclass(frozen=True, kw_only=True)
class ReturnRequested(Event):
    type: ClassVar[str] = "return.requested"
    return_id: int
    number: int
    order_id: int
    conversation_id: int | None
