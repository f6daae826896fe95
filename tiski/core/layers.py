"""The channel layer of a single process (no Redis): groups and mailboxes in memory.

Channels ships ``InMemoryChannelLayer`` for this, but it walks every channel and every
group membership on each send and receive (its expiry clean-up), and starts a task and
deep-copies the message for every member of a group. With a few thousand open widgets
that walk is most of the server's CPU (measured by ``make bench-chat``). This layer keeps
the same contract (channels, groups, capacity, message expiry, group expiry) and does
each operation in time proportional to what it touches; the clean-up of channels nobody
reads any more runs at most once per ``expiry`` seconds.

Messages sent to a group are copied once and shared by the members' consumers, which
only read them (a consumer that wants to change one copies it first).
"""

from __future__ import annotations

import asyncio
import random
import string
import time
from collections import deque
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer

_IMMUTABLE = (str, int, float, bool, type(None), bytes)


def copy_message(value: Any) -> Any:
    """A deep copy of a channel-layer message, about four times faster than ``deepcopy``.

    Messages hold what msgpack can carry (the contract of every channel layer): dicts,
    lists, tuples and immutable scalars, so there is nothing to memoise. Anything else
    still goes through ``deepcopy``.
    """
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _IMMUTABLE else copy_message(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _IMMUTABLE else copy_message(v) for v in value]
    if kind is tuple:
        return tuple(v if type(v) in _IMMUTABLE else copy_message(v) for v in value)
    if kind in _IMMUTABLE:
        return value
    return deepcopy(value)


class _Mailbox:
    """One channel's messages and the receivers waiting for the next one."""

    __slots__ = ("capacity", "messages", "waiters")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.messages: deque[tuple[float, dict[str, Any]]] = deque()
        self.waiters: deque[asyncio.Future[None]] = deque()

    def put(self, channel: str, expires: float, message: dict[str, Any]) -> None:
        if len(self.messages) >= self.capacity:
            raise ChannelFull(channel)
        self.messages.append((expires, message))
        self.wake()

    def take(self) -> dict[str, Any] | None:
        """The oldest message that has not expired, or None."""
        now = time.time()
        while self.messages:
            expires, message = self.messages.popleft()
            if expires >= now:
                return message
            # Waited longer than the expiry: the receiver was away; dropped, as every
            # channel layer does.
        return None

    def wake(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break


class LocalChannelLayer(BaseChannelLayer):
    extensions = ["groups", "flush"]
    # Its sends never wait for anything (no network): the event fan-out awaits them one
    # after another rather than as concurrent tasks.
    sends_at_once = True

    def __init__(
        self,
        expiry: int = 60,
        group_expiry: int = 86400,
        capacity: int = 100,
        channel_capacity: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            expiry=expiry, capacity=capacity, channel_capacity=channel_capacity, **kwargs
        )
        self.group_expiry = group_expiry
        self.channels: dict[str, _Mailbox] = {}
        # group -> {channel: joined at}, and the reverse, so that a dead channel leaves
        # its groups without a walk over all of them.
        self.groups: dict[str, dict[str, float]] = {}
        self.memberships: dict[str, set[str]] = {}
        self.swept = time.monotonic()

    # --- channels -----------------------------------------------------------------------

    async def new_channel(self, prefix: str = "specific.") -> str:
        tail = "".join(random.choice(string.ascii_letters) for _ in range(12))
        return f"{prefix}.inmemory!{tail}"

    def _mailbox(self, channel: str) -> _Mailbox:
        box = self.channels.get(channel)
        if box is None:
            box = self.channels[channel] = _Mailbox(self.get_capacity(channel))
        return box

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._sweep_now_and_then()
        self._mailbox(channel).put(channel, time.time() + self.expiry, copy_message(message))

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        self._sweep_now_and_then()
        box = self._mailbox(channel)
        try:
            while True:
                message = box.take()
                if message is not None:
                    return message
                waiter = asyncio.get_running_loop().create_future()
                box.waiters.append(waiter)
                try:
                    await waiter
                finally:
                    if not waiter.done():
                        waiter.cancel()
                    if waiter in box.waiters:
                        box.waiters.remove(waiter)
        finally:
            if box.messages and box.waiters:
                # Woken but cancelled before taking the message: wake the next receiver.
                box.wake()
            elif not box.messages and not box.waiters and self.channels.get(channel) is box:
                # A consumer between two receives has no mailbox; its groups stay.
                del self.channels[channel]

    def receive_nowait(self, channel: str) -> dict[str, Any] | None:
        """The channel's next message if one is waiting, else None; never suspends.

        A consumer that just handled a message takes the ones queued behind it at once
        (see JsonSocket.dispatch) instead of one per turn of the event loop: a busy
        agent's inbox receives a message per customer message of the whole store.
        """
        box = self.channels.get(channel)
        if box is None:
            return None
        message = box.take()
        if message is None and not box.waiters:
            del self.channels[channel]
        return message

    # --- groups -------------------------------------------------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        self.groups.setdefault(group, {})[channel] = time.time()
        self.memberships.setdefault(channel, set()).add(group)

    async def group_discard(self, group: str, channel: str) -> None:
        self.require_valid_channel_name(channel)
        self.require_valid_group_name(group)
        self._leave(group, channel)

    def _leave(self, group: str, channel: str) -> None:
        members = self.groups.get(group)
        if members is not None:
            members.pop(channel, None)
            if not members:
                del self.groups[group]
        joined = self.memberships.get(channel)
        if joined is not None:
            joined.discard(group)
            if not joined:
                del self.memberships[channel]

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        self._sweep_now_and_then()
        members = self.groups.get(group)
        if not members:
            return
        shared = copy_message(message)  # the sender may change its dict after this call
        expires = time.time() + self.expiry
        for channel in list(members):
            try:  # noqa: SIM105 (suppress() costs a context manager per member)
                self._mailbox(channel).put(channel, expires, shared)
            except ChannelFull:
                pass  # a member that stopped reading misses it, as on every layer

    # --- clean-up -----------------------------------------------------------------------

    def _sweep_now_and_then(self) -> None:
        now = time.monotonic()
        if now - self.swept < self.expiry:
            return
        self.swept = now
        self.sweep()

    def sweep(self) -> None:
        """Drop channels nobody reads any more, and memberships older than group_expiry.

        A channel whose oldest message expired with no receiver waiting belongs to a
        consumer that is gone without leaving its groups; it leaves them now.
        """
        wall = time.time()
        for channel, box in list(self.channels.items()):
            if box.waiters or not box.messages or box.messages[0][0] >= wall:
                continue
            while box.messages and box.messages[0][0] < wall:
                box.messages.popleft()
            for group in list(self.memberships.get(channel, ())):
                self._leave(group, channel)
            if not box.messages:
                del self.channels[channel]
        too_old = wall - self.group_expiry
        for group, members in list(self.groups.items()):
            for channel, joined in list(members.items()):
                if joined < too_old:
                    self._leave(group, channel)

    # --- flush extension ----------------------------------------------------------------

    async def flush(self) -> None:
        self.channels = {}
        self.groups = {}
        self.memberships = {}

    async def close(self) -> None:
        pass
