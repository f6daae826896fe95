"""The widget's websocket with real sockets against the ASGI app (Channels' communicator)."""

from __future__ import annotations

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from tests.realtime import db, next_of, start_session, widget_socket
from tiski.agents.models import Agent
from tiski.asgi import application
from tiski.chat.visitors import identity_hmac
from tiski.contacts.models import ContactIdentity
from tiski.conversations.actions import add_note, send_reply
from tiski.conversations.models import Conversation, DeliveryStatus, Message
from tiski.core.actors import Actor
from tiski.stores.models import Store

pytestmark = pytest.mark.usefixtures("server_loop")


async def new_visitor(store: Store) -> str:
    status, body = await start_session(store)
    assert status == 200
    return str(body["visitor"])


async def test_a_message_is_acknowledged_after_it_is_stored(shop: Store) -> None:
    socket = await widget_socket(shop, await new_visitor(shop))
    await socket.send_json_to(
        {"type": "message", "client_id": "c-1", "text": "Hei, missä paketti?"}
    )
    ack = await next_of(socket, "ack")
    # Acknowledged means committed: another connection sees it right away.
    stored = await db(Message.objects.get)(pk=ack["message_id"])
    assert (stored.body_text, stored.seq, stored.external_id) == (
        "Hei, missä paketti?",
        ack["seq"],
        "chat:c-1",
    )
    identity = await db(ContactIdentity.objects.get)(kind="visitor")
    conversation = await db(Conversation.objects.get)()
    assert conversation.contact_id == identity.contact_id and conversation.channel == "chat"
    await socket.disconnect()


async def test_a_resent_message_is_stored_once(shop: Store) -> None:
    socket = await widget_socket(shop, await new_visitor(shop))
    for _ in range(3):
        await socket.send_json_to({"type": "message", "client_id": "same", "text": "kerran"})
    acks = [await next_of(socket, "ack") for _ in range(3)]
    assert [a["duplicate"] for a in acks] == [False, True, True]
    assert len({a["message_id"] for a in acks}) == 1
    assert await db(Message.objects.filter(external_id="chat:same").count)() == 1
    await socket.disconnect()


async def test_the_agents_reply_arrives_live_and_notes_never_do(
    shop: Store, shop_agent: Agent
) -> None:
    socket = await widget_socket(shop, await new_visitor(shop))
    await socket.send_json_to({"type": "message", "client_id": "q", "text": "Kysymys"})
    ack = await next_of(socket, "ack")
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    actor = Actor.for_agent(shop_agent)
    await db(add_note)(conversation, actor=actor, author=shop_agent, text="salainen muistiinpano")
    await db(send_reply)(conversation, actor=actor, author=shop_agent, text="Vastaus tulee!")
    event = await next_of(socket, "message.created")
    assert event["event"]["body_text"] == "Vastaus tulee!"
    assert "actor" not in event["event"]
    # The note was published before the reply; had it reached the widget, it came first.
    await socket.disconnect()


async def test_the_sender_is_not_echoed_its_own_message_but_its_other_tabs_are(
    shop: Store, shop_agent: Agent
) -> None:
    visitor = await new_visitor(shop)
    first = await widget_socket(shop, visitor)
    await first.send_json_to({"type": "message", "client_id": "a", "text": "eka"})
    ack = await next_of(first, "ack")
    second = await widget_socket(shop, visitor)  # the same visitor in another tab
    await second.send_json_to({"type": "message", "client_id": "b", "text": "toka"})
    await next_of(second, "ack")
    # The first tab hears the second tab's message; the second does not hear it again.
    echoed = await next_of(first, "message.created")
    assert echoed["event"]["body_text"] == "toka"
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    actor = Actor.for_agent(shop_agent)
    await db(send_reply)(conversation, actor=actor, author=shop_agent, text="vastaus")
    for socket in (first, second):
        event = await next_of(socket, "message.created")
        assert event["event"]["body_text"] == "vastaus"  # nothing of its own came before
    # Resent after a lost ack: a duplicate, still no echo, and nothing held back for it.
    await second.send_json_to({"type": "message", "client_id": "b", "text": "toka"})
    assert (await next_of(second, "ack"))["duplicate"] is True
    await db(send_reply)(conversation, actor=actor, author=shop_agent, text="toinen vastaus")
    event = await next_of(second, "message.created")
    assert event["event"]["body_text"] == "toinen vastaus"
    for socket in (first, second):
        await socket.disconnect()


async def test_a_reconnecting_visitor_gets_exactly_what_it_missed(
    shop: Store, shop_agent: Agent
) -> None:
    visitor = await new_visitor(shop)
    socket = await widget_socket(shop, visitor)
    await socket.send_json_to({"type": "message", "client_id": "1", "text": "eka"})
    ack = await next_of(socket, "ack")
    await socket.disconnect()
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    actor = Actor.for_agent(shop_agent)
    await db(send_reply)(conversation, actor=actor, author=shop_agent, text="vastaus 1")
    await db(add_note)(conversation, actor=actor, author=shop_agent, text="sisäinen")
    await db(send_reply)(conversation, actor=actor, author=shop_agent, text="vastaus 2")

    socket = await widget_socket(shop, visitor)
    await socket.send_json_to({"type": "hello", "after_seq": ack["seq"]})
    replayed = []
    while True:
        frame = await socket.receive_json_from(timeout=5)
        if frame["type"] == "ready":
            break
        replayed.append(frame["event"])
    texts = [e.get("body_text") for e in replayed if e["type"] == "message.created"]
    assert texts == ["vastaus 1", "vastaus 2"]
    assert all(e["seq"] > ack["seq"] for e in replayed)
    assert frame["last_seq"] == replayed[-1]["seq"]
    await socket.disconnect()


async def test_a_visitor_only_ever_hears_its_own_conversation(
    shop: Store, shop_agent: Agent
) -> None:
    alice = await widget_socket(shop, await new_visitor(shop))
    bob = await widget_socket(shop, await new_visitor(shop))
    await alice.send_json_to({"type": "message", "client_id": "a", "text": "Alicen asia"})
    ack = await next_of(alice, "ack")
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    await db(send_reply)(
        conversation, actor=Actor.for_agent(shop_agent), author=shop_agent, text="Vain Alicelle"
    )
    await next_of(alice, "message.created")
    assert await bob.receive_nothing(timeout=0.5)
    # Bob's own first message starts his own conversation.
    await bob.send_json_to({"type": "message", "client_id": "a", "text": "Bobin asia"})
    assert (await next_of(bob, "ack"))["conversation_id"] != conversation.pk
    await alice.disconnect()
    await bob.disconnect()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("token=nope&visitor=x", 4404),
        ("token={token}&visitor=forged", 4401),
        ("token={token}", 4401),
    ],
)
async def test_bad_tokens_are_refused_with_a_close_code(shop: Store, query: str, code: int) -> None:
    socket = WebsocketCommunicator(
        application, "/ws/chat/?" + query.format(token=shop.widget_token)
    )
    connected, close_code = await socket.connect()
    assert not connected and close_code == code


async def test_an_expired_visitor_token_is_refused(
    shop: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    visitor = await new_visitor(shop)
    monkeypatch.setattr("tiski.chat.visitors.MAX_AGE_SECONDS", -1)
    socket = WebsocketCommunicator(
        application, f"/ws/chat/?token={shop.widget_token}&visitor={visitor}"
    )
    connected, close_code = await socket.connect()
    assert not connected and close_code == 4401


async def test_a_token_of_another_store_is_refused(shop: Store, other_store: Store) -> None:
    visitor = await new_visitor(other_store)
    socket = WebsocketCommunicator(
        application, f"/ws/chat/?token={shop.widget_token}&visitor={visitor}"
    )
    connected, close_code = await socket.connect()
    assert not connected and close_code == 4401


async def test_bad_frames_get_an_error_and_store_nothing(shop: Store) -> None:
    socket = await widget_socket(shop, await new_visitor(shop))
    await socket.send_to(text_data="not json")
    assert (await next_of(socket, "error"))["code"] == "bad_frame"
    await socket.send_json_to({"type": "message", "text": "no client id"})
    assert (await next_of(socket, "error"))["code"] == "bad_frame"
    await socket.send_json_to({"type": "message", "client_id": "x", "text": "x" * 5001})
    assert (await next_of(socket, "error"))["code"] == "too_long"
    await socket.send_json_to({"type": "message", "client_id": "y", "text": "   "})
    assert (await next_of(socket, "error"))["code"] == "empty"
    await socket.send_json_to({"type": "teleport"})
    assert (await next_of(socket, "error"))["code"] == "bad_frame"
    assert await db(Message.objects.count)() == 0
    await socket.send_json_to({"type": "ping"})
    assert (await next_of(socket, "pong"))["type"] == "pong"  # still connected
    await socket.disconnect()


async def test_a_flood_is_slowed_down_and_the_rest_is_stored_once(shop: Store) -> None:
    socket = await widget_socket(shop, await new_visitor(shop))
    for n in range(25):
        await socket.send_json_to({"type": "message", "client_id": f"f{n}", "text": f"spam {n}"})
    acks, limited = 0, 0
    for _ in range(25):
        frame = await socket.receive_json_from(timeout=5)
        while frame["type"] == "event":
            frame = await socket.receive_json_from(timeout=5)
        if frame["type"] == "ack":
            acks += 1
        elif frame.get("code") == "rate_limited":
            limited += 1
    assert limited >= 10 and acks + limited == 25
    assert await db(Message.objects.count)() == acks
    await socket.disconnect()


async def test_read_receipts_both_ways(shop: Store, shop_agent: Agent) -> None:
    socket = await widget_socket(shop, await new_visitor(shop))
    await socket.send_json_to({"type": "message", "client_id": "r", "text": "luitko?"})
    ack = await next_of(socket, "ack")
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    reply = await db(send_reply)(
        conversation, actor=Actor.for_agent(shop_agent), author=shop_agent, text="Luin!"
    )
    await db(Message.objects.filter(pk=reply.pk).update)(status=DeliveryStatus.SENT)
    await socket.send_json_to({"type": "read", "seq": reply.seq})
    event = await next_of(socket, "conversation.read")
    assert event["event"]["by"] == "contact" and event["event"]["up_to_seq"] == reply.seq
    assert (await db(Message.objects.get)(pk=reply.pk)).status == DeliveryStatus.READ
    await socket.disconnect()


async def test_the_session_refuses_a_forged_identity(shop: Store) -> None:
    status, body = await start_session(
        shop, identity={"customer_id": "cus_1", "email": "a@example.fi", "hmac": "0" * 64}
    )
    assert status == 403 and body["error"] == "identity_invalid"
    good = identity_hmac(shop, "cus_1")
    status, body = await start_session(
        shop,
        identity={"customer_id": "cus_1", "email": "a@example.fi", "name": "Anna", "hmac": good},
    )
    assert status == 200
    socket = await widget_socket(shop, body["visitor"])
    await socket.send_json_to({"type": "message", "client_id": "i", "text": "tunnistettu"})
    await next_of(socket, "ack")
    kinds = set(await db(lambda: list(ContactIdentity.objects.values_list("kind", "value")))())
    assert {("shop_customer", "cus_1"), ("email", "a@example.fi")} <= kinds
    await socket.disconnect()


async def test_a_logged_out_browser_does_not_continue_the_customers_chat(shop: Store) -> None:
    good = identity_hmac(shop, "cus_9")
    _status, signed_in = await start_session(shop, identity={"customer_id": "cus_9", "hmac": good})
    _status, after_logout = await start_session(shop, visitor=signed_in["visitor"])
    assert after_logout["fresh"] is True and after_logout["visitor"] != signed_in["visitor"]
    _status, still_in = await start_session(
        shop, visitor=signed_in["visitor"], identity={"customer_id": "cus_9", "hmac": good}
    )
    assert still_in["fresh"] is False


async def test_history_comes_back_with_the_session(shop: Store, shop_agent: Agent) -> None:
    visitor = await new_visitor(shop)
    socket = await widget_socket(shop, visitor)
    await socket.send_json_to({"type": "message", "client_id": "h", "text": "ensimmäinen"})
    ack = await next_of(socket, "ack")
    await socket.disconnect()
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    actor = Actor.for_agent(shop_agent)
    await db(add_note)(conversation, actor=actor, author=shop_agent, text="ei asiakkaalle")
    await db(send_reply)(conversation, actor=actor, author=shop_agent, text="vastaus")
    _status, body = await start_session(shop, visitor=visitor, languages=["fi-FI"])
    assert body["language"] == "fi" and body["strings"]["send"]
    texts = [m["text"] for m in body["conversation"]["messages"]]
    assert texts == ["ensimmäinen", "vastaus"]
    assert body["conversation"]["messages"][1]["author"] == "Aino"


async def test_session_bad_input(shop: Store) -> None:
    from django.test import AsyncClient

    client = AsyncClient()
    assert (
        await client.post("/chat/session", "{", content_type="application/json")
    ).status_code == 400
    assert (
        await client.post("/chat/session", "[]", content_type="application/json")
    ).status_code == 400
    response = await client.post(
        "/chat/session", '{"token": "nope"}', content_type="application/json"
    )
    assert response.status_code == 404
    assert (await client.get("/chat/session")).status_code == 405
    options = await client.options("/chat/session")
    assert options.status_code == 204 and options["Access-Control-Allow-Origin"] == "*"
    await asyncio.sleep(0)


async def test_customers_see_the_agents_first_name_and_initials_only(
    shop: Store, shop_agent: Agent
) -> None:
    socket = await widget_socket(shop, await new_visitor(shop))
    await socket.send_json_to({"type": "message", "client_id": "n", "text": "kuka siellä?"})
    ack = await next_of(socket, "ack")
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    await db(send_reply)(
        conversation, actor=Actor.for_agent(shop_agent), author=shop_agent, text="Aino täällä"
    )
    event = await next_of(socket, "message.created")
    while event["event"]["direction"] == "in":
        event = await next_of(socket, "message.created")
    assert (event["event"]["author_name"], event["event"]["initials"]) == ("Aino", "AA")
    assert "Asiakaspalvelija" not in str(event)
    await socket.disconnect()


async def test_a_conversation_started_by_an_upload_is_followed_live(
    shop: Store, shop_agent: Agent
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import AsyncClient

    visitor = await new_visitor(shop)
    socket = await widget_socket(shop, visitor)
    png = SimpleUploadedFile("kuva.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")
    response = await AsyncClient().post(
        "/chat/upload",
        {"token": shop.widget_token, "visitor": visitor, "client_id": "up", "file": png},
    )
    ack = response.json()
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    await asyncio.sleep(0.2)  # the follow message travels through the channel layer
    await db(send_reply)(
        conversation, actor=Actor.for_agent(shop_agent), author=shop_agent, text="Kiitos kuvasta"
    )
    event = await next_of(socket, "message.created")
    while event["event"]["direction"] == "in":
        event = await next_of(socket, "message.created")
    assert event["event"]["body_text"] == "Kiitos kuvasta"
    await socket.disconnect()


async def test_reading_a_read_receipt_does_not_make_another(shop: Store, shop_agent: Agent) -> None:
    socket = await widget_socket(shop, await new_visitor(shop))
    await socket.send_json_to({"type": "message", "client_id": "l", "text": "hei"})
    ack = await next_of(socket, "ack")
    conversation = await db(Conversation.objects.get)(pk=ack["conversation_id"])
    reply = await db(send_reply)(
        conversation, actor=Actor.for_agent(shop_agent), author=shop_agent, text="moi"
    )
    await socket.send_json_to({"type": "read", "seq": reply.seq})
    receipt = await next_of(socket, "conversation.read")
    # A client that acknowledges everything it saw, the receipt included:
    await socket.send_json_to({"type": "read", "seq": receipt["event"]["seq"]})
    assert await socket.receive_nothing(timeout=0.5)
    await db(conversation.refresh_from_db)()
    assert conversation.contact_read_seq == reply.seq
    await socket.disconnect()


async def test_no_email_form_once_an_address_was_left(shop: Store) -> None:
    visitor = await new_visitor(shop)
    socket = await widget_socket(shop, visitor)
    await socket.send_json_to(
        {"type": "message", "client_id": "e", "text": "vastatkaa sähköpostilla"}
    )
    await next_of(socket, "ack")
    await socket.send_json_to({"type": "email", "email": "Liisa@Example.fi"})
    assert (await next_of(socket, "email_saved"))["email"] == "liisa@example.fi"
    await socket.disconnect()
    _status, body = await start_session(shop, visitor=visitor)
    assert body["ask_email"] is False


async def test_an_unsigned_email_never_opens_someone_elses_chat(shop: Store) -> None:
    # Liisa chats while signed in; her contact has her email and her conversation.
    liisa = identity_hmac(shop, "cus_liisa")
    _status, hers = await start_session(
        shop,
        identity={"customer_id": "cus_liisa", "email": "liisa@example.fi", "hmac": liisa},
    )
    socket = await widget_socket(shop, hers["visitor"])
    await socket.send_json_to({"type": "message", "client_id": "l1", "text": "Liisan salaisuus"})
    first = await next_of(socket, "ack")
    await socket.disconnect()
    # Another customer, signed in as themselves, puts Liisa's address beside their id.
    # The signature covers only the id: the address must not find Liisa.
    mallory = identity_hmac(shop, "cus_666")
    _status, theirs = await start_session(
        shop,
        identity={"customer_id": "cus_666", "email": "liisa@example.fi", "hmac": mallory},
    )
    assert theirs["conversation"] is None or all(
        "salaisuus" not in m["text"] for m in theirs["conversation"]["messages"]
    )
    socket = await widget_socket(shop, theirs["visitor"])
    await socket.send_json_to({"type": "message", "client_id": "m1", "text": "kuka olen"})
    second = await next_of(socket, "ack")
    await socket.disconnect()
    assert second["conversation_id"] != first["conversation_id"]
    owners = await db(
        lambda: dict(
            ContactIdentity.objects.filter(value__in=["liisa@example.fi", "cus_666"]).values_list(
                "value", "contact_id"
            )
        )
    )()
    # The address stays Liisa's; the other customer is a contact of their own.
    assert owners["liisa@example.fi"] != owners["cus_666"]
