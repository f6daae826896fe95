"""The Shopify backfill against a stand-in for Shopify's Admin GraphQL API on this
machine: cursor pages, nested pages, query costs, throttling, a flaky gateway and a
checked access token, all through ``backfill_shop``."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.conftest import SYSTEM
from tiski.contacts.models import Contact
from tiski.shop.actions import backfill_shop, connect_shop
from tiski.shop.connectors import BackfillFailed
from tiski.shop.connectors import shopify as shopify_module
from tiski.shop.connectors.shopify_graphql import AdminClient, shop_base
from tiski.shop.models import (
    Fulfillment,
    FulfillmentLine,
    Order,
    OrderLine,
    Platform,
    Product,
    ProductVariant,
    Refund,
    RefundLine,
    ShipmentStatus,
    ShopConnection,
)
from tiski.stores.models import Store

TOKEN = "shpat_test_0c1d2e3f"
MAXIMUM = 1000.0
RESTORE = 50.0
# What the stand-in says every query costs.
COST = 202.0


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def money(value: str) -> dict[str, Any]:
    return {"shopMoney": {"amount": value}}


def _customers() -> list[dict[str, Any]]:
    return [
        {
            "id": gid("Customer", 5000 + i),
            "email": f"asiakas{i}@example.fi",
            "firstName": "Asiakas",
            "lastName": str(i),
            "phone": None,
            "locale": "fi",
            "updatedAt": "2024-05-01T10:00:00Z",
        }
        for i in range(205)
    ]


def _products() -> list[dict[str, Any]]:
    products = []
    for i in range(12):
        # The first product has more variants than one page of them.
        sizes = 45 if i == 0 else 2
        products.append(
            {
                "id": gid("Product", 700 + i),
                "title": f"Villasukat {i}",
                "handle": f"villasukat-{i}",
                "productType": "Sukat",
                "status": "ARCHIVED" if i == 11 else "ACTIVE",
                "onlineStoreUrl": f"https://revontuli.example/products/villasukat-{i}",
                "updatedAt": "2024-05-02T10:00:00Z",
                "featuredImage": {"url": f"https://cdn.example/{i}.jpg"},
                "_variants": [
                    {
                        "id": gid("ProductVariant", 70000 + i * 100 + size),
                        "title": f"Koko {size}",
                        "sku": f"VS-{i}-{size}",
                        "price": "12.50",
                        "inventoryQuantity": size,
                        "inventoryItem": {
                            "id": gid("InventoryItem", 90000 + i * 100 + size),
                            "tracked": size != 1,
                        },
                    }
                    for size in range(sizes)
                ],
            }
        )
    return products


def _line(order: int, n: int) -> dict[str, Any]:
    return {
        "id": gid("LineItem", order * 100 + n),
        "title": f"Villasukat {n % 12}",
        "variantTitle": "Koko 0",
        "sku": f"VS-{n % 12}-0",
        "quantity": 2,
        "originalUnitPriceSet": money("12.50"),
        "totalDiscountSet": money("1.00"),
        "product": {"id": gid("Product", 700 + n % 12)},
        "variant": {"id": gid("ProductVariant", 70000 + (n % 12) * 100)},
    }


def _orders() -> list[dict[str, Any]]:
    orders = []
    for i in range(5):
        number = 1001 + i
        lines = [_line(number, n) for n in range(12 if i == 0 else 2)]
        shipments = [
            {
                "id": gid("Fulfillment", number * 10 + s),
                "status": "SUCCESS",
                "displayStatus": "DELIVERED" if s == 0 else "IN_TRANSIT",
                "createdAt": "2024-05-04T10:00:00Z",
                "updatedAt": "2024-05-05T10:00:00Z",
                "deliveredAt": "2024-05-05T09:00:00Z" if s == 0 else None,
                "estimatedDeliveryAt": "2024-05-06T12:00:00Z",
                "trackingInfo": [
                    {"company": "Posti", "number": f"JJFI{number}{s}", "url": "https://posti.fi/t"}
                ],
                "_lines": [{"quantity": 2, "lineItem": {"id": line["id"]}} for line in lines],
            }
            # The second order was sent in more parcels than one query lists.
            for s in range(4 if i == 1 else 1)
        ]
        refunds = (
            [
                {
                    "id": gid("Refund", number),
                    "createdAt": "2024-05-07T10:00:00Z",
                    "note": "Väärä koko",
                    "totalRefundedSet": money("24.00"),
                    "_lines": [
                        {
                            "quantity": 1,
                            "restockType": "RETURN",
                            "subtotalSet": money("12.00"),
                            "lineItem": {"id": line["id"]},
                        }
                        for line in lines[:7]
                    ],
                }
            ]
            if i == 0
            else []
        )
        orders.append(
            {
                "id": gid("Order", 880 + i),
                "name": f"#RV{number}",
                "number": number,
                "email": f"asiakas{i}@example.fi",
                "phone": None,
                "customerLocale": "fi",
                "currencyCode": "EUR",
                "displayFinancialStatus": "PARTIALLY_REFUNDED" if i == 0 else "PAID",
                "displayFulfillmentStatus": "FULFILLED",
                "createdAt": "2024-05-03T10:00:00Z",
                "processedAt": "2024-05-03T09:59:00Z",
                "updatedAt": "2024-05-07T10:00:00Z",
                "cancelledAt": None,
                "cancelReason": None,
                "closedAt": None,
                "statusPageUrl": f"https://revontuli.example/orders/{number}",
                "note": None,
                "tags": ["vip"],
                "totalPriceSet": money("29.90"),
                "subtotalPriceSet": money("25.00"),
                "totalDiscountsSet": money("0.00"),
                "totalShippingPriceSet": money("4.90"),
                "totalTaxSet": money("5.79"),
                "customer": {
                    "id": gid("Customer", 5000 + i),
                    "email": f"asiakas{i}@example.fi",
                    "firstName": "Asiakas",
                    "lastName": str(i),
                    "phone": None,
                    "locale": "fi",
                },
                "shippingAddress": {"firstName": "Asiakas", "city": "Oulu", "countryCodeV2": "FI"},
                "billingAddress": None,
                "_lines": lines,
                "_shipments": shipments,
                "_refunds": refunds,
            }
        )
    return orders


def _cost(requested: float, actual: float | None, *, available: float) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": {
                "maximumAvailable": MAXIMUM,
                "currentlyAvailable": available,
                "restoreRate": RESTORE,
            },
        }
    }


def _invalid(document: str, variables: dict[str, Any]) -> str:
    """What Shopify's GraphQL validation would refuse of the rules a hand-written query
    breaks most easily: unused or undefined fragments, unused or undeclared variables."""
    defined = set(re.findall(r"fragment (\w+) on", document))
    spread = set(re.findall(r"\.\.\.(\w+)", document))
    declared = set(re.findall(r"\$(\w+): \w+", document))
    used = set(re.findall(r"\$(\w+)(?!\w*:)", document))
    if document.count("{") != document.count("}"):
        return "Syntax error: unbalanced braces"
    if defined != spread:
        return f"Fragments defined but not used, or used but not defined: {defined ^ spread}"
    if declared != used:
        return f"Variables declared but not used, or used but not declared: {declared ^ used}"
    if set(variables) - declared:
        return f"Variables not declared: {set(variables) - declared}"
    return ""


def _first(query: str, name: str) -> int:
    found = re.search(rf"\b{name}\(first: (\d+)", query)
    assert found, f"{name} is not asked for"
    return int(found.group(1))


def _page(items: list[dict[str, Any]], first: int, after: str | None) -> dict[str, Any]:
    start = int(after.removeprefix("c")) if after else 0
    end = start + first
    return {
        "pageInfo": {"hasNextPage": end < len(items), "endCursor": f"c{end}" if items else None},
        "nodes": [_visible(item) for item in items[start:end]],
    }


def _visible(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if not key.startswith("_")}


@dataclass
class FakeShopify:
    """What the stand-in holds and what it was asked."""

    token: str = TOKEN
    customers: list[dict[str, Any]] = field(default_factory=_customers)
    products: list[dict[str, Any]] = field(default_factory=_products)
    orders: list[dict[str, Any]] = field(default_factory=_orders)
    # Faults to answer with, in turn, to the queries of that operation.
    faults: dict[str, list[str]] = field(default_factory=dict)
    asked: list[tuple[str, str | None]] = field(default_factory=list)
    url: str = ""

    def answer(self, token: str, document: str, variables: dict[str, Any]) -> tuple[int, Any]:
        operation = re.search(r"query (\w+)", document)
        assert operation, document
        name = operation.group(1)
        self.asked.append((name, variables.get("after")))
        if token != self.token:
            return 401, {"errors": "[API] Invalid API key or access token"}
        problem = _invalid(document, variables)
        if problem:
            return 200, {"errors": [{"message": problem}]}
        fault = self.faults.get(name, [])
        kind = fault.pop(0) if fault else ""
        if kind == "502":
            return 502, "<html>Bad Gateway</html>"
        if kind == "throttled":
            return 200, {
                "errors": [
                    {
                        "message": "Throttled",
                        "extensions": {"code": "THROTTLED", "documentation": "..."},
                    }
                ],
                "extensions": _cost(262.0, None, available=10.0),
            }
        if kind == "denied":
            return 200, {
                "errors": [
                    {
                        "message": "Access denied for orders field.",
                        "extensions": {"code": "ACCESS_DENIED"},
                    }
                ]
            }
        data = self._data(name, document, variables)
        # "low": this answer leaves the bucket at 100 points.
        left = 100.0 if kind == "low" else MAXIMUM
        return 200, {"data": data, "extensions": _cost(COST, COST / 2, available=left)}

    def _data(self, name: str, q: str, variables: dict[str, Any]) -> dict[str, Any]:
        after = variables.get("after")
        if name == "TiskiCustomers":
            return {"customers": _page(self.customers, _first(q, "customers"), after)}
        if name == "TiskiProducts":
            page = _page(self.products, _first(q, "products"), after)
            page["nodes"] = [self._product(node["id"], q) for node in page["nodes"]]
            return {"products": page}
        if name == "TiskiOrders":
            page = _page(self.orders, _first(q, "orders"), after)
            page["nodes"] = [self._order(node["id"], q) for node in page["nodes"]]
            return {"orders": page}
        owner = self._find(variables["id"])
        nested = {
            "TiskiVariants": ("variants", "_variants"),
            "TiskiLines": ("lineItems", "_lines"),
            "TiskiShippedLines": ("fulfillmentLineItems", "_lines"),
            "TiskiRefundLines": ("refundLineItems", "_lines"),
        }
        if name in nested:
            key, items = nested[name]
            return {"node": {key: _page(owner[items], _first(q, key), after)}}
        if name == "TiskiShipments":
            shipments = owner["_shipments"][: _first(q, "fulfillments")]
            return {"node": {"fulfillments": [self._shipment(s, q) for s in shipments]}}
        if name == "TiskiRefunds":
            refunds = owner["_refunds"][: _first(q, "refunds")]
            return {"node": {"refunds": [self._refund(r, q) for r in refunds]}}
        raise AssertionError(f"unexpected query {name}")

    def _find(self, wanted: str) -> dict[str, Any]:
        for item in [*self.products, *self.orders]:
            if item["id"] == wanted:
                return item
            for part in [*item.get("_shipments", []), *item.get("_refunds", [])]:
                if part["id"] == wanted:
                    return part
        raise AssertionError(f"no node {wanted}")

    def _product(self, wanted: str, q: str) -> dict[str, Any]:
        product = self._find(wanted)
        return {
            **_visible(product),
            "variants": _page(product["_variants"], _first(q, "variants"), None),
        }

    def _order(self, wanted: str, q: str) -> dict[str, Any]:
        order = self._find(wanted)
        return {
            **_visible(order),
            "lineItems": _page(order["_lines"], _first(q, "lineItems"), None),
            "fulfillments": [
                self._shipment(s, q) for s in order["_shipments"][: _first(q, "fulfillments")]
            ],
            "refunds": [self._refund(r, q) for r in order["_refunds"][: _first(q, "refunds")]],
        }

    def _shipment(self, shipment: dict[str, Any], q: str) -> dict[str, Any]:
        lines = _page(shipment["_lines"], _first(q, "fulfillmentLineItems"), None)
        return {**_visible(shipment), "fulfillmentLineItems": lines}

    def _refund(self, refund: dict[str, Any], q: str) -> dict[str, Any]:
        lines = _page(refund["_lines"], _first(q, "refundLineItems"), None)
        return {**_visible(refund), "refundLineItems": lines}

    def asked_for(self, operation: str) -> list[str | None]:
        return [after for name, after in self.asked if name == operation]


@pytest.fixture
def fake() -> Iterator[FakeShopify]:
    state = FakeShopify()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            assert self.path == "/admin/api/2025-01/graphql.json", self.path
            assert self.headers["Content-Type"] == "application/json"
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status, answer = state.answer(
                self.headers.get("X-Shopify-Access-Token", ""), body["query"], body["variables"]
            )
            raw = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Waits:
    """The backfill's sleeps, taken at once: the clock moves by what was slept."""

    slept: list[float] = field(default_factory=list)
    now: float = 1000.0

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 4))
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Waits:
    found = Waits()
    monkeypatch.setattr(shopify_module.connector, "sleep", found.sleep)
    monkeypatch.setattr(shopify_module.connector, "clock", found.clock)
    return found


@pytest.fixture
def connection(store: Store, fake: FakeShopify) -> ShopConnection:
    return connect_shop(
        store,
        platform=Platform.SHOPIFY,
        actor=SYSTEM,
        shop_url=fake.url,
        webhook_secret="shpss_test",
        api_key=TOKEN,
        admin_order_url="https://admin.shopify.com/store/revontuli/orders/{id}",
    )


def stored() -> dict[str, int]:
    return {
        "contacts": Contact.objects.count(),
        "products": Product.objects.count(),
        "variants": ProductVariant.objects.count(),
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
        "shipments": Fulfillment.objects.count(),
        "shipped": FulfillmentLine.objects.count(),
        "refunds": Refund.objects.count(),
        "refunded": RefundLine.objects.count(),
    }


EVERYTHING = {
    "contacts": 205,
    "products": 12,
    "variants": 45 + 11 * 2,
    "orders": 5,
    "lines": 12 + 4 * 2,
    "shipments": 1 + 4 + 3,
    "shipped": 12 + 4 * 2 + 3 * 2,
    "refunds": 1,
    "refunded": 7,
}


def test_a_backfill_stores_the_whole_shop_once(
    connection: ShopConnection, fake: FakeShopify, waits: Waits
) -> None:
    result = backfill_shop(connection, actor=SYSTEM)
    assert (result.done, result.error) == (True, "")
    assert stored() == EVERYTHING
    # customers 3 pages, products 2, orders 2.
    assert result.pages == 7
    # Each page was asked for once, by the cursor of the one before.
    assert fake.asked_for("TiskiCustomers") == [None, "c100", "c200"]
    assert fake.asked_for("TiskiProducts") == [None, "c10"]
    assert fake.asked_for("TiskiOrders") == [None, "c3"]
    # The nested pages that did not fit: the rest of the big product's variants, of the
    # big order's lines, its shipment's lines and its refund's lines, and the parcels of
    # the order sent in four.
    assert fake.asked_for("TiskiVariants") == ["c40"]
    assert fake.asked_for("TiskiLines") == ["c10"]
    assert fake.asked_for("TiskiShippedLines") == ["c10"]
    assert fake.asked_for("TiskiRefundLines") == ["c5"]
    assert len(fake.asked_for("TiskiShipments")) == 1
    connection.refresh_from_db()
    assert connection.backfill_state == {} and connection.last_backfill_at is not None
    assert waits.slept == []  # the bucket was never low

    assert backfill_shop(connection, actor=SYSTEM).done
    assert stored() == EVERYTHING  # read again, nothing doubled


def test_what_the_backfill_stores(
    connection: ShopConnection, fake: FakeShopify, waits: Waits
) -> None:
    backfill_shop(connection, actor=SYSTEM)
    order = Order.objects.get(external_id="880")
    assert (order.number, order.display_number, order.currency) == ("1001", "#RV1001", "EUR")
    assert (order.total, order.shipping_total, order.tax_total) == (
        Decimal("29.90"),
        Decimal("4.90"),
        Decimal("5.79"),
    )
    assert (order.financial_status, order.fulfillment_status) == ("partially_refunded", "fulfilled")
    assert order.admin_url == "https://admin.shopify.com/store/revontuli/orders/880"
    assert order.shipping_address == {"first_name": "Asiakas", "city": "Oulu", "country_code": "FI"}
    assert (order.tags, order.language, order.refunded_total) == (["vip"], "fi", Decimal("24.00"))
    assert order.contact is not None and order.contact.name == "Asiakas 0"
    line = order.lines.get(external_id="100111")
    assert (line.quantity, line.unit_price, line.discount_total, line.total) == (
        2,
        Decimal("12.50"),
        Decimal("1.00"),
        Decimal("24.00"),
    )
    assert line.variant is not None and line.product == line.variant.product
    shipment = order.fulfillments.get()
    assert (shipment.status, shipment.carrier, shipment.tracking_number) == (
        ShipmentStatus.DELIVERED,
        "Posti",
        "JJFI10010",
    )
    assert shipment.delivered_at is not None and shipment.estimated_delivery is not None
    refund = order.refunds.get()
    assert (refund.amount, refund.note, refund.lines.filter(restocked=True).count()) == (
        Decimal("24.00"),
        "Väärä koko",
        7,
    )

    socks = Product.objects.get(external_id="700")
    assert (socks.title, socks.category, socks.active, socks.variants.count()) == (
        "Villasukat 0",
        "Sukat",
        True,
        45,
    )
    assert socks.url == "https://revontuli.example/products/villasukat-0"
    assert not Product.objects.get(external_id="711").active
    untracked = ProductVariant.objects.get(external_id="70001")
    assert (untracked.stock, untracked.inventory_item_id) == (None, "90001")
    assert ProductVariant.objects.get(external_id="70044").stock == 44


def test_the_backfill_waits_for_the_rate_limit_and_rides_out_a_bad_gateway(
    connection: ShopConnection, fake: FakeShopify, waits: Waits
) -> None:
    fake.faults = {
        # The first customer page leaves the bucket low; the next page waits for it.
        "TiskiCustomers": ["low"],
        "TiskiProducts": ["502"],
        "TiskiOrders": ["throttled"],
    }
    result = backfill_shop(connection, actor=SYSTEM)
    assert (result.done, result.error) == (True, "")
    assert stored() == EVERYTHING
    assert waits.slept == [
        # Just long enough for the 100 points left to refill to the page's cost.
        round((COST - 100) / RESTORE, 4),
        # The 502, tried again a second later.
        1.0,
        # THROTTLED: 262 points asked, 10 there.
        round((262 - 10) / RESTORE, 4),
    ]
    assert fake.asked_for("TiskiProducts") == [None, None, "c10"]
    assert fake.asked_for("TiskiOrders") == [None, None, "c3"]


def test_an_interrupted_backfill_resumes_where_it_stopped(
    connection: ShopConnection, fake: FakeShopify, waits: Waits
) -> None:
    first = backfill_shop(connection, actor=SYSTEM, max_pages=4)
    assert (first.done, first.pages) == (False, 4)
    connection.refresh_from_db()
    assert connection.backfill_state == {"phase": "products", "cursor": "c10"}
    assert Contact.objects.count() == 205 and Product.objects.count() == 10

    fake.asked.clear()
    rest = backfill_shop(connection, actor=SYSTEM)
    assert (rest.done, rest.pages) == (True, 3)
    # No customer page and no first product page was fetched again.
    assert fake.asked_for("TiskiCustomers") == []
    assert fake.asked_for("TiskiProducts") == ["c10"]
    assert stored() == EVERYTHING


def test_a_failure_mid_way_keeps_the_place(
    connection: ShopConnection, fake: FakeShopify, waits: Waits
) -> None:
    fake.faults = {"TiskiOrders": ["502"] * 4}
    failed = backfill_shop(connection, actor=SYSTEM)
    assert not failed.done and "did not answer after 4 tries" in failed.error
    assert waits.slept == [1.0, 2.0, 4.0]  # backing off between the tries
    connection.refresh_from_db()
    assert connection.backfill_state == {"phase": "orders", "cursor": None}
    assert "did not answer" in connection.last_error

    fake.asked.clear()
    assert backfill_shop(connection, actor=SYSTEM).done
    assert fake.asked_for("TiskiCustomers") == fake.asked_for("TiskiProducts") == []
    assert stored() == EVERYTHING


def test_a_wrong_access_token_stops_the_backfill_with_a_reason(
    connection: ShopConnection, fake: FakeShopify, waits: Waits
) -> None:
    fake.token = "shpat_the_real_one"
    result = backfill_shop(connection, actor=SYSTEM)
    assert not result.done and result.pages == 0
    assert "access token" in result.error and "401" in result.error
    assert TOKEN not in result.error
    connection.refresh_from_db()
    assert connection.last_error == result.error
    assert stored() == dict.fromkeys(EVERYTHING, 0)
    assert len(fake.asked) == 1 and waits.slept == []  # refused at once, not tried again


def test_a_missing_permission_is_named(
    connection: ShopConnection, fake: FakeShopify, waits: Waits
) -> None:
    fake.faults = {"TiskiOrders": ["denied"]}
    result = backfill_shop(connection, actor=SYSTEM)
    assert not result.done and "read_orders" in result.error
    assert Product.objects.count() == 12 and not Order.objects.exists()


@pytest.mark.parametrize(
    ("shop_url", "expected"),
    [
        ("revontuli.myshopify.com", "https://revontuli.myshopify.com"),
        ("https://revontuli.myshopify.com/admin", "https://revontuli.myshopify.com"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
    ],
)
def test_the_shop_address(shop_url: str, expected: str) -> None:
    assert shop_base(shop_url) == expected


@pytest.mark.parametrize("shop_url", ["", "http://revontuli.myshopify.com", "ftp://x.example"])
def test_an_address_the_token_must_not_travel_to_is_refused(shop_url: str) -> None:
    with pytest.raises(BackfillFailed):
        shop_base(shop_url)


def test_a_connection_without_a_token_cannot_backfill(store: Store) -> None:
    connection = ShopConnection(store=store, platform=Platform.SHOPIFY, shop_url="x.myshopify.com")
    with pytest.raises(BackfillFailed, match="access token"):
        AdminClient(connection, sleep=lambda seconds: None, clock=lambda: 0.0)
