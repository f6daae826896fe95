"""Refunds through WooCommerce's REST API v3, against a local stand-in for the shop that
answers /orders/<id> and /orders/<id>/refunds as WC_REST_Order_Refunds_Controller and
wc_create_refund do: Basic auth (and a key without write access), the amount checked
against what is left to refund, a gateway that refuses, a bad moment, and a refund made
whose answer was lost. Driven through refund_order, as an agent's refund is."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SYSTEM
from tests.shop.conftest import Post, woo_payload
from tiski.core.errors import ActionError
from tiski.shop.actions import (
    apply_pending_deliveries,
    apply_records,
    backfill_shop,
    refund_order,
)
from tiski.shop.connectors import woocommerce
from tiski.shop.connectors.woocommerce_orders import order_records
from tiski.shop.connectors.woocommerce_refunds import KEY_META, split
from tiski.shop.models import FinancialStatus, Order, ShopConnection
from tiski.stores.models import Store

D = Decimal
# The stand-in lists this many refunds a page, whatever per_page asks.
PAGE = 2
MADE_AT = "2026-12-03T09:30:00"


@dataclass(frozen=True)
class Hiccup:
    """An answer other than the real one. ``made``: the request went through all the
    same (a proxy that timed out waiting for it, a plugin that failed after the refund).
    ``error``: the JSON error to answer with; an HTML page when None."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    made: bool = False
    error: dict[str, Any] | None = None


class RefundingWooCommerce:
    """The shop's REST API on localhost: its orders and their refunds, recording what it
    was asked."""

    key = "ck_refunds"
    secret = "cs_refunds"
    # A key the shop made with Read access only.
    read_key = "ck_read_only"
    read_secret = "cs_read_only"

    def __init__(self) -> None:
        self.orders: dict[str, dict[str, Any]] = {"727": woo_payload("order")}
        self.refunds: dict[str, list[dict[str, Any]]] = {"727": []}
        # (method, path) → answers to give before the real one.
        self.hiccups: dict[tuple[str, str], list[Hiccup]] = {}
        self.gateway_refuses = False
        self.requests: list[tuple[str, str]] = []
        self.posted: list[Any] = []
        self.next_id = 800
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.answer(self, "GET")

            def do_POST(self) -> None:
                fake.answer(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def answer(self, request: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(request.path)
        path = url.path.removeprefix("/wp-json/wc/v3/")
        if path == url.path:
            return self.send(request, 404, woo_error("rest_no_route", "No route was found.", 404))
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length)) if length else None
        given_auth = request.headers.get("Authorization")
        if given_auth == basic(self.read_key, self.read_secret):
            if method != "GET":
                # WC_REST_Authentication::check_permissions.
                return self.send(
                    request,
                    401,
                    woo_error(
                        "woocommerce_rest_authentication_error",
                        "The API key provided does not have write permissions.",
                        401,
                    ),
                )
        elif given_auth != basic(self.key, self.secret):
            return self.send(
                request,
                401,
                woo_error(
                    "woocommerce_rest_authentication_error", "Consumer secret is invalid.", 401
                ),
            )
        self.requests.append((method, path))
        if method == "POST":
            # The REST API reads a JSON body only when it says it is one.
            self.posted.append(
                body if request.headers.get("Content-Type") == "application/json" else None
            )
        waiting = self.hiccups.get((method, path))
        hiccup = waiting.pop(0) if waiting else None
        if hiccup is not None and not hiccup.made:
            return self.send_html(request, hiccup.status, hiccup.headers)
        parts = path.split("/")
        if len(parts) < 2 or parts[0] != "orders" or parts[1] not in self.orders:
            if len(parts) == 3 and parts[2] == "refunds":
                return self.send(
                    request,
                    404,
                    woo_error("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404),
                )
            return self.send(
                request,
                404,
                woo_error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404),
            )
        order_id = parts[1]
        if len(parts) == 2 and method == "GET":
            return self.send(request, 200, self.orders[order_id])
        if len(parts) == 3 and parts[2] == "refunds" and method == "GET":
            return self.list_refunds(request, order_id, parse_qs(url.query))
        if len(parts) == 3 and parts[2] == "refunds" and method == "POST":
            status, answer = self.create_refund(order_id, body)
            if hiccup is None:
                return self.send(request, status, answer)
            if hiccup.error is not None:
                return self.send(request, hiccup.status, hiccup.error)
            return self.send_html(request, hiccup.status, hiccup.headers)
        return self.send(
            request,
            404,
            woo_error("rest_no_route", "No route was found.", 404),
        )

    def list_refunds(
        self, request: BaseHTTPRequestHandler, order_id: str, query: dict[str, list[str]]
    ) -> None:
        page = int(query.get("page", ["1"])[0])
        # The default order is newest first; Tiski asks for orderby=id&order=asc.
        ascending = query.get("orderby") == ["id"] and query.get("order") == ["asc"]
        items = sorted(self.refunds[order_id], key=lambda r: r["id"], reverse=not ascending)
        pages = max((len(items) + PAGE - 1) // PAGE, 1)
        headers = {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)}
        self.send(request, 200, items[(page - 1) * PAGE : page * PAGE], headers)

    def create_refund(self, order_id: str, body: Any) -> tuple[int, Any]:
        """wc_create_refund, as far as a refund's answer goes."""
        order = self.orders[order_id]
        amount = D(str(body["amount"]))
        refunded = sum((D(r["amount"]) for r in self.refunds[order_id]), D("0"))
        if amount < 0 or amount > D(order["total"]) - refunded:
            return 500, woo_error(
                "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", 500
            )
        if body.get("api_refund", True) and self.gateway_refuses:
            return 500, woo_error(
                "woocommerce_rest_cannot_create_order_refund",
                "The payment gateway for this order does not support automatic refunds.",
                500,
            )
        # The refund is saved first, then its lines: theirs are the later ids.
        self.next_id += 1
        refund_id = self.next_id
        items = {item["id"]: item for item in order["line_items"]}
        lines = []
        for asked in body.get("line_items", []):
            item = items[asked["id"]]
            net = D(asked["refund_total"])
            taxes = [(tax["id"], D(tax["refund_total"])) for tax in asked.get("refund_tax", [])]
            tax = sum((t for _rate, t in taxes), D("0"))
            self.next_id += 1
            lines.append(
                {
                    "id": self.next_id,
                    "name": item["name"],
                    "product_id": item["product_id"],
                    "variation_id": item["variation_id"],
                    "quantity": -asked["quantity"],
                    "tax_class": "",
                    "subtotal": f"{-net:.2f}",
                    "subtotal_tax": f"{-tax:.2f}",
                    "total": f"{-net:.2f}",
                    "total_tax": f"{-tax:.2f}",
                    "taxes": [
                        {"id": rate, "total": f"{-t:.2f}", "subtotal": f"{-t:.2f}"}
                        for rate, t in taxes
                    ],
                    "meta_data": [
                        {
                            "id": 5000 + self.next_id,
                            "key": "_refunded_item_id",
                            "value": str(item["id"]),
                        }
                    ],
                    "sku": item["sku"],
                    "price": -float(net / asked["quantity"]),
                }
            )
        made = {
            "id": refund_id,
            "date_created": MADE_AT,
            "date_created_gmt": MADE_AT,
            "amount": f"{amount:.2f}",
            "reason": body.get("reason") or "",
            "refunded_by": 1,
            "refunded_payment": bool(body.get("api_refund", True)),
            "meta_data": [
                {"id": 9000 + refund_id, "key": meta["key"], "value": meta["value"]}
                for meta in body.get("meta_data", [])
            ],
            "line_items": lines,
            "shipping_lines": [],
            "tax_lines": [],
            "fee_lines": [],
        }
        self.refunds[order_id].append(made)
        order["refunds"].append(
            {"id": made["id"], "reason": made["reason"], "total": f"-{amount:.2f}"}
        )
        order["date_modified_gmt"] = MADE_AT
        return 201, made

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

    def send_html(
        self, request: BaseHTTPRequestHandler, status: int, headers: dict[str, str]
    ) -> None:
        """What a proxy or WordPress's maintenance mode answers: no WooCommerce error."""
        data = b"<html><body>Briefly unavailable for scheduled maintenance.</body></html>"
        request.send_response(status)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)

    def refund_ids(self) -> list[int]:
        return [refund["id"] for refund in self.refunds["727"]]


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def woo_error(code: str, message: str, status: int) -> dict[str, Any]:
    return {"code": code, "message": message, "data": {"status": status}}


@pytest.fixture
def fake() -> Iterator[RefundingWooCommerce]:
    shop = RefundingWooCommerce()
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
    """The waits the refund asked for (none of them waited)."""
    waited: list[float] = []
    monkeypatch.setattr(woocommerce.connector, "sleep", waited.append)
    return waited


@pytest.fixture
def connection(woo_shop: ShopConnection, fake: RefundingWooCommerce) -> ShopConnection:
    woo_shop.shop_url = fake.url + "/"
    woo_shop.api_key, woo_shop.api_secret = fake.key, fake.secret
    woo_shop.save()
    return woo_shop


@pytest.fixture
def order(store: Store, connection: ShopConnection) -> Order:
    """Order 727 as its webhook stored it: two sets of socks and hat (20.00, VAT 4.06) and a
    hoodie (50.00, VAT 10.16), 77.00 in all with shipping and a coupon."""
    apply_records(store, order_records(woo_payload("order")), actor=SYSTEM)
    return Order.objects.get(store=store, external_id="727")


def line(order: Order, external_id: str) -> int:
    return order.lines.get(external_id=external_id).pk


def stored_refunds(order: Order) -> dict[str, Any]:
    order.refresh_from_db()
    return {
        "refunded_total": order.refunded_total,
        "refunds": [
            (
                refund.external_id,
                refund.amount,
                refund.note,
                refund.refunded_at,
                [
                    (r.line.external_id, r.quantity, r.amount, r.restocked)
                    for r in refund.lines.all()
                ],
            )
            for refund in order.refunds.order_by("id")
        ],
    }


def test_a_refund_of_lines_goes_back_to_the_payment_and_is_stored_on_the_order(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float], woo_post: Post
) -> None:
    outcome = refund_order(
        order,
        amount=D("60.00"),
        key="R-1042",
        lines={line(order, "316"): 1, line(order, "315"): 1},
        restock=True,
        note="Palautus R-1042",
        actor=SYSTEM,
    )

    assert (outcome.done, outcome.external_id, outcome.manual) == (True, "801", "")
    # The hoodie whole (39.84 + VAT 10.16) and one of the two socks-and-hat sets
    # (7.97 + 2.03), each line's part split by its tax rate as WooCommerce wants it.
    assert fake.posted == [
        {
            "amount": "60.00",
            "reason": "Palautus R-1042",
            "api_refund": True,
            "api_restock": True,
            "meta_data": [{"key": KEY_META, "value": "R-1042"}],
            "line_items": [
                {
                    "id": 316,
                    "quantity": 1,
                    "refund_total": "39.84",
                    "refund_tax": [{"id": 75, "refund_total": "10.16"}],
                },
                {
                    "id": 315,
                    "quantity": 1,
                    "refund_total": "7.97",
                    "refund_tax": [{"id": 75, "refund_total": "2.03"}],
                },
            ],
        }
    ]
    # The order (for its lines' taxes), its refunds (none with the key), then the refund.
    assert fake.requests == [
        ("GET", "orders/727"),
        ("GET", "orders/727/refunds"),
        ("POST", "orders/727/refunds"),
    ]
    made = datetime.fromisoformat(MADE_AT).replace(tzinfo=UTC)
    expected = {
        "refunded_total": D("60.00"),
        "refunds": [
            (
                "801",
                D("60.00"),
                "Palautus R-1042",
                made,
                [("316", 1, D("50.00"), True), ("315", 1, D("10.00"), True)],
            )
        ],
    }
    assert stored_refunds(order) == expected
    assert sleeps == []

    # WooCommerce's order.updated webhook for the refund lists it again: nothing changes.
    answer = woo_post("order.updated", fake.orders["727"])
    assert answer.status_code == 200
    assert apply_pending_deliveries() == 1
    assert stored_refunds(order) == expected
    assert order.financial_status == FinancialStatus.PARTIALLY_REFUNDED


@pytest.mark.parametrize(
    ("amount", "lines", "sent"),
    [
        # Less than the lines cost (a fee kept): 30.00 over 50.00 and 10.00 by their prices.
        (
            "30.00",
            {"316": 1, "315": 1},
            [("316", 1, "19.92", "5.08"), ("315", 1, "3.99", "1.01")],
        ),
        # More than the lines cost (shipping too): the lines in full, the rest on no line.
        ("27.00", {"315": 2}, [("315", 2, "15.94", "4.06")]),
        # Money only.
        ("5.00", {}, []),
    ],
)
def test_the_amount_is_split_over_the_lines_by_their_prices_and_tax_rates(
    order: Order,
    fake: RefundingWooCommerce,
    sleeps: list[float],
    amount: str,
    lines: dict[str, int],
    sent: list[tuple[str, int, str, str]],
) -> None:
    outcome = refund_order(
        order,
        amount=D(amount),
        key="R-7",
        lines={line(order, external): n for external, n in lines.items()},
        actor=SYSTEM,
    )
    assert outcome.done
    [posted] = fake.posted
    assert posted["amount"] == amount and posted["api_restock"] is False
    assert [
        (
            str(item["id"]),
            item["quantity"],
            item["refund_total"],
            item["refund_tax"][0]["refund_total"],
        )
        for item in posted.get("line_items", [])
    ] == sent
    assert "line_items" in posted or not lines
    stored = stored_refunds(order)
    assert stored["refunded_total"] == D(amount)
    [(_id, _amount, _note, _at, stored_lines)] = stored["refunds"]
    assert [(external, n, str(gross)) for external, n, gross, _r in stored_lines] == [
        (external, n, str(D(net) + D(tax))) for external, n, net, tax in sent
    ]


def test_a_bad_moment_is_waited_out_and_the_refund_made_once(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float]
) -> None:
    fake.hiccups[("POST", "orders/727/refunds")] = [Hiccup(503)]
    outcome = refund_order(
        order, amount=D("10.00"), key="R-1", lines={line(order, "315"): 1}, actor=SYSTEM
    )
    assert outcome.done and sleeps == [1.0]
    # Before asking again, the shop's refunds are listed: the 503 made none.
    assert fake.requests == [
        ("GET", "orders/727"),
        ("GET", "orders/727/refunds"),
        ("POST", "orders/727/refunds"),
        ("GET", "orders/727/refunds"),
        ("POST", "orders/727/refunds"),
    ]
    assert len(fake.refund_ids()) == 1
    assert stored_refunds(order)["refunded_total"] == D("10.00")


def test_a_refund_whose_answer_was_lost_is_found_by_its_key_not_made_again(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float]
) -> None:
    # The refund goes through, then the proxy in front of the shop answers 502.
    fake.hiccups[("POST", "orders/727/refunds")] = [Hiccup(502, made=True)]
    outcome = refund_order(
        order, amount=D("10.00"), key="R-1", lines={line(order, "315"): 1}, actor=SYSTEM
    )
    assert outcome.done and outcome.external_id == str(fake.refund_ids()[0])
    assert [method for method, _path in fake.requests].count("POST") == 1
    assert len(fake.refund_ids()) == 1
    [(_id, amount, _note, _at, lines)] = stored_refunds(order)["refunds"]
    assert (amount, lines) == (D("10.00"), [("315", 1, D("10.00"), False)])


def test_the_same_key_twice_refunds_once(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float]
) -> None:
    asked: dict[str, Any] = {"amount": D("10.00"), "key": "R-1", "actor": SYSTEM}
    first = refund_order(order, lines={line(order, "315"): 1}, **asked)
    order.refresh_from_db()
    again = refund_order(order, lines={line(order, "315"): 1}, **asked)

    assert first.done and again == first
    assert len(fake.refund_ids()) == 1
    assert [method for method, _path in fake.requests].count("POST") == 1
    stored = stored_refunds(order)
    assert stored["refunded_total"] == D("10.00") and len(stored["refunds"]) == 1


def test_the_key_is_found_among_many_refunds(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float]
) -> None:
    made = fake.create_refund("727", {"amount": "1.00", "reason": "Kuljetus"})[1]
    fake.create_refund("727", {"amount": "1.00", "meta_data": [{"key": KEY_META, "value": "R-0"}]})
    fake.create_refund("727", {"amount": "2.00", "meta_data": [{"key": KEY_META, "value": "R-9"}]})
    outcome = refund_order(order, amount=D("2.00"), key="R-9", actor=SYSTEM)
    # Two a page: the third refund is on the second.
    assert outcome.external_id == str(fake.refund_ids()[2]) != str(made["id"])
    assert fake.requests == [
        ("GET", "orders/727"),
        ("GET", "orders/727/refunds"),
        ("GET", "orders/727/refunds"),
    ]


@pytest.mark.parametrize(
    ("refused", "message"),
    [
        ("gateway", "The payment gateway for this order does not support automatic refunds."),
        # Refunded in WooCommerce already, which Tiski has not heard of yet.
        ("refunded there", "Invalid refund amount."),
    ],
)
def test_a_refund_the_shop_refuses_is_an_error_and_nothing_is_stored(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float], refused: str, message: str
) -> None:
    if refused == "gateway":
        fake.gateway_refuses = True
    else:
        fake.create_refund("727", {"amount": "70.00", "api_refund": False})
    with pytest.raises(ActionError) as error:
        refund_order(order, amount=D("10.00"), key="R-1", actor=SYSTEM)
    assert error.value.field == "amount"
    assert "The shop did not make the refund" in error.value.message
    assert message in error.value.message
    # Not asked again: WooCommerce's answer is not a bad moment.
    assert [method for method, _path in fake.requests].count("POST") == 1 and sleeps == []
    assert len(fake.refund_ids()) == (0 if refused == "gateway" else 1)
    assert stored_refunds(order) == {"refunded_total": D("0.00"), "refunds": []}


@pytest.mark.parametrize(
    ("key", "secret", "says"),
    [
        (RefundingWooCommerce.read_key, RefundingWooCommerce.read_secret, "write permissions"),
        (RefundingWooCommerce.key, "cs_not_the_secret", "Consumer secret is invalid."),
    ],
)
def test_a_key_the_shop_refuses_is_an_error_saying_what_to_fix(
    order: Order,
    connection: ShopConnection,
    fake: RefundingWooCommerce,
    sleeps: list[float],
    key: str,
    secret: str,
    says: str,
) -> None:
    connection.api_key, connection.api_secret = key, secret
    connection.save(update_fields=["api_key", "api_secret"])
    with pytest.raises(ActionError) as error:
        refund_order(order, amount=D("10.00"), key="R-1", actor=SYSTEM)
    assert says in error.value.message and "Read/Write" in error.value.message
    assert fake.refund_ids() == [] and not order.refunds.exists()


@pytest.mark.parametrize(
    ("change", "manual"),
    [
        ({"api_secret": ""}, "needs a REST API key"),
        ({"api_key": ""}, "needs a REST API key"),
        # The key would travel unencrypted.
        ({"shop_url": "http://kauppa.example"}, "not HTTPS"),
        ({"shop_url": ""}, "no shop address"),
    ],
)
def test_a_connection_that_cannot_refund_leaves_it_to_be_done_by_hand(
    order: Order,
    connection: ShopConnection,
    fake: RefundingWooCommerce,
    change: dict[str, str],
    manual: str,
) -> None:
    for name, value in change.items():
        setattr(connection, name, value)
    connection.save()
    outcome = refund_order(order, amount=D("10.00"), key="R-1", actor=SYSTEM)
    assert not outcome.done and manual in outcome.manual
    assert fake.requests == [] and not order.refunds.exists()


def test_an_order_the_shop_does_not_have_is_refunded_by_hand(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float]
) -> None:
    del fake.orders["727"]
    outcome = refund_order(order, amount=D("10.00"), key="R-1", actor=SYSTEM)
    assert not outcome.done and "no order 727" in outcome.manual

    Order.objects.filter(pk=order.pk).update(external_id="wc-727")
    order.refresh_from_db()
    outcome = refund_order(order, amount=D("10.00"), key="R-1", actor=SYSTEM)
    assert not outcome.done and "no WooCommerce order id" in outcome.manual
    assert fake.requests == [("GET", "orders/727")]


def test_a_redirect_is_not_followed_with_the_key(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float]
) -> None:
    elsewhere = fake.url + "/elsewhere/wp-json/wc/v3/orders/727"
    fake.hiccups[("GET", "orders/727")] = [Hiccup(301, {"Location": elsewhere})]
    with pytest.raises(ActionError) as error:
        refund_order(order, amount=D("10.00"), key="R-1", actor=SYSTEM)
    assert "redirects" in error.value.message and elsewhere in error.value.message
    assert fake.requests == [("GET", "orders/727")]


def test_a_shop_that_keeps_failing_is_an_error_after_the_tries(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float]
) -> None:
    fake.hiccups[("POST", "orders/727/refunds")] = [Hiccup(503)] * 5
    with pytest.raises(ActionError) as error:
        refund_order(order, amount=D("10.00"), key="R-1", actor=SYSTEM)
    assert "HTTP 503" in error.value.message and "5 tries" in error.value.message
    assert sleeps == [1.0, 2.0, 4.0, 8.0]
    assert fake.refund_ids() == [] and not order.refunds.exists()


@pytest.mark.parametrize(
    ("amount", "weights", "shares"),
    [
        ("60.00", ["50.00", "10.00"], ["50.00", "10.00"]),
        ("10.00", ["1", "1", "1"], ["3.34", "3.33", "3.33"]),
        ("5.00", ["3.99", "1.01"], ["3.99", "1.01"]),
        ("0.00", ["1", "2"], ["0.00", "0.00"]),
        ("1.00", ["0", "0"], ["1.00", "0.00"]),
    ],
)
def test_split(amount: str, weights: list[str], shares: list[str]) -> None:
    assert split(D(amount), [D(w) for w in weights]) == [D(s) for s in shares]


@given(
    st.decimals(min_value=0, max_value=100_000, places=2),
    st.lists(st.decimals(min_value=0, max_value=10_000, places=2), min_size=1, max_size=6),
)
def test_a_split_adds_up_to_the_amount_in_cents(amount: Decimal, weights: list[Decimal]) -> None:
    shares = split(amount, weights)
    assert sum(shares) == amount and all(share >= 0 for share in shares)
    assert all(share == share.quantize(D("0.01")) for share in shares)
    if sum(weights) > 0:
        assert all(share == 0 for share, weight in zip(shares, weights, strict=True) if not weight)


def test_a_shop_failing_after_the_refund_is_not_asked_again(
    order: Order, fake: RefundingWooCommerce, sleeps: list[float]
) -> None:
    # WordPress's answer to a PHP fatal error, here in a hook after the gateway refunded.
    fatal = woo_error(
        "internal_server_error", "There has been a critical error on this website.", 500
    )
    fake.hiccups[("POST", "orders/727/refunds")] = [Hiccup(500, made=True, error=fatal)]
    with pytest.raises(ActionError) as error:
        refund_order(order, amount=D("10.00"), key="R-1", actor=SYSTEM)
    assert "critical error" in error.value.message
    assert "Check the refunds of order 727" in error.value.message
    assert [method for method, _path in fake.requests].count("POST") == 1 and sleeps == []
    assert len(fake.refund_ids()) == 1


def test_a_backfill_does_not_send_the_key_over_plain_http_either(
    connection: ShopConnection, fake: RefundingWooCommerce
) -> None:
    connection.shop_url = "http://kauppa.example"
    connection.save(update_fields=["shop_url"])
    result = backfill_shop(connection, actor=SYSTEM)
    assert not result.done and "not HTTPS" in result.error and fake.requests == []
