"""A per-store counter that changes whenever the help center's published content does,
so whole pages' worth of reads (the home page's listing, the sitemap) can be cached
under it and are never stale: a write moves the counter, and the old entries are simply
never asked for again. Shared between processes when the cache is Redis."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

# Cached reads live this long at most, even unchanged.
CACHE_SECONDS = 600


def _key(store_id: int) -> str:
    return f"help:generation:{store_id}"


def current(store_id: int) -> int:
    key = _key(store_id)
    value = cache.get(key)
    if value is None:
        # Not 0: after a cache restart a counter starting again at 0 could meet entries
        # another process cached under 0 before.
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key, 0)
    return int(value)


def changed(store_id: int) -> None:
    """Call inside the writing transaction: moves the counter now and after commit (a
    read between the two could cache what it saw before the commit)."""
    _bump(store_id)
    transaction.on_commit(lambda: _bump(store_id))


def _bump(store_id: int) -> None:
    key = _key(store_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), timeout=None)


def cached_key(store_id: int, name: str) -> str:
    return f"help:{name}:{store_id}:{current(store_id)}"
