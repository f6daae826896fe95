"""The single-process channel layer: the Channels contract, without walking everything."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.exceptions import ChannelFull

from tiski.core import layers
from tiski.core.layers import LocalChannelLayer


class Clock:
    """Stands in for the module's ``time`` so that expiry can be tested without waiting."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(layers, "time", fake)
    return fake


async def receive(layer: LocalChannelLayer, channel: str) -> dict[str, Any]:
    return await asyncio.wait_for(layer.receive(channel), timeout=2)


async def nothing_for(layer: LocalChannelLayer, channel: str) -> bool:
    task = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0.02)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        return True
    return False


async def test_a_message_sent_is_received_and_the_sender_keeps_its_own_dict() -> None:
    layer = LocalChannelLayer()
    channel = await layer.new_channel()
    event = {"seq": 1}
    await layer.send(channel, {"type": "tiski.event", "event": event})
    event["seq"] = 99
    assert await receive(layer, channel) == {"type": "tiski.event", "event": {"seq": 1}}


async def test_a_waiting_receiver_is_woken_by_a_send() -> None:
    layer = LocalChannelLayer()
    waiting = asyncio.ensure_future(layer.receive("a"))
    await asyncio.sleep(0)
    await layer.send("a", {"type": "x"})
    assert await asyncio.wait_for(waiting, 2) == {"type": "x"}


async def test_group_send_reaches_the_members_and_only_them() -> None:
    layer = LocalChannelLayer()
    for channel in ("a", "b", "c"):
        await layer.group_add("store.1", channel)
    await layer.group_add("store.2", "d")
    await layer.group_discard("store.1", "c")
    numbers = [1]
    await layer.group_send("store.1", {"type": "tiski.event", "n": numbers})
    numbers.append(2)  # after the call: the members must not see it
    assert await receive(layer, "a") == {"type": "tiski.event", "n": [1]}
    assert await receive(layer, "b") == {"type": "tiski.event", "n": [1]}
    assert await nothing_for(layer, "c")
    assert await nothing_for(layer, "d")
    assert layer.memberships == {"a": {"store.1"}, "b": {"store.1"}, "d": {"store.2"}}


async def test_a_group_whose_last_member_left_is_gone() -> None:
    layer = LocalChannelLayer()
    await layer.group_add("g", "a")
    await layer.group_discard("g", "a")
    await layer.group_discard("g", "never-joined")
    assert layer.groups == {}
    assert layer.memberships == {}
    await layer.group_send("g", {"type": "x"})  # nobody: no error, nothing kept
    assert layer.channels == {}


async def test_a_full_channel_refuses_a_send_and_a_group_send_skips_only_that_member() -> None:
    layer = LocalChannelLayer(capacity=2)
    await layer.group_add("g", "slow")
    await layer.group_add("g", "fast")
    await layer.send("slow", {"type": "one"})
    await layer.send("slow", {"type": "two"})
    with pytest.raises(ChannelFull):
        await layer.send("slow", {"type": "three"})
    await layer.group_send("g", {"type": "four"})
    assert await receive(layer, "fast") == {"type": "four"}
    assert [(await receive(layer, "slow"))["type"] for _ in range(2)] == ["one", "two"]
    assert await nothing_for(layer, "slow")


async def test_an_expired_message_is_dropped_and_the_next_one_received(clock: Clock) -> None:
    layer = LocalChannelLayer(expiry=60)
    await layer.send("a", {"type": "old"})
    clock.now += 61
    await layer.send("a", {"type": "new"})
    assert await receive(layer, "a") == {"type": "new"}


async def test_the_sweep_removes_a_channel_nobody_reads_from_its_groups(clock: Clock) -> None:
    layer = LocalChannelLayer(expiry=60)
    await layer.group_add("g", "gone")
    await layer.group_add("h", "gone")
    await layer.group_add("g", "alive")
    listening = asyncio.ensure_future(layer.receive("alive"))
    await asyncio.sleep(0)
    await layer.group_send("g", {"type": "x"})
    assert await asyncio.wait_for(listening, 2) == {"type": "x"}
    # "alive" reads again and waits; "gone" never reads: its message expires.
    listening = asyncio.ensure_future(layer.receive("alive"))
    await asyncio.sleep(0)
    clock.now += 61
    await layer.send("other", {"type": "y"})  # any call may run the sweep
    assert "gone" not in layer.channels
    assert layer.groups == {"g": {"alive": pytest.approx(clock.now - 61)}}
    assert layer.memberships == {"alive": {"g"}}
    await layer.group_send("g", {"type": "z"})
    assert await asyncio.wait_for(listening, 2) == {"type": "z"}


async def test_memberships_older_than_group_expiry_end(clock: Clock) -> None:
    layer = LocalChannelLayer(expiry=60, group_expiry=3600)
    await layer.group_add("g", "a")
    clock.now += 1800
    await layer.group_add("g", "b")
    clock.now += 1801
    layer.sweep()
    assert list(layer.groups["g"]) == ["b"]
    assert "a" not in layer.memberships


async def test_the_sweep_runs_at_most_once_per_expiry_not_on_every_call(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point of this layer: a send must not walk every channel and group."""
    layer = LocalChannelLayer(expiry=60)
    sweeps: list[float] = []
    real = layer.sweep

    def counted() -> None:
        sweeps.append(clock.now)
        real()

    monkeypatch.setattr(layer, "sweep", counted)
    for n in range(500):
        await layer.group_add("g", f"c{n}")
    for _ in range(130):
        await layer.group_send("g", {"type": "x"})
        clock.now += 1
    await nothing_for(layer, "idle")
    assert sweeps == [1_000_000.0 + 60, 1_000_000.0 + 120]


async def test_a_receiver_cancelled_after_being_woken_leaves_the_message_to_the_next() -> None:
    layer = LocalChannelLayer()
    first = asyncio.ensure_future(layer.receive("a"))
    second = asyncio.ensure_future(layer.receive("a"))
    await asyncio.sleep(0)
    await layer.send("a", {"type": "only"})
    first.cancel()  # woken, but cancelled before it ran
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await asyncio.wait_for(second, 2) == {"type": "only"}


async def test_channels_that_come_and_go_leave_nothing_behind() -> None:
    layer = LocalChannelLayer()
    for n in range(200):
        channel = f"c{n}"
        await layer.group_add("store.1", channel)
        await layer.send(channel, {"type": "x"})
        assert await receive(layer, channel) == {"type": "x"}
        await layer.group_discard("store.1", channel)
    assert (layer.channels, layer.groups, layer.memberships) == ({}, {}, {})


async def test_flush_forgets_everything() -> None:
    layer = LocalChannelLayer()
    await layer.group_add("g", "a")
    await layer.send("a", {"type": "x"})
    await layer.flush()
    assert (layer.channels, layer.groups, layer.memberships) == ({}, {}, {})
    await layer.group_send("g", {"type": "y"})
    assert await nothing_for(layer, "a")


async def test_bad_names_are_refused() -> None:
    layer = LocalChannelLayer()
    with pytest.raises(TypeError):
        await layer.send("no spaces allowed", {"type": "x"})
    with pytest.raises(TypeError):
        await layer.group_add("bad group!", "a")


async def test_receive_nowait_takes_what_is_queued_in_order_and_never_waits() -> None:
    layer = LocalChannelLayer()
    channel = await layer.new_channel()
    assert layer.receive_nowait(channel) is None  # nothing there: no mailbox is made
    assert channel not in layer.channels
    await layer.group_add("store.1", channel)
    await layer.send(channel, {"type": "a"})
    await layer.group_send("store.1", {"type": "b"})
    assert [layer.receive_nowait(channel), layer.receive_nowait(channel)] == [
        {"type": "a"},
        {"type": "b"},
    ]
    assert layer.receive_nowait(channel) is None
    assert channel not in layer.channels  # an empty mailbox is not kept
    await layer.group_send("store.1", {"type": "c"})  # the membership stays
    assert await receive(layer, channel) == {"type": "c"}


async def test_receive_nowait_drops_what_expired(clock: Clock) -> None:
    layer = LocalChannelLayer(expiry=60)
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "old"})
    clock.now += 30
    await layer.send(channel, {"type": "new"})
    clock.now += 31  # "old" waited 61 s, "new" 31 s
    assert layer.receive_nowait(channel) == {"type": "new"}
    assert layer.receive_nowait(channel) is None


def test_copy_message_copies_every_container_and_keeps_the_values() -> None:
    original: dict[str, Any] = {
        "type": "tiski.event",
        "event": {"seq": 3, "attachments": [{"id": 1, "tags": ("a", "b")}], "at": None},
        "raw": b"\x00",
        "odd": {1, 2},  # not msgpack's, still copied (by deepcopy)
    }
    copied = layers.copy_message(original)
    assert copied == original
    copied["event"]["attachments"][0]["id"] = 99
    copied["event"]["attachments"].append({})
    copied["odd"].add(3)
    assert original["event"]["attachments"] == [{"id": 1, "tags": ("a", "b")}]
    assert original["odd"] == {1, 2}
    assert copied["event"]["attachments"][0]["tags"] == ("a", "b")
