"""JsonSocket: channel-layer messages queued behind one are handled in the same turn."""

from __future__ import annotations

from typing import Any

from tiski.core.layers import LocalChannelLayer
from tiski.core.sockets import DRAIN_AT_MOST, JsonSocket


class Recorder(JsonSocket):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Any] = []

    async def tiski_note(self, message: dict[str, Any]) -> None:
        self.seen.append(message["n"])

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        self.seen.append("frame")


async def socket_with_layer() -> tuple[Recorder, LocalChannelLayer]:
    layer = LocalChannelLayer(capacity=1000)
    socket = Recorder()
    socket.channel_layer = layer
    socket.channel_name = await layer.new_channel()
    return socket, layer


async def test_messages_queued_behind_one_are_handled_in_order_at_once() -> None:
    socket, layer = await socket_with_layer()
    for n in (2, 3, 4):
        await layer.send(socket.channel_name, {"type": "tiski.note", "n": n})
    await socket.dispatch({"type": "tiski.note", "n": 1})
    assert socket.seen == [1, 2, 3, 4]
    assert layer.receive_nowait(socket.channel_name) is None


async def test_the_drain_is_bounded_so_the_socket_gets_a_turn() -> None:
    socket, layer = await socket_with_layer()
    for n in range(DRAIN_AT_MOST + 10):
        await layer.send(socket.channel_name, {"type": "tiski.note", "n": n + 1})
    await socket.dispatch({"type": "tiski.note", "n": 0})
    assert socket.seen == list(range(DRAIN_AT_MOST + 1))
    # The rest is still queued, in order, for the next turn.
    left = layer.receive_nowait(socket.channel_name)
    assert left is not None and left["n"] == DRAIN_AT_MOST + 1


async def test_a_frame_from_the_client_does_not_drain_the_channel() -> None:
    socket, layer = await socket_with_layer()
    await layer.send(socket.channel_name, {"type": "tiski.note", "n": 1})
    await socket.dispatch({"type": "websocket.receive", "text": "{}"})
    assert socket.seen == ["frame"]
    assert layer.receive_nowait(socket.channel_name) == {"type": "tiski.note", "n": 1}
