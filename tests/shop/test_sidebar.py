"""The contact's orders beside a conversation, and order numbers linked in its messages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import SYSTEM, inbound, logged_in
from tests.shop.conftest import order
from tiski.agents.actions import update_preferences
from tiski.agents.models import Agent
from tiski.conversations.actions import add_note
from tiski.conversations.models import Conversation
from tiski.shop.actions import apply_records
from tiski.shop.models import Order
from tiski.shop.queries import contact_orders
from tiski.shop.schemas import OrderIn
from tiski.stores.models import Store

TRACKING = "https://www.posti.fi/fi/seuranta#/lahetys/JJFI6412"
ADMIN = "https://revontuli.example/admin/orders/o-1"


def stored(store: Store, **fields: Any) -> Order:
    payload = order(**fields)
    apply_records(store, [OrderIn.model_validate(payload).record()], actor=SYSTEM)
    return Order.objects.get(store=store, external_id=payload["id"])


def shipped(store: Store, number: str = "10234", **fields: Any) -> Order:
    """An order on its way in one parcel, with a refund and a link to the shop's admin."""
    return stored(
        store,
        number=number,
        id=fields.pop("id", f"o-{number}"),
        admin_url=ADMIN,
        fulfillment_status="fulfilled",
        financial_status="partially_refunded",
        fulfillments=[
            {
                "id": f"f-{number}",
                "status": "in_transit",
                "carrier": "Posti",
                "tracking_number": "JJFI6412",
                "tracking_url": TRACKING,
                "estimated_delivery": "2026-12-05",
                "lines": [{"line_id": "l-1", "quantity": 1}],
            }
        ],
        refunds=[{"id": f"r-{number}", "amount": "12.50", "refunded_at": "2026-12-02T10:00:00Z"}],
        **fields,
    )


def page(client: Client, conversation: Conversation) -> tuple[Any, str]:
    response = client.get(f"/conversations/{conversation.pk}/")
    assert response.status_code == 200
    return response, response.content.decode()


def sidebar(html: str) -> str:
    start = html.index('<section class="card-section orders"')
    return html[start : html.index("</section>", start)]


class Links(HTMLParser):
    """Every link of a piece of HTML: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[dict[str, str | None], str]] = []
        self.open: list[tuple[dict[str, str | None], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.open.append((dict(attrs), []))

    def handle_data(self, data: str) -> None:
        for _attrs, text in self.open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.open:
            attrs, text = self.open.pop()
            self.found.append((attrs, "".join(text)))


def links(html: str) -> list[tuple[dict[str, str | None], str]]:
    parser = Links()
    parser.feed(html)
    return parser.found


def test_the_sidebar_shows_the_contacts_orders_and_nobody_elses(
    conversation: Conversation, other_store: Store, owner_client: Client
) -> None:
    shipped(conversation.store)
    # The same shop, another customer; another shop, the same email address.
    stored(
        conversation.store,
        number="20001",
        id="o-liisa",
        email="liisa@example.fi",
        customer_id="c-8",
    )
    stored(other_store, number="30001", id="o-kubek")
    response, html = page(owner_client, conversation)
    cards = response.context["orders"].cards
    assert [card.summary.number for card in cards] == ["#10234"]
    assert response.context["orders"].count == 1
    orders = sidebar(html)
    assert "#10234" in orders and "20001" not in html and "30001" not in html
    assert '<span class="badge order-status-on_its_way">On its way</span>' in orders
    assert "1 ×</span> <span>Kuoritakki Tunturi <small" in orders and "M / sininen" in orders
    assert "129.90 €" in orders and "12.50 €" in orders  # total, refunded
    assert 'Expected <time datetime="2026-12-05">5 Dec 2026</time>' in orders
    found = {text: attrs for attrs, text in links(orders)}
    tracking = found["JJFI6412 (opens in a new tab)"]
    assert tracking["href"] == TRACKING and tracking["target"] == "_blank"
    assert "noopener" in (tracking["rel"] or "")
    admin = found["Open in the shop admin (opens in a new tab)"]
    assert admin["href"] == ADMIN and admin["target"] == "_blank" and admin["rel"] == "noopener"
    assert '<details class="order" id="order-' in orders and " open>" in orders


def test_no_admin_link_without_an_address_and_never_a_script_link(
    conversation: Conversation, owner_client: Client
) -> None:
    stored(
        conversation.store,
        admin_url="javascript:alert(1)",
        fulfillments=[
            {
                "id": "f-1",
                "status": "pending",
                "tracking_number": "X1",
                "tracking_url": " JavaScript:alert(document.cookie)",
            }
        ],
    )
    response, html = page(owner_client, conversation)
    orders = sidebar(html)
    assert [attrs["href"] for attrs, _text in links(orders)] == []
    assert "Open in the shop admin" not in orders
    assert '<span class="parcel-tracking">X1</span>' in orders  # the number, as text
    [card] = response.context["orders"].cards
    assert card.parcels[0].insert_text == "Seuranta: X1"  # no address to give the customer


@pytest.mark.parametrize(
    ("fields", "status", "label"),
    [
        ({"financial_status": "pending"}, "awaiting_payment", "Awaiting payment"),
        ({}, "being_prepared", "Being prepared"),
        ({"cancelled_at": "2026-12-02T10:00:00Z"}, "cancelled", "Cancelled"),
        ({"financial_status": "refunded"}, "refunded", "Refunded"),
        (
            {
                "fulfillment_status": "fulfilled",
                "fulfillments": [
                    {
                        "id": "f-1",
                        "status": "delivered",
                        "carrier": "DHL",
                        "delivered_at": "2026-12-03T12:00:00Z",
                    }
                ],
            },
            "delivered",
            "Delivered",
        ),
    ],
)
def test_one_coloured_status_per_order(
    conversation: Conversation,
    owner_client: Client,
    fields: dict[str, Any],
    status: str,
    label: str,
) -> None:
    stored(conversation.store, **fields)
    orders = sidebar(page(owner_client, conversation)[1])
    assert f'<span class="badge order-status-{status}">{label}</span>' in orders
    if status == "delivered":
        assert re.search(r'Delivered <time datetime="[^"]+">3 Dec 2026</time>', orders)


def test_the_newest_five_of_all_with_the_newest_open(
    conversation: Conversation, owner_client: Client
) -> None:
    for n in range(7):
        stored(
            conversation.store,
            number=f"{10300 + n}",
            id=f"o-{n}",
            placed_at=f"2026-11-{10 + n}T09:00:00+02:00",
        )
    response, html = page(owner_client, conversation)
    cards = response.context["orders"].cards
    assert [card.summary.number for card in cards] == [f"#{10300 + n}" for n in (6, 5, 4, 3, 2)]
    assert response.context["orders"].count == 7
    orders = sidebar(html)
    assert '<span class="orders-count">7</span>' in orders
    assert "The newest 5 of 7 orders." in orders
    assert len(re.findall(r'<details class="order"[^>]* open>', orders)) == 1
    assert re.search(
        r'<details class="order"[^>]* open>\s*<summary>\s*<span class="order-head">'
        r'\s*<strong class="order-number">#10306<',
        orders,
    )


def test_a_customer_without_orders(conversation: Conversation, owner_client: Client) -> None:
    response, html = page(owner_client, conversation)
    assert response.context["orders"].cards == []
    assert "No orders from this customer." in sidebar(html)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_sidebar_costs_the_same_queries_for_one_order_or_five(
    conversation: Conversation, owner_client: Client
) -> None:
    url = f"/conversations/{conversation.pk}/"
    none = _queries(owner_client, url)
    shipped(conversation.store, "10001")
    one = _queries(owner_client, url)
    for n in range(2, 6):
        shipped(conversation.store, f"1000{n}")
    assert len(page(owner_client, conversation)[0].context["orders"].cards) == 5
    five = _queries(owner_client, url)
    assert one == five
    # The orders and their count; lines, parcels and what each carries, refunds.
    assert one - none <= 7


def test_the_sidebar_reads_by_the_contact_index(conversation: Conversation) -> None:
    for n in range(3):
        shipped(conversation.store, f"1000{n}")
    with CaptureQueriesContext(connection) as captured:
        contact_orders(conversation.contact)
    newest = captured.captured_queries[0]["sql"]
    assert "ORDER BY" in newest and "LIMIT 5" in newest
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Three rows are quicker to scan (or sort) than to look up, whatever the
            # statistics earlier tests left: ask for the plan that scales.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + newest)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + newest)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "order_contact_recent" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # read in order, not sorted


def test_what_goes_into_a_reply_is_in_the_conversations_language(
    store: Store, owner: Agent, owner_client: Client
) -> None:
    swedish = inbound(store, "Hej! Var är min beställning?", language="sv").conversation
    shipped(store)
    update_preferences(owner, actor=SYSTEM, language="pl")
    response, html = page(owner_client, swedish)
    [card] = response.context["orders"].cards
    assert card.insert_text.startswith("Beställning #10234")
    assert card.parcels[0].insert_text == f"Spårning: Posti JJFI6412 {TRACKING}"
    # The agent reads their own language around it.
    assert card.summary.status_label == "W drodze"
    orders = sidebar(html)
    assert f'data-insert="Spårning: Posti JJFI6412 {TRACKING}"' in orders
    # A parcel without a carrier or number is told by its status, in Swedish too.
    stored(store, number="10235", id="o-2", fulfillments=[{"id": "f-2", "status": "in_transit"}])
    newest = page(owner_client, swedish)[0].context["orders"].cards[0]
    assert newest.parcels[0].parcel.status_label == "W drodze"
    assert newest.parcels[0].insert_text == "Spårning: På väg"


def test_without_a_language_the_reply_is_in_the_stores(
    conversation: Conversation, owner_client: Client
) -> None:
    assert conversation.language == ""
    shipped(conversation.store)
    [card] = page(owner_client, conversation)[0].context["orders"].cards
    assert card.insert_text.splitlines()[0] == "Tilaus #10234, tehty 1.12.2026: matkalla"
    assert card.parcels[0].insert_text == f"Seuranta: Posti JJFI6412 {TRACKING}"
    assert card.summary.status_label == "On its way"  # the agent's English


def test_order_numbers_in_messages_link_to_this_stores_orders_only(
    conversation: Conversation, other_store: Store, owner: Agent, owner_client: Client
) -> None:
    mine = shipped(conversation.store)
    stored(other_store, number="30001", id="o-kubek")
    inbound(
        conversation.store,
        "Tilaus #10234 ja zamówienie 30001 <b>ei</b> näy. Hinta 10234 €, 00100 Helsinki.",
        conversation=conversation,
    )
    add_note(conversation, actor=SYSTEM, author=owner, text="Asiakkaan tilaus 10234 on Postilla")
    _response, html = page(owner_client, conversation)
    timeline = html[html.index('id="timeline"') : html.index('id="typing-line"')]
    mentions = [(attrs, text) for attrs, text in links(timeline)]
    assert [text for _attrs, text in mentions] == ["10234", "#10234", "10234"]
    for attrs, _text in mentions:
        assert attrs["class"] == "order-mention"
        assert attrs["href"] == f"#order-{mine.pk}"
        assert attrs["data-order-url"] == f"/conversations/{conversation.pk}/orders/{mine.pk}/"
    assert "zamówienie 30001" in timeline  # another shop's order: plain text
    assert "&lt;b&gt;ei&lt;/b&gt;" in timeline  # the customer's text stays escaped
    assert "Hinta 10234 €" in timeline


def test_the_live_timeline_links_them_too(conversation: Conversation, owner_client: Client) -> None:
    mine = shipped(conversation.store)
    seq = conversation.last_seq
    inbound(conversation.store, "Entä tilausnumero 10234?", conversation=conversation)
    response = owner_client.get(f"/conversations/{conversation.pk}/entries/?since={seq}")
    [(attrs, text)] = links(response.content.decode())
    assert (attrs["href"], text) == (f"#order-{mine.pk}", "10234")


def test_linking_costs_one_query_whatever_the_number_of_messages(
    conversation: Conversation, owner_client: Client
) -> None:
    shipped(conversation.store)
    url = f"/conversations/{conversation.pk}/"
    inbound(conversation.store, "Tilaus 10234?", conversation=conversation)
    few = _queries(owner_client, url)
    for n in range(15):
        inbound(conversation.store, f"Tilaus 10234 tai #{20000 + n}?", conversation=conversation)
    assert _queries(owner_client, url) == few


def test_a_mentioned_order_opens_beside_the_conversation(
    conversation: Conversation,
    other_conversation: Conversation,
    owner_client: Client,
    outsider_client: Client,
) -> None:
    theirs = stored(
        conversation.store,
        number="20001",
        id="o-liisa",
        email="liisa@example.fi",
        customer_id="c-8",
        customer={"id": "c-8", "email": "liisa@example.fi", "name": "Liisa Laine"},
    )
    other_shop = stored(other_conversation.store, number="30001", id="o-kubek")
    url = f"/conversations/{conversation.pk}/orders/{theirs.pk}/"
    response = owner_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<details class="order" id="order-{theirs.pk}"')
    assert "Another customer’s order: Liisa Laine" in html
    # Shown to the agent; not for this customer's reply.
    assert "data-insert" not in html and "Insert summary" not in html
    assert (
        owner_client.get(f"/conversations/{conversation.pk}/orders/{other_shop.pk}/").status_code
        == 404
    )
    assert outsider_client.get(url).status_code == 404
    mine = shipped(conversation.store)
    own = owner_client.get(f"/conversations/{conversation.pk}/orders/{mine.pk}/").content.decode()
    assert "Another customer" not in own and "Insert tracking link" in own


def test_an_agent_of_another_store_sees_no_orders_of_this_one(
    conversation: Conversation, other_conversation: Conversation, outsider: Agent
) -> None:
    shipped(conversation.store)
    client = logged_in(outsider)
    assert client.get(f"/conversations/{conversation.pk}/").status_code == 404
    response = client.get(f"/conversations/{other_conversation.pk}/")
    assert response.context["orders"].cards == []
