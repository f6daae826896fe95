"""The current time as actions see it.

Normally the wall clock. Importers and the demo seeder replay history by setting the
clock to when something happened, so the same actions write the historical times.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_at: ContextVar[datetime | None] = ContextVar("tiski_clock", default=None)


def now() -> datetime:
    return _at.get() or timezone.now()


@contextmanager
def frozen_at(when: datetime) -> Iterator[None]:
    if timezone.is_naive(when):
        raise ValueError("the clock needs an aware datetime")
    token = _at.set(when)
    try:
        yield
    finally:
        _at.reset(token)
