"""What applying every kind of record shares: which version of a record wins."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")


class Outcome(StrEnum):
    APPLIED = "applied"
    # Older than what is stored (an old retry, or webhooks crossing): nothing changed.
    STALE = "stale"
    # Names an order Tiski has not stored yet (a fulfillment before its order).
    MISSING = "missing"


def is_older(incoming: datetime | None, stored: datetime | None) -> bool:
    """Whether a record stamped ``incoming`` is older than the stored version. Unstamped
    records always apply: without a clock there is no telling, and the shop sent it."""
    return incoming is not None and stored is not None and incoming < stored


def newest(
    items: Sequence[tuple[int, T]], key: Callable[[T], str], stamp: Callable[[T], datetime | None]
) -> tuple[list[tuple[int, T]], list[int]]:
    """Of several versions of one record in a batch, the newest (the later one on a tie);
    returns the winners, in order, and the positions of the others."""
    best: dict[str, tuple[int, T]] = {}
    losers: list[int] = []
    for position, item in items:
        current = best.get(key(item))
        if current is not None and is_older(stamp(item), stamp(current[1])):
            losers.append(position)
            continue
        if current is not None:
            losers.append(current[0])
        best[key(item)] = (position, item)
    return sorted(best.values(), key=lambda pair: pair[0]), losers
