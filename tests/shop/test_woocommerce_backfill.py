"""A WooCommerce backfill against a local stand-in for the shop's REST API v3: pages
counted by X-WP-TotalPages, Basic auth, a rate limit and a bad moment on the way, and a
backfill stopped half-way that resumes where it stopped."""

from __future__ import annotations

import base64
import copy
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import SYSTEM
from tests.shop.conftest import woo_payload
from tiski.contacts.models import Contact
from tiski.shop.actions import backfill_shop
from tiski.shop.connectors import woocommerce
from tiski.shop.models import FinancialStatus, Order, Product, ShopConnection

D = Decimal
# The stand-in hands out this many items a page, whatever per_page asks (as a shop whose
# host caps it would): three pages of customers, products and orders with a few records.
PAGE = 2


def customers() -> list[dict[str, Any]]:
    matti = woo_payload("customer")
    others = []
    for number, (first, email) in enumerate([("Aino", "aino"), ("Eero", "eero")], start=26):
        other = copy.deepcopy(matti)
        other.update(id=number, first_name=first, email=f"{email}@example.fi")
        other["billing"].update(first_name=first, email=f"{email}@example.fi")
        others.append(other)
    return [matti, *others]


def products() -> list[dict[str, Any]]:
    mittens = copy.deepcopy(woo_payload("product_simple"))
    mittens.update(id=34, name="Lapaset", slug="lapaset", sku="LP-1", stock_quantity=5)
    return [mittens, woo_payload("product_simple"), woo_payload("product_variable")]


def orders() -> list[dict[str, Any]]:
    aino = copy.deepcopy(woo_payload("order"))
    aino.update(id=728, number="728", customer_id=26)
    aino["billing"].update(first_name="Aino", email="aino@example.fi")
    return [woo_payload("order_refunded"), woo_payload("order_completed"), aino]


class FakeWooCommerce:
    """The shop's REST API on localhost, recording what it was asked."""

    key = "ck_backfill"
    secret = "cs_backfill"

    def __init__(self) -> None:
        self.collections: dict[str, list[dict[str, Any]]] = {
            "customers": customers(),
            "products": products(),
            "orders": orders(),
            "products/799/variations": woo_payload("product_variations"),
            "orders/723/refunds": woo_payload("order_refunds"),
        }
        # (collection, page) → answers to give before the real one: (status, headers).
        self.hiccups: dict[tuple[str, int], list[tuple[int, dict[str, str]]]] = {}
        self.requests: list[tuple[str, int]] = []
        self.queries: list[dict[str, list[str]]] = []
        self.send_total_pages = True
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        url = urlsplit(request.path)
        query = parse_qs(url.query)
        path = url.path.removeprefix("/wp-json/wc/v3/")
        page = int(query.get("page", ["1"])[0])
        expected = "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            # What WooCommerce answers a wrong consumer key.
            return self.send(request, 401, woo_error("woocommerce_rest_cannot_view", 401))
        if not url.path.startswith("/wp-json/wc/v3/") or path not in self.collections:
            return self.send(request, 404, woo_error("rest_no_route", 404))
        self.requests.append((path, page))
        self.queries.append(query)
        waiting = self.hiccups.get((path, page))
        if waiting:
            status, headers = waiting.pop(0)
            return self.send(request, status, {"code": "busy", "message": "Try later."}, headers)
        items = sorted(self.collections[path], key=lambda item: item["id"])
        pages = max((len(items) + PAGE - 1) // PAGE, 1)
        headers = {"X-WP-Total": str(len(items))}
        if self.send_total_pages:
            headers["X-WP-TotalPages"] = str(pages)
        self.send(request, 200, items[(page - 1) * PAGE : page * PAGE], headers)

    def send(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=UTF-8")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)


def woo_error(code: str, status: int) -> dict[str, Any]:
    messages = {
        "woocommerce_rest_cannot_view": "Sorry, you cannot list resources.",
        "rest_no_route": "No route was found matching the URL and request method.",
    }
    return {"code": code, "message": messages[code], "data": {"status": status}}


@pytest.fixture
def fake() -> Iterator[FakeWooCommerce]:
    shop = FakeWooCommerce()
    # A short poll interval: shutdown() waits for the next poll.
    thread = threading.Thread(
        target=shop.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield shop
    shop.server.shutdown()
    shop.server.server_close()
    thread.join()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the backfill asked for (none of them waited)."""
    waited: list[float] = []
    monkeypatch.setattr(woocommerce.connector, "sleep", waited.append)
    return waited


@pytest.fixture
def connection(woo_shop: ShopConnection, fake: FakeWooCommerce) -> ShopConnection:
    woo_shop.shop_url = fake.url + "/"
    woo_shop.api_key, woo_shop.api_secret = fake.key, fake.secret
    woo_shop.save()
    return woo_shop


def stored() -> dict[str, Any]:
    return {
        "orders": sorted(Order.objects.values_list("external_id", flat=True)),
        "products": {
            p.external_id: sorted(
                (v.external_id, v.sku, v.price, v.stock) for v in p.variants.all()
            )
            for p in Product.objects.all()
        },
        "contacts": sorted(Contact.objects.values_list("name", flat=True)),
    }


EVERYTHING = {
    "orders": ["723", "727", "728"],
    "products": {
        "34": [("34", "LP-1", D("10.00"), 5)],
        "93": [("93", "VS-42", D("10.00"), 12)],
        "799": [("800", "HT-M-BL", D("60.00"), 4), ("801", "HT-L-BL", D("60.00"), 0)],
    },
    "contacts": ["Aino Meikäläinen", "Eero Meikäläinen", "Liisa Virtanen", "Matti Meikäläinen"],
}


def test_a_backfill_stores_the_shop_once_waiting_out_its_rate_limit_and_bad_moment(
    connection: ShopConnection, fake: FakeWooCommerce, sleeps: list[float]
) -> None:
    connection.admin_order_url = (
        "https://kauppa.example/wp-admin/admin.php?page=wc-orders&action=edit&id={id}"
    )
    connection.save(update_fields=["admin_order_url"])
    fake.hiccups[("customers", 1)] = [(503, {})]
    fake.hiccups[("orders", 2)] = [(429, {"Retry-After": "7"})]

    result = backfill_shop(connection, actor=SYSTEM)

    assert (result.done, result.error, result.pages, result.records) == (True, "", 6, 9)
    assert stored() == EVERYTHING
    # Its own backoff for the 503, the shop's Retry-After for the 429.
    assert sleeps == [1.0, 7.0]
    assert all(
        (q["per_page"], q["orderby"], q["order"]) == (["100"], ["id"], ["asc"])
        for q in fake.queries
    )
    # Customers, then products (the variable one's variations), then orders (the refunded
    # one's refunds), each from its first page.
    assert fake.requests == [
        ("customers", 1),
        ("customers", 1),
        ("customers", 2),
        ("products", 1),
        ("products", 2),
        ("products/799/variations", 1),
        ("orders", 1),
        ("orders/723/refunds", 1),
        ("orders", 2),
        ("orders", 2),
    ]
    refunded = Order.objects.get(external_id="723")
    assert refunded.financial_status == FinancialStatus.PARTIALLY_REFUNDED
    # The refunds' own dates and lines, from /orders/723/refunds.
    refunds = {r.external_id: (r.amount, r.refunded_at) for r in refunded.refunds.all()}
    assert refunds == {
        "726": (D("10.00"), datetime(2026, 11, 25, 14, 54, 51, tzinfo=UTC)),
        "724": (D("9.00"), datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
    }
    [line] = refunded.refunds.get(external_id="724").lines.all()
    assert (line.line.external_id, line.quantity, line.amount) == ("311", 1, D("9.00"))
    assert Order.objects.get(external_id="727").admin_url == (
        "https://kauppa.example/wp-admin/admin.php?page=wc-orders&action=edit&id=727"
    )
    connection.refresh_from_db()
    assert connection.backfill_state == {} and connection.last_backfill_at is not None

    # Run again: the same records, stored once.
    assert backfill_shop(connection, actor=SYSTEM).done
    assert stored() == EVERYTHING
    assert Order.objects.get(external_id="723").refunds.count() == 2


def test_the_default_admin_address_is_the_one_every_store_opens(
    connection: ShopConnection, sleeps: list[float]
) -> None:
    backfill_shop(connection, actor=SYSTEM)
    order = Order.objects.get(external_id="727")
    assert (
        order.admin_url
        == f"{connection.shop_url.rstrip('/')}/wp-admin/post.php?post=727&action=edit"
    )


def test_a_stopped_backfill_resumes_where_it_stopped(
    connection: ShopConnection, fake: FakeWooCommerce, sleeps: list[float]
) -> None:
    first = backfill_shop(connection, actor=SYSTEM, max_pages=3)
    assert (first.done, first.pages) == (False, 3)
    connection.refresh_from_db()
    assert connection.backfill_state == {"phase": "products", "page": 2}
    assert stored()["orders"] == [] and list(stored()["products"]) == ["34", "93"]

    fake.requests.clear()
    second = backfill_shop(connection, actor=SYSTEM)
    assert (second.done, second.pages) == (True, 3)
    assert fake.requests[0] == ("products", 2)
    assert not any(path == "customers" for path, _page in fake.requests)
    assert stored() == EVERYTHING


def test_the_last_page_is_found_without_the_total_pages_header(
    connection: ShopConnection, fake: FakeWooCommerce, sleeps: list[float]
) -> None:
    fake.send_total_pages = False
    assert backfill_shop(connection, actor=SYSTEM).done
    assert stored() == EVERYTHING
    assert ("customers", 3) in fake.requests  # the empty page after the last


def test_a_wrong_key_stops_the_backfill_with_what_to_fix(
    connection: ShopConnection, fake: FakeWooCommerce, sleeps: list[float]
) -> None:
    connection.api_secret = "cs_not_the_secret"
    connection.save(update_fields=["api_secret"])
    result = backfill_shop(connection, actor=SYSTEM)
    assert not result.done and result.pages == 0
    assert "refused the API key" in result.error and "consumer key" in result.error
    assert "Sorry, you cannot list resources." in result.error
    connection.refresh_from_db()
    assert connection.last_error == result.error
    assert sleeps == [] and fake.requests == []  # not tried again
    assert stored() == {"orders": [], "products": {}, "contacts": []}


def test_a_wrong_address_stops_the_backfill_with_what_to_fix(
    connection: ShopConnection, sleeps: list[float]
) -> None:
    connection.shop_url += "kauppa"
    connection.save(update_fields=["shop_url"])
    result = backfill_shop(connection, actor=SYSTEM)
    assert "REST API was not found" in result.error and "permalinks" in result.error


def test_a_shop_that_keeps_failing_stops_the_backfill_to_resume_later(
    connection: ShopConnection, fake: FakeWooCommerce, sleeps: list[float]
) -> None:
    backfill_shop(connection, actor=SYSTEM, max_pages=1)
    fake.hiccups[("customers", 2)] = [(502, {})] * 5
    result = backfill_shop(connection, actor=SYSTEM)
    assert not result.done and "HTTP 502" in result.error and "5 tries" in result.error
    assert sleeps == [1.0, 2.0, 4.0, 8.0]
    connection.refresh_from_db()
    assert connection.backfill_state == {"phase": "customers", "page": 2}
    # The shop is back: the backfill goes on from there.
    assert backfill_shop(connection, actor=SYSTEM).done
    assert stored() == EVERYTHING


def test_a_long_rate_limit_stops_the_backfill_instead_of_holding_a_worker(
    connection: ShopConnection, fake: FakeWooCommerce, sleeps: list[float]
) -> None:
    fake.hiccups[("customers", 1)] = [(429, {"Retry-After": "3600"})]
    result = backfill_shop(connection, actor=SYSTEM)
    assert not result.done and "3600 seconds" in result.error
    assert sleeps == []


def test_a_connection_without_a_key_says_so(
    connection: ShopConnection, fake: FakeWooCommerce, sleeps: list[float]
) -> None:
    connection.api_key = ""
    connection.save(update_fields=["api_key"])
    result = backfill_shop(connection, actor=SYSTEM)
    assert "REST API key" in result.error and fake.requests == []
