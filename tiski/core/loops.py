"""One object per event loop: the server's loop has one; each test's loop its own."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar


class Running(Protocol):
    """An object that lives as long as its background task on the loop."""

    task: asyncio.Task[None]


T = TypeVar("T", bound=Running)


class PerLoop(Generic[T]):
    def __init__(self, factory: Callable[[asyncio.AbstractEventLoop], T]) -> None:
        self.factory = factory
        self.found: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = (
            weakref.WeakKeyDictionary()
        )

    def get(self) -> T:
        """The running loop's object, made anew if there is none or its task ended."""
        loop = asyncio.get_running_loop()
        found = self.found.get(loop)
        if found is None or found.task.done():
            found = self.found[loop] = self.factory(loop)
        return found

    def pop(self) -> T | None:
        """Forget the running loop's object and hand it over (to be closed), if any."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return self.found.pop(loop, None)
