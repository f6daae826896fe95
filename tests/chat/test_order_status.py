"""Order status in the chat widget, over its websocket: a signed-in customer's own orders,
an anonymous lookup by number and email, its limits, and nobody else's orders ever."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from tests.conftest import SYSTEM, make_store
from tests.realtime import db, start_session, widget_socket
from tests.shop.test_selfservice import TRACKING, shipped, stored
from tiski.chat.strings import ORDER_STRINGS, widget_strings
from tiski.chat.visitors import identity_hmac
from tiski.conversations.models import Conversation, Message
from tiski.shop.selfservice import FAILURES_PER_NUMBER
from tiski.stores.actions import update_store
from tiski.stores.models import Store

pytestmark = pytest.mark.usefixtures("server_loop")


@pytest.fixture(autouse=True)
def _no_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def orders(shop: Store) -> Store:
    """Matti (shop customer c-7) has order 10234 on its way; Liisa (c-8) has 10300."""
    update_store(shop, actor=SYSTEM, languages=["fi", "sv", "en"])
    shipped(shop)
    stored(shop, number="10300", id="o-2", email="liisa@example.fi", customer_id="c-8")
    return shop


async def visitor_socket(store: Store, customer_id: str | None = None) -> WebsocketCommunicator:
    body: dict[str, Any] = {}
    if customer_id is not None:
        body["identity"] = {
            "customer_id": customer_id,
            # Unsigned: a customer may put any address here in their own browser.
            "email": "liisa@example.fi",
            "hmac": identity_hmac(store, customer_id),
        }
    status, session = await start_session(store, **body)
    assert status == 200
    assert session["identified"] is (customer_id is not None)
    return await widget_socket(store, session["visitor"])


async def ask(socket: WebsocketCommunicator, **frame: Any) -> dict[str, Any]:
    await socket.send_json_to(frame)
    answer: dict[str, Any] = await socket.receive_json_from(timeout=5)
    return answer


async def test_a_signed_in_customer_gets_their_own_orders(orders: Store) -> None:
    socket = await visitor_socket(orders, "c-7")
    answer = await ask(socket, type="order.recent", language="fi")
    assert answer["type"] == "order.list"
    [order] = answer["orders"]  # never Liisa's, whatever email the page claimed
    assert (order["number"], order["status"], order["status_label"]) == (
        "#10234",
        "on_its_way",
        "Matkalla",
    )
    assert order["placed"] == "1.12.2026" and order["total"] == "129,90 €"
    [parcel] = order["parcels"]
    assert (parcel["carrier"], parcel["tracking_url"], parcel["expected"]) == (
        "Posti",
        TRACKING,
        "5.12.2026",
    )
    assert [item["title"] for item in order["items"]] == ["Kuoritakki Tunturi", "Villasukat"]
    assert not {"email", "shipping_address", "customer_name", "phone", "note"} & set(order)
    # Asking is reading: no conversation, no message.
    assert await db(Conversation.objects.count)() == 0
    assert await db(Message.objects.count)() == 0
    await socket.disconnect()


async def test_the_answer_is_in_the_language_asked_among_the_stores(orders: Store) -> None:
    socket = await visitor_socket(orders, "c-7")
    swedish = await ask(socket, type="order.recent", language="sv")
    assert swedish["orders"][0]["status_label"] == "På väg"
    english = await ask(socket, type="order.recent", language="en")
    assert english["orders"][0]["total"] == "129.90 €"
    assert english["orders"][0]["placed"] == "1 Dec 2026"
    unserved = await ask(socket, type="order.recent", language="pl")  # not the store's
    assert unserved["orders"][0]["status_label"] == "Matkalla"
    await socket.disconnect()


async def test_an_unsigned_email_never_unlocks_someone_elses_orders(orders: Store) -> None:
    # A customer the desk has no orders for, claiming Liisa's address (the email of an
    # identity is not signed): joining the session links c-404 to Liisa's contact, but
    # the orders are the shop's customer c-404's, and there are none.
    nobody = await visitor_socket(orders, "c-404")
    assert await ask(nobody, type="order.recent") == {"type": "order.list", "orders": []}
    await nobody.disconnect()


async def test_an_anonymous_visitor_has_no_orders_of_their_own(orders: Store) -> None:
    anonymous = await visitor_socket(orders)
    refused = await ask(anonymous, type="order.recent")
    assert (refused["type"], refused["code"]) == ("error", "not_identified")
    await anonymous.disconnect()


async def test_an_anonymous_lookup_by_number_and_email(orders: Store) -> None:
    socket = await visitor_socket(orders)
    found = await ask(
        socket, type="order.lookup", number="#10234", email="Matti@Example.fi", language="en"
    )
    assert found["type"] == "order.status"
    assert found["order"]["number"] == "#10234" and found["order"]["status_label"] == "On its way"
    # A wrong email and an unknown number: the same answer, word for word.
    wrong_email = await ask(socket, type="order.lookup", number="10234", email="x@example.fi")
    no_number = await ask(socket, type="order.lookup", number="555", email="matti@example.fi")
    assert wrong_email == no_number == {"type": "order.not_found"}
    for bad in ({"number": "", "email": "matti@example.fi"}, {"number": "1", "email": "nope"}, {}):
        invalid = await ask(socket, type="order.lookup", **bad)
        assert (invalid["type"], invalid["code"]) == ("error", "order_invalid")
    await socket.disconnect()


async def test_failed_lookups_are_limited_with_an_error_frame(orders: Store) -> None:
    socket = await visitor_socket(orders)
    for n in range(FAILURES_PER_NUMBER):
        await ask(socket, type="order.lookup", number="10234", email=f"guess{n}@example.fi")
        if n == 3:
            await socket.disconnect()  # a new connection is no way around the limit
            socket = await visitor_socket(orders)
    limited = await ask(socket, type="order.lookup", number="10234", email="matti@example.fi")
    assert (limited["type"], limited["code"]) == ("error", "lookup_limited")
    # The limit is for that number; Liisa's order is still hers to look up.
    other = await ask(socket, type="order.lookup", number="10300", email="liisa@example.fi")
    assert other["type"] == "order.status"
    await socket.disconnect()


async def test_a_burst_on_one_connection_is_slowed_down(orders: Store) -> None:
    socket = await visitor_socket(orders, "c-7")
    answers = [(await ask(socket, type="order.recent"))["type"] for _ in range(8)]
    assert answers[:5] == ["order.list"] * 5
    assert "error" in answers[5:]
    await socket.disconnect()


async def test_no_order_crosses_stores(orders: Store) -> None:
    elsewhere = await db(make_store)("kubek", "KUB", country="PL", language="pl")
    await db(stored)(elsewhere, number="77", id="o-pl")  # customer c-7 of the other store
    socket = await visitor_socket(orders, "c-7")
    mine = await ask(socket, type="order.recent")
    assert [o["number"] for o in mine["orders"]] == ["#10234"]
    not_here = await ask(socket, type="order.lookup", number="77", email="matti@example.fi")
    assert not_here == {"type": "order.not_found"}
    await socket.disconnect()
    there = await visitor_socket(elsewhere, "c-7")
    theirs = await ask(there, type="order.recent", language="pl")
    assert [o["number"] for o in theirs["orders"]] == ["#77"]
    await there.disconnect()


async def test_every_language_has_every_order_string() -> None:
    placeholders = re.compile(r"%\((\w+)\)s")
    english = ORDER_STRINGS["en"]
    for language in ("fi", "pl", "sv"):
        strings = widget_strings(language)
        assert set(ORDER_STRINGS[language]) == set(english), language
        for key, text in english.items():
            assert strings[key] and strings[key] != text, (language, key)  # translated
            assert placeholders.findall(strings[key]) == placeholders.findall(text), (language, key)
