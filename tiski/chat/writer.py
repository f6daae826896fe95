"""The chat writer: group commit for messages arriving over websockets.

Each connection submits its message and awaits the outcome. One thread per process
takes everything that queued up while the previous batch was committing and stores it
with ``receive_messages`` in one transaction. At low load a batch is one message; under
load batches grow by themselves, so the number of commits stays what the database can
do while every message is still acknowledged only after its own commit.

The thread takes its batches from the queue itself and hands each batch's outcomes
back to the event loop in one call. It does not wait for the loop between batches:
the loop is the busiest part of the server, and a hand-off per batch each way left
the writer idle for about a twelfth of its time (``make bench-chat``, profiled).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

from tiski.conversations.actions import InboundMessage, Received, receive_messages
from tiski.core.errors import ActionError
from tiski.core.loops import PerLoop

logger = logging.getLogger(__name__)

MAX_BATCH = 256

Outcome = Received | ActionError
T = TypeVar("T")


class WriterStopped(RuntimeError):
    """The writer was closed or its thread ended: send again (same client id)."""


@dataclass(frozen=True, slots=True)
class _Message:
    inbound: InboundMessage
    future: asyncio.Future[Outcome]


@dataclass(frozen=True, slots=True)
class _Call:
    """A job to run on the writer's thread and connection, between batches."""

    job: Callable[[], Any]
    future: asyncio.Future[Any]


class _Stop:
    pass


_Item = _Message | _Call | _Stop


class ChatWriter:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.inbox: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self.batches = 0
        self.messages = 0
        self._held: _Item | None = None  # taken while gathering a batch, handled next
        self.closed = False
        self._stopped: asyncio.Future[None] = loop.create_future()
        # One thread: one database connection, commits in submission order.
        self.thread = threading.Thread(target=self._work, name="tiski-chat-writer", daemon=True)
        self.thread.start()
        # Ends when the thread does; PerLoop then makes a new writer.
        self.task = loop.create_task(self._watch(), name="tiski-chat-writer")

    async def submit(self, inbound: InboundMessage) -> Outcome:
        if self.closed:
            raise WriterStopped("the chat writer is closed")
        future: asyncio.Future[Outcome] = self.loop.create_future()
        self.inbox.put(_Message(inbound, future))
        return await future

    async def call(self, job: Callable[[], T]) -> T:
        """Run ``job`` on the writer's thread, between batches (with its connection)."""
        if self.closed:
            raise WriterStopped("the chat writer is closed")
        future: asyncio.Future[T] = self.loop.create_future()
        self.inbox.put(_Call(job, future))
        return await future

    async def close(self) -> None:
        """Store what was submitted, then release the thread and its database connection."""
        # Set on the loop, as submit checks it: nothing is queued behind the stop.
        self.closed = True
        if self.thread.is_alive():
            self.inbox.put(_Stop())
            await asyncio.to_thread(self.thread.join)
        self.task.cancel()

    async def _watch(self) -> None:
        await self._stopped

    # --- the writer's thread -----------------------------------------------------------

    def _work(self) -> None:
        try:
            while self._step():
                pass
        finally:
            # However the thread ends, nobody waits for ever: what is still queued fails
            # (its senders retry with the same client ids, on the next writer).
            left = [] if self._held is None else [self._held]
            while True:
                try:
                    left.append(self.inbox.get_nowait())
                except queue.Empty:
                    break
            stopped = WriterStopped("the chat writer stopped")
            for item in left:
                if not isinstance(item, _Stop):
                    self._to_loop(_set_exception, item.future, stopped)
            connections.close_all()
            self._to_loop(_set_result, self._stopped, None)

    def _step(self) -> bool:
        """Store one batch or run one job; False when it is time to stop."""
        first = self._held or self.inbox.get()
        self._held = None
        if isinstance(first, _Stop):
            return False
        if isinstance(first, _Call):
            try:
                result = first.job()
            except Exception as exc:  # the caller hears it
                return self._to_loop(_set_exception, first.future, exc)
            return self._to_loop(_set_result, first.future, result)
        batch = [first]
        while len(batch) < MAX_BATCH:
            try:
                more = self.inbox.get_nowait()
            except queue.Empty:
                break
            if not isinstance(more, _Message):
                self._held = more  # a job or the end: after this batch, in turn
                break
            batch.append(more)
        return self._store_batch(batch)

    def _store_batch(self, batch: list[_Message]) -> bool:
        outcomes: list[Outcome] | Exception
        try:
            outcomes = _store([item.inbound for item in batch])
        except Exception as exc:
            # The database is gone or broke: every sender hears it and retries with
            # the same client id, so nothing is lost and nothing is stored twice.
            logger.exception("the chat writer could not store %d messages", len(batch))
            outcomes = exc
        except BaseException:
            # The thread is ending (an interpreter exit): its senders hear it first.
            self._to_loop(_settle, [item.future for item in batch], WriterStopped("stopped"))
            raise
        self.batches += 1
        self.messages += len(batch)
        return self._to_loop(_settle, [item.future for item in batch], outcomes)

    def _to_loop(self, callback: Callable[..., None], *args: Any) -> bool:
        """Hand ``callback(*args)`` to the event loop: one wake-up of the loop per batch.
        False when the loop is gone."""
        try:
            self.loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:
            return False  # the loop closed without closing the writer (a test ended)
        return True


def _settle(futures: list[asyncio.Future[Outcome]], outcomes: list[Outcome] | Exception) -> None:
    for index, future in enumerate(futures):
        if future.done():
            continue  # the sender gave up (its socket closed)
        if isinstance(outcomes, Exception):
            future.set_exception(outcomes)
        else:
            future.set_result(outcomes[index])


def _set_result(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():
        future.set_result(result)


def _set_exception(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


def _store(inbounds: list[InboundMessage]) -> list[Outcome]:
    # The writer keeps its connection: opening one per batch (what CONN_MAX_AGE=0 and
    # close_old_connections would do) cost more than the batch. After a failure it is
    # checked, and replaced if the database dropped it; the failed batch was retried by
    # its senders with the same client ids.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.connection is not None and connection.errors_occurred:
        if connection.is_usable():
            connection.errors_occurred = False
        else:
            connection.close()
    return receive_messages(inbounds)


_writers: PerLoop[ChatWriter] = PerLoop(ChatWriter)


def writer() -> ChatWriter:
    """This event loop's writer (one per server process; tests run several loops)."""
    return _writers.get()


async def close_writer() -> None:
    """Close this event loop's writer, if it has one (at server shutdown, in tests)."""
    found = _writers.pop()
    if found is not None:
        await found.close()
