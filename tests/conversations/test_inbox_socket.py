"""The agent inbox's websocket: live lists, watching a conversation, viewers, typing,
read receipts and presence, with real sessions (cookie and origin, as a browser)."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from tests.conftest import inbound, make_agent
from tests.realtime import db, next_of, start_session, widget_socket
from tiski.agents.models import Agent, Role
from tiski.asgi import application
from tiski.conversations.actions import add_note, send_reply
from tiski.conversations.models import Conversation
from tiski.core.actors import Actor
from tiski.stores.models import Store

pytestmark = pytest.mark.usefixtures("server_loop")


def session_cookie(agent: Agent) -> str:
    client = Client()
    client.force_login(agent)
    return client.cookies["sessionid"].value


async def inbox_socket(
    agent: Agent | None, origin: str = "http://localhost"
) -> WebsocketCommunicator:
    headers: list[tuple[bytes, bytes]] = [(b"origin", origin.encode())]
    if agent is not None:
        cookie = await db(session_cookie)(agent)
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/inbox/", headers=headers)


async def connected(agent: Agent) -> WebsocketCommunicator:
    socket = await inbox_socket(agent)
    ok, _code = await socket.connect()
    assert ok
    return socket


@pytest.fixture
def colleague(shop: Store) -> Agent:
    return make_agent("mikko@revontuli.example", "Mikko Kollega", shop, Role.AGENT)


@pytest.fixture
def stranger(transactional_db: None) -> Agent:
    from tests.conftest import make_store

    other = make_store("kubek", "KUB", country="PL", language="pl")
    return make_agent("olga@kubek.example", "Olga Obca", other, Role.OWNER)


async def test_only_logged_in_agents_from_our_origin_connect(shop_agent: Agent) -> None:
    anonymous = await inbox_socket(None)
    ok, code = await anonymous.connect()
    assert not ok and code == 4401
    foreign_page = await inbox_socket(shop_agent, origin="https://evil.example")
    ok, _code = await foreign_page.connect()
    assert not ok


async def test_new_customer_messages_arrive_live(
    shop: Store, shop_agent: Agent, stranger: Agent
) -> None:
    mine, theirs = await connected(shop_agent), await connected(stranger)
    await db(inbound)(shop, "Uusi kysymys")
    created = await next_of(mine, "conversation.created")
    assert created["event"]["store_id"] == shop.pk
    assert (await next_of(mine, "message.created"))["event"]["body_text"] == "Uusi kysymys"
    # The other store's agent hears nothing of it (presence events aside).
    # (receive_json_from with a timeout would cancel the socket's application.)
    while not await theirs.receive_nothing(timeout=0.5):
        frame = await theirs.receive_json_from()
        assert frame["event"]["type"] == "agent.presence"
    await mine.disconnect()
    await theirs.disconnect()


async def test_watching_replays_and_then_follows_the_conversation(
    shop: Store, shop_agent: Agent
) -> None:
    conversation = (await db(inbound)(shop, "eka")).conversation
    actor = Actor.for_agent(shop_agent)
    await db(add_note)(conversation, actor=actor, author=shop_agent, text="muistiin")
    socket = await connected(shop_agent)
    await socket.send_json_to({"type": "watch", "conversation": conversation.pk, "after_seq": 2})
    replayed = await next_of(socket, "message.created")
    assert replayed["event"]["kind"] == "note" and replayed["event"]["seq"] == 3
    await db(send_reply)(conversation, actor=actor, author=shop_agent, text="vastaus")
    live = await next_of(socket, "message.created")
    assert live["event"]["body_text"] == "vastaus"
    await socket.disconnect()


async def test_an_outsider_cannot_watch_another_stores_conversation(
    shop: Store, stranger: Agent
) -> None:
    conversation = (await db(inbound)(shop, "salainen")).conversation
    socket = await connected(stranger)
    await socket.send_json_to({"type": "watch", "conversation": conversation.pk, "after_seq": 0})
    assert (await next_of(socket, "error"))["code"] == "not_found"
    await socket.disconnect()


async def test_two_agents_on_one_conversation_see_each_other(
    shop: Store, shop_agent: Agent, colleague: Agent
) -> None:
    conversation = (await db(inbound)(shop, "kumpi vastaa?")).conversation
    aino, mikko = await connected(shop_agent), await connected(colleague)
    await aino.send_json_to({"type": "watch", "conversation": conversation.pk})
    await mikko.send_json_to({"type": "watch", "conversation": conversation.pk})
    frame = await next_of(aino, "viewers")
    while not frame["agents"]:
        frame = await next_of(aino, "viewers")
    assert [a["name"] for a in frame["agents"]] == ["Mikko Kollega"]
    await mikko.send_json_to({"type": "typing", "active": True, "mode": "note"})
    typing = await next_of(aino, "typing")
    assert (typing["who"], typing["name"], typing["note"]) == ("agent", "Mikko", True)
    await mikko.disconnect()
    left = await next_of(aino, "viewers")
    while left["agents"]:
        left = await next_of(aino, "viewers")
    await aino.disconnect()


async def test_typing_and_reading_reach_the_customer_but_notes_do_not(
    shop: Store, shop_agent: Agent
) -> None:
    _status, session = await start_session(shop)
    widget = await widget_socket(shop, session["visitor"])
    await widget.send_json_to({"type": "message", "client_id": "t", "text": "hei"})
    ack = await next_of(widget, "ack")
    agent = await connected(shop_agent)
    await agent.send_json_to({"type": "watch", "conversation": ack["conversation_id"]})
    await agent.send_json_to({"type": "typing", "active": True, "mode": "note"})
    await agent.send_json_to({"type": "typing", "active": True, "mode": "reply"})
    typing = await next_of(widget, "typing")
    assert typing == {"type": "typing", "name": "Aino", "active": True}
    await widget.send_json_to({"type": "typing", "active": True})
    assert (await next_of(agent, "typing"))["who"] == "contact"
    await agent.send_json_to({"type": "read", "seq": ack["seq"]})
    read = await next_of(widget, "conversation.read")
    assert (read["event"]["by"], read["event"]["up_to_seq"]) == ("agent", ack["seq"])
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    assert conversation.agent_read_seq == ack["seq"]
    await agent.disconnect()
    await widget.disconnect()


async def test_presence_follows_connections_and_the_away_switch(
    shop: Store, shop_agent: Agent, colleague: Agent
) -> None:
    from tiski.agents.presence import available_agents

    watcher = await connected(shop_agent)
    mikko = await connected(colleague)

    async def presence_of(name: str) -> str:
        frame = await next_of(watcher, "agent.presence")
        while frame["event"]["name"] != name:
            frame = await next_of(watcher, "agent.presence")
        return str(frame["event"]["presence"])

    assert await presence_of("Mikko Kollega") == "online"
    assert set(await db(available_agents)(shop.pk)) == {shop_agent.pk, colleague.pk}
    await mikko.send_json_to({"type": "availability", "value": "away"})
    assert await presence_of("Mikko Kollega") == "away"
    assert await db(available_agents)(shop.pk) == [shop_agent.pk]
    await mikko.send_json_to({"type": "availability", "value": "asleep"})
    assert (await next_of(mikko, "error"))["code"] == "availability"
    await mikko.disconnect()
    assert await presence_of("Mikko Kollega") == "offline"
    await watcher.disconnect()


async def test_bad_frames_do_not_break_the_socket(shop_agent: Agent) -> None:
    socket = await connected(shop_agent)
    await socket.send_to(text_data="{{{")
    assert (await next_of(socket, "error"))["code"] == "bad_frame"
    await socket.send_json_to({"type": "watch", "conversation": "1; DROP TABLE"})
    assert (await next_of(socket, "error"))["code"] == "not_found"
    await socket.send_json_to({"type": "ping"})
    await next_of(socket, "pong")
    await socket.disconnect()
