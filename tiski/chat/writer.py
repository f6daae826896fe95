"""The chat writer: group commit for messages arriving over websockets.

Each connection submits its message and awaits the outcome. One thread per process
takes everything that queued up while the previous batch was committing and stores it
with ``receive_messages`` in one transaction. At low load a batch is one message; under
load batches grow by themselves, so the number of commits stays what the database can
do while every message is still acknowledged only after its own commit.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from django.db import DEFAULT_DB_ALIAS, connections

from tiski.conversations.actions import InboundMessage, Received, receive_messages
from tiski.core.errors import ActionError
from tiski.core.loops import PerLoop

logger = logging.getLogger(__name__)

MAX_BATCH = 256

Outcome = Received | ActionError


class ChatWriter:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[tuple[InboundMessage, asyncio.Future[Outcome]]] = asyncio.Queue()
        # One thread: one database connection, commits in submission order.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tiski-chat-writer")
        self.task = loop.create_task(self._run(), name="tiski-chat-writer")
        self.batches = 0
        self.messages = 0

    async def close(self) -> None:
        """Stop taking messages and release the thread and its database connection."""
        self.task.cancel()
        await self.loop.run_in_executor(self.executor, connections.close_all)
        self.executor.shutdown(wait=True)

    async def submit(self, inbound: InboundMessage) -> Outcome:
        future: asyncio.Future[Outcome] = self.loop.create_future()
        self.queue.put_nowait((inbound, future))
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self.queue.get()]
            while len(batch) < MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            inbounds = [inbound for inbound, _future in batch]
            try:
                outcomes = await self.loop.run_in_executor(self.executor, _store, inbounds)
            except Exception as exc:
                # The database is gone or broke: every sender hears it and retries with
                # the same client id, so nothing is lost and nothing is stored twice.
                logger.exception("the chat writer could not store %d messages", len(batch))
                for _inbound, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.batches += 1
            self.messages += len(batch)
            for (_inbound, future), outcome in zip(batch, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)


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
