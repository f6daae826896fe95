"""Whole server processes: two of them sharing Redis, and one killed mid-stream."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async

from tests.conftest import PASSWORD, SYSTEM, make_agent, make_store
from tests.servers import AgentSession, Server
from tests.services import REDIS_URL, need, redis_available
from tiski.agents.models import Role
from tiski.conversations.models import Direction, Message
from tiski.stores.actions import create_api_key
from tiski.stores.models import ApiScope, Store


@pytest.fixture
def store(transactional_db: None) -> Store:
    store = make_store("revontuli", "RVT")
    make_agent("aino@revontuli.example", "Aino", store, Role.OWNER)
    return store


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def widget_url(server: Server, store: Store, visitor: str) -> str:
    return f"ws://127.0.0.1:{server.port}/ws/chat/?token={store.widget_token}&visitor={visitor}"


async def frames_until(socket: Any, predicate: Any, timeout: float = 10) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if predicate(frame):
                return frame


def is_event(kind: str, direction: str | None = None) -> Any:
    def check(frame: dict[str, Any]) -> bool:
        event = frame.get("event") or {}
        return (
            frame["type"] == "event"
            and event.get("type") == kind
            and (direction is None or event.get("direction") == direction)
        )

    return check


@pytest.mark.redis
async def test_a_customer_and_an_agent_on_different_processes_talk_live(
    store: Store, servers: list[Server]
) -> None:
    need("redis", redis_available(), f"nothing listens at {REDIS_URL}")
    shared = {"REDIS_URL": REDIS_URL, "TISKI_REDIS_PREFIX": f"tiski-test-{uuid.uuid4().hex[:8]}"}
    a, b = Server(env=shared), Server(env=shared)
    servers += [a, b]
    await asyncio.gather(sync_to_async(a.start)(), sync_to_async(b.start)())

    _status, session = await sync_to_async(a.post_json)(
        "/chat/session", {"token": store.widget_token}
    )
    agent = await sync_to_async(AgentSession.log_in)(b, "aino@revontuli.example", PASSWORD)
    async with (
        websockets.connect(widget_url(a, store, session["visitor"])) as customer,
        websockets.connect(
            f"ws://127.0.0.1:{b.port}/ws/inbox/",
            additional_headers={"Cookie": agent.cookie_header, "Origin": b.origin},
        ) as inbox,
    ):
        await customer.send(
            json.dumps({"type": "message", "client_id": "x1", "text": "Hei prosessista A"})
        )
        ack = await frames_until(customer, lambda f: f["type"] == "ack")
        seen = await frames_until(inbox, is_event("message.created"))
        assert seen["event"]["body_text"] == "Hei prosessista A"
        status, reply = await sync_to_async(agent.post_json)(
            f"/api/v1/conversations/{ack['conversation_id']}/messages",
            {"text": "Vastaus prosessista B"},
        )
        assert status == 201, reply
        answer = await frames_until(customer, is_event("message.created", Direction.OUT))
        assert answer["event"]["body_text"] == "Vastaus prosessista B"


async def test_a_killed_server_loses_no_message_and_stores_none_twice(
    store: Store, servers: list[Server]
) -> None:
    """SIGKILL the server while a visitor streams messages and an agent answers them;
    after a restart every message is stored exactly once and the visitor has every reply."""
    # A script, not a person: the visitor limit would only slow the stream down.
    server = Server(env={"TISKI_CHAT_MESSAGE_RATE": "1000", "TISKI_CHAT_MESSAGE_BURST": "1000"})
    servers.append(server)
    await sync_to_async(server.start)()
    key = await sync_to_async(create_api_key)(
        store, actor=SYSTEM, name="bot", scopes=[ApiScope.CONVERSATIONS_WRITE]
    )
    _status, session = await sync_to_async(server.post_json)(
        "/chat/session", {"token": store.widget_token}
    )
    visitor = session["visitor"]
    total, kill_after = 60, 25
    outbox = {f"m{n}": f"viesti {n}" for n in range(total)}  # client id -> text
    acked: set[str] = set()
    replies_seen: set[str] = set()
    last_seq = 0
    conversation_id: int | None = None
    killed = asyncio.Event()
    stats = {"connections": 0, "resent": 0, "duplicates": 0}

    async def kill_when_due() -> None:
        while len(acked) < kill_after:
            await asyncio.sleep(0.01)
        await sync_to_async(server.kill)()
        killed.set()
        await asyncio.sleep(0.5)  # down for a moment, as in a real crash
        await sync_to_async(server.start)()

    async def agent() -> None:
        """Answer every stored customer message once, retrying while the server is down."""
        answered = 0
        while answered < total:
            await asyncio.sleep(0.05)
            if conversation_id is None or answered >= len(acked):
                continue
            try:
                status, body = await sync_to_async(server.post_json)(
                    f"/api/v1/conversations/{conversation_id}/messages",
                    {"text": f"vastaus {answered}", "external_id": f"reply-{answered}"},
                    {"Authorization": f"Bearer {key.secret}"},
                )
            except OSError:
                continue  # down, or restarting and not listening yet: try again
            if status == 201 or (status == 400 and body and body.get("code") == "duplicate"):
                answered += 1

    async def visitor_client() -> None:
        nonlocal last_seq, conversation_id
        sender: asyncio.Future[None] | None = None
        while len(acked) < total or len(replies_seen) < total:
            try:
                async with websockets.connect(
                    widget_url(server, store, visitor), open_timeout=2
                ) as socket:
                    stats["connections"] += 1
                    await socket.send(json.dumps({"type": "hello", "after_seq": last_seq}))
                    reconnected = stats["connections"] > 1

                    async def send_unacked(
                        socket: websockets.ClientConnection = socket, again: bool = reconnected
                    ) -> None:
                        # Everything unacknowledged, with the same client ids; paced and
                        # read concurrently, so the kill after 25 acks lands mid-stream.
                        for client_id, text in outbox.items():
                            if client_id not in acked:
                                await socket.send(
                                    json.dumps(
                                        {"type": "message", "client_id": client_id, "text": text}
                                    )
                                )
                                stats["resent"] += again
                                await asyncio.sleep(0.01)

                    sender = asyncio.ensure_future(send_unacked())
                    while len(acked) < total or len(replies_seen) < total:
                        frame = json.loads(await asyncio.wait_for(socket.recv(), 15))
                        if frame["type"] == "ack":
                            acked.add(frame["client_id"])
                            stats["duplicates"] += frame["duplicate"]
                            conversation_id = frame["conversation_id"]
                        elif frame["type"] == "event":
                            event = frame["event"]
                            last_seq = max(last_seq, event["seq"])
                            if event["type"] == "message.created" and event["direction"] == "out":
                                replies_seen.add(event["body_text"])
            except (OSError, websockets.ConnectionClosed, TimeoutError):
                await asyncio.sleep(0.2)
            finally:
                if sender is not None:
                    sender.cancel()
                    with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                        await sender
                    sender = None

    async with asyncio.timeout(90):
        await asyncio.gather(visitor_client(), agent(), kill_when_due())
    assert killed.is_set()
    # The crash really interrupted the stream: messages were sent again after it.
    assert stats["connections"] >= 2 and stats["resent"] > 0, stats
    stored = await sync_to_async(
        lambda: list(
            Message.objects.filter(direction=Direction.IN).values_list("external_id", flat=True)
        )
    )()
    assert sorted(stored) == sorted(f"chat:{cid}" for cid in outbox)  # each exactly once
    assert replies_seen == {f"vastaus {n}" for n in range(total)}
    replies = await sync_to_async(
        Message.objects.filter(direction=Direction.OUT, kind="reply").count
    )()
    assert replies == total


async def test_an_oversized_frame_closes_that_socket_and_the_server_stays_up(
    store: Store, servers: list[Server]
) -> None:
    server = Server()
    servers.append(server)
    await sync_to_async(server.start)()
    _status, session = await sync_to_async(server.post_json)(
        "/chat/session", {"token": store.widget_token}
    )
    async with websockets.connect(
        widget_url(server, store, session["visitor"]), max_size=None
    ) as socket:
        huge = json.dumps({"type": "message", "client_id": "big", "text": "x" * (2 * 1024 * 1024)})
        with pytest.raises(websockets.ConnectionClosed) as closed:
            # Uncompressed, the server may close while the frame is still being written.
            await socket.send(huge)
            await asyncio.wait_for(socket.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big
    assert (await sync_to_async(server.get)("/healthz"))[0] == 200
    async with websockets.connect(widget_url(server, store, session["visitor"])) as socket:
        await socket.send(json.dumps({"type": "message", "client_id": "ok", "text": "normaali"}))
        ack = await frames_until(socket, lambda f: f["type"] == "ack")
    assert ack["duplicate"] is False
    assert await sync_to_async(Message.objects.count)() == 1
