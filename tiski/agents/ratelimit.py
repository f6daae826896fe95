"""Throttling of failed logins, per client address and per account.

Counting per account stops a distributed guess at one password; counting per address
stops one client trying many accounts. Both live in the cache (Redis when scaled, so
every process shares the counts).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(address: str, email: str) -> list[str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:ip:{address}", f"login-fail:account:{digest}"]


def is_blocked(address: str, email: str) -> bool:
    counts = cache.get_many(_keys(address, email))
    return any(int(n) >= settings.LOGIN_RATE_LIMIT for n in counts.values())


def record_failure(address: str, email: str) -> None:
    for key in _keys(address, email):
        # add() is a no-op when the key exists, so the window starts at the first failure.
        cache.add(key, 0, timeout=settings.LOGIN_RATE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW)


def clear(address: str, email: str) -> None:
    # Only the account's counter: one good login must not unlock the address for others.
    cache.delete(_keys(address, email)[1])
