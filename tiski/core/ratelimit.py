"""Rate limits against floods.

* ``allow(key, limit, window)``: a fixed-window counter in the cache, shared by every
  process when the cache is Redis. For rare, per-address events: connections, sessions.
* ``TokenBucket``: in memory, per connection. For messages on an open websocket, where a
  cache round trip per message would cost more than the message.
* ``failures_exceeded`` / ``count_failures``: failed attempts (a guessed order number),
  counted only when they fail and checked before trying, so a blocked caller learns
  nothing and a successful one is never slowed down.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.cache import cache


def allow(key: str, limit: int, window: int) -> bool:
    """Count one hit on ``key``; False once more than ``limit`` hits fell in this window."""
    bucket = f"rate:{key}:{int(time.time()) // window}"
    cache.add(bucket, 0, timeout=window * 2)
    try:
        hits = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window * 2)
        hits = 1
    return hits <= limit


def _failure_key(key: str) -> str:
    return f"rate-fail:{key}"


def failures_exceeded(limits: Mapping[str, int]) -> bool:
    """Whether any key already counts ``limits[key]`` failures. Counts nothing."""
    counts = cache.get_many([_failure_key(key) for key in limits])
    return any(int(counts.get(_failure_key(key), 0)) >= limit for key, limit in limits.items())


def count_failures(keys: Iterable[str], window: int) -> None:
    """One more failure on each key; a key's window starts at its first failure."""
    for key in keys:
        name = _failure_key(key)
        # add() is a no-op when the key exists, so the window is not pushed back.
        cache.add(name, 0, timeout=window)
        try:
            cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=window)


@dataclass
class TokenBucket:
    """``rate`` tokens a second, bursts of up to ``burst``."""

    rate: float
    burst: float
    tokens: float = field(default=-1.0)
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
