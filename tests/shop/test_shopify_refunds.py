"""Refunds through Shopify's Admin GraphQL API, driven through ``refund_order`` against
a stand-in for Shopify on this machine. The stand-in answers ``suggestedRefund`` and
``refundCreate`` as Shopify documents them (the payments the money can go back to,
userErrors, THROTTLED, the ``@idempotent`` key) and keeps the refunds it made, so a
test sees both sides: what Shopify was asked and did, and what Tiski stored."""

from __future__ import annotations

import itertools
import json
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import SYSTEM
from tiski.core.errors import ActionError
from tiski.shop.actions import apply_pending_deliveries, apply_records, connect_shop, refund_order
from tiski.shop.connectors import WebhookMeta
from tiski.shop.connectors import shopify as shopify_module
from tiski.shop.connectors.shopify import sign
from tiski.shop.models import Order, Platform, Refund, RefundLine, ShopConnection
from tiski.shop.records import RefundRecord
from tiski.stores.models import Store

TOKEN = "shpat_refunds_5a1e"
SECRET = "shpss_refunds_77c0"
FIXTURES = Path(__file__).parent / "fixtures" / "shopify"
ORDER_ID = "820982911946154508"
ORDER = f"gid://shopify/Order/{ORDER_ID}"
CARD = "gid://shopify/OrderTransaction/389404469"
GIFT_CARD = "gid://shopify/OrderTransaction/389404470"
LOCATION = "gid://shopify/Location/655441491"
# The documented orders/create sample's lines: their ids and what each cost after discounts.
SUNGLASSES = "487817672276298554"
LENS_PLAN = "789012345678901234"
LOUNGER = "976318377106520349"
PRICES = {
    SUNGLASSES: "89.99",
    LENS_PLAN: "19.99",
    "890123456789012345": "24.99",
    LOUNGER: "149.99",
    "315789986012684393": "119.99",
}
VERSION = "2026-01"


def gid(kind: str, number: str) -> str:
    return f"gid://shopify/{kind}/{number}"


def money(value: Decimal) -> dict[str, Any]:
    return {"shopMoney": {"amount": str(value), "currencyCode": "USD"}}


@dataclass
class Payment:
    id: str
    gateway: str
    amount: Decimal
    manual: bool = False
    refunded: Decimal = Decimal("0")

    @property
    def left(self) -> Decimal:
        return self.amount - self.refunded


@dataclass
class ShopifyOrder:
    """The order as Shopify holds it."""

    payments: list[Payment]
    currency: str = "USD"
    presentment: str = "USD"
    shipping: Decimal = Decimal("0")
    refundable: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PRICES, 1))
    refunds: list[dict[str, Any]] = field(default_factory=list)


def _invalid(document: str, variables: dict[str, Any]) -> str:
    """What Shopify's GraphQL validation would refuse of the rules a hand-written
    document breaks most easily."""
    if document.count("{") != document.count("}") or document.count("(") != document.count(")"):
        return "Syntax error: unbalanced brackets"
    defined = set(re.findall(r"fragment (\w+) on", document))
    spread = set(re.findall(r"\.\.\.(\w+)", document))
    if defined != spread:
        return f"Fragments defined but not used, or used but not defined: {defined ^ spread}"
    declared = set(re.findall(r"\$(\w+): \[?\w+", document))
    used = set(re.findall(r"\$(\w+)(?!\w*:)", document))
    if declared != used or set(variables) - declared:
        return f"Variables declared, used and given differ: {declared}, {used}, {set(variables)}"
    return ""


@dataclass
class FakeShopify:
    """What the stand-in holds, and what it was asked."""

    token: str = TOKEN
    order: ShopifyOrder = field(
        default_factory=lambda: ShopifyOrder([Payment(CARD, "shopify_payments", Decimal("404.95"))])
    )
    # Faults to answer with, in turn, to the requests of that operation.
    faults: dict[str, list[str]] = field(default_factory=dict)
    asked: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    # Idempotency keys Shopify has seen: the input each came with and its answer.
    keys: dict[str, tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    url: str = ""
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(890088186047892320))

    def answer(self, token: str, document: str, variables: dict[str, Any]) -> tuple[int, Any]:
        operation = re.search(r"(?:query|mutation) (\w+)", document)
        assert operation, document
        name = operation.group(1)
        self.asked.append((name, variables))
        if token != self.token:
            return 401, {"errors": "[API] Invalid API key or access token"}
        problem = _invalid(document, variables)
        if problem:
            return 200, {"errors": [{"message": problem}]}
        fault = self.faults.get(name, [])
        kind = fault.pop(0) if fault else ""
        if kind == "throttled":
            cost = {"requestedQueryCost": 12, "actualQueryCost": None}
            status = {"maximumAvailable": 2000, "currentlyAvailable": 2, "restoreRate": 100}
            return 200, {
                "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
                "extensions": {"cost": {**cost, "throttleStatus": status}},
            }
        if kind == "denied":
            return 200, {
                "errors": [
                    {
                        "message": "Access denied for refundCreate field.",
                        "extensions": {"code": "ACCESS_DENIED"},
                    }
                ]
            }
        if "refundCreate(" in document and "@idempotent(key: $key)" not in document:
            # What Shopify answers from 2026-04 on; 2026-01 took it as optional.
            return 200, {"errors": [{"message": "refundCreate requires an idempotency key."}]}
        if name == "TiskiRefundPlan":
            data = {"order": self._plan(variables) if variables["id"] == ORDER else None}
        elif name == "TiskiRefundCreate":
            data = {"refundCreate": self._create(variables, declined=kind == "declined")}
        elif name == "TiskiRefundFound":
            found = [r for r in self.order.refunds if r["node"]["id"] == variables["id"]]
            data = {"node": found[0]["node"] if found else None}
        else:
            raise AssertionError(f"unexpected operation {name}")
        if kind == "lost":
            # Done, but the answer never reaches the app.
            return 502, "<html>Bad Gateway</html>"
        return 200, {"data": data}

    def _plan(self, variables: dict[str, Any]) -> dict[str, Any]:
        order = self.order
        left = [
            {"lineItemId": gid("LineItem", line), "quantity": n, "restockType": "NO_RESTOCK"}
            for line, n in order.refundable.items()
            if n
        ]
        return {
            "id": ORDER,
            "currencyCode": order.currency,
            "presentmentCurrencyCode": order.presentment,
            "refunds": [{"id": r["node"]["id"], "note": r["node"]["note"]} for r in order.refunds],
            "forLines": self._suggestion(variables["lines"] or [], Decimal("0")),
            "everything": self._suggestion(left, order.shipping),
        }

    def _suggestion(self, asked: list[dict[str, Any]], shipping: Decimal) -> dict[str, Any]:
        """Shopify's suggestedRefund: the lines' worth, split over the payments. Shopify
        does not document its split; this one is in proportion to what each payment can
        still return, so a test tells Shopify's split from Tiski's own order."""
        order = self.order
        lines = []
        amount = shipping
        for item in asked:
            line = item["lineItemId"].rsplit("/", 1)[-1]
            quantity = min(item["quantity"], order.refundable[line])
            amount += Decimal(PRICES[line]) * quantity
            restock = item.get("restockType", "NO_RESTOCK")
            lines.append(
                {
                    "quantity": quantity,
                    "restockType": restock,
                    "lineItem": {"id": item["lineItemId"]},
                    "location": None if restock == "NO_RESTOCK" else {"id": LOCATION},
                }
            )
        suggested = []
        paying = [payment for payment in order.payments if payment.left > 0]
        total = sum((payment.left for payment in paying), Decimal("0"))
        amount = min(amount, total)
        for n, payment in enumerate(paying):
            last = n == len(paying) - 1
            share = amount if last else (amount * payment.left / total).quantize(Decimal("0.01"))
            amount -= share
            if share > 0:
                suggested.append(
                    {
                        "gateway": payment.gateway,
                        "amountSet": money(share),
                        "maximumRefundableSet": money(payment.left),
                        "parentTransaction": {
                            "id": payment.id,
                            "manualPaymentGateway": payment.manual,
                        },
                    }
                )
        return {
            "maximumRefundableSet": money(sum((p.left for p in order.payments), Decimal(0))),
            "refundLineItems": lines,
            "suggestedTransactions": suggested,
        }

    def _create(self, variables: dict[str, Any], *, declined: bool) -> Any:
        key, given = variables["key"], variables["input"]
        if key in self.keys:
            first, answer = self.keys[key]
            if first != given:
                return self._refused(
                    None, "The same idempotency key cannot be used with different parameters."
                )
            return answer
        problem = self._problem(given)
        if problem:
            return self._refused(*problem)
        answer = {"refund": self._refund(given, declined=declined), "userErrors": []}
        self.keys[key] = (given, answer)
        return answer

    def _refused(self, where: list[str] | None, message: str) -> dict[str, Any]:
        return {"refund": None, "userErrors": [{"field": where, "message": message}]}

    def _problem(self, given: dict[str, Any]) -> tuple[list[str], str] | None:
        order = self.order
        if given["orderId"] != ORDER or given.get("currency") not in (None, order.presentment):
            return ["orderId"], "Order does not exist"
        for n, item in enumerate(given.get("refundLineItems") or []):
            line = item["lineItemId"].rsplit("/", 1)[-1]
            where = ["refundLineItems", str(n), "quantity"]
            if item["quantity"] > order.refundable.get(line, 0):
                return where, "Quantity cannot refund more items than were purchased"
            if item["restockType"] not in ("RETURN", "CANCEL", "NO_RESTOCK"):
                return ["refundLineItems", str(n), "restockType"], "Restock type is invalid"
            if item["restockType"] == "RETURN" and not item.get("locationId"):
                return ["refundLineItems", str(n), "locationId"], "Location must be provided"
        payments = {payment.id: payment for payment in order.payments}
        for n, item in enumerate(given.get("transactions") or []):
            parent = payments.get(item.get("parentId", ""))
            where = ["transactions", str(n)]
            if parent is None or item["gateway"] != parent.gateway or item["kind"] != "REFUND":
                return where, "Transaction parent_id is invalid"
            if item["orderId"] != ORDER:
                return where, "Transaction order_id is invalid"
            if not 0 < Decimal(item["amount"]) <= parent.left:
                return [*where, "amount"], "Amount cannot be greater than the refundable amount"
        return None

    def _refund(self, given: dict[str, Any], *, declined: bool) -> dict[str, Any]:
        number = str(next(self.numbers))
        payments = {payment.id: payment for payment in self.order.payments}
        lines = given.get("refundLineItems") or []
        for item in lines:
            self.order.refundable[item["lineItemId"].rsplit("/", 1)[-1]] -= item["quantity"]
        transactions = []
        for n, item in enumerate(given.get("transactions") or []):
            amount = Decimal(item["amount"])
            if not declined:
                payments[item["parentId"]].refunded += amount
            transactions.append(
                {
                    "id": gid("OrderTransaction", f"{number}{n}"),
                    "kind": "REFUND",
                    "status": "FAILURE" if declined else "SUCCESS",
                    "gateway": item["gateway"],
                    "errorCode": "CARD_DECLINED" if declined else None,
                    "amountSet": money(amount),
                }
            )
        node = {
            "id": gid("Refund", number),
            "createdAt": "2026-09-14T10:00:00Z",
            "note": given.get("note"),
            "refundLineItems": {
                "pageInfo": {"hasNextPage": False, "endCursor": None},
                "nodes": [
                    {
                        "quantity": item["quantity"],
                        "restockType": item["restockType"],
                        "subtotalSet": money(
                            Decimal(PRICES[item["lineItemId"].rsplit("/", 1)[-1]])
                            * item["quantity"]
                        ),
                        "lineItem": {"id": item["lineItemId"]},
                    }
                    for item in lines
                ],
            },
            "transactions": {"nodes": transactions},
        }
        self.order.refunds.append({"node": node, "given": given})
        return node

    def webhook(self, refund_id: str) -> dict[str, Any]:
        """The refunds/create webhook Shopify sends for one of its refunds."""
        node = next(r["node"] for r in self.order.refunds if r["node"]["id"] == refund_id)
        return {
            "id": int(refund_id.rsplit("/", 1)[-1]),
            "order_id": int(ORDER_ID),
            "created_at": "2026-09-14T06:00:00-04:00",
            "processed_at": "2026-09-14T06:00:00-04:00",
            "note": node["note"],
            "restock": False,
            "refund_line_items": [
                {
                    "line_item_id": int(line["lineItem"]["id"].rsplit("/", 1)[-1]),
                    "quantity": line["quantity"],
                    "restock_type": line["restockType"].lower(),
                    "location_id": 655441491,
                    "subtotal": float(line["subtotalSet"]["shopMoney"]["amount"]),
                }
                for line in node["refundLineItems"]["nodes"]
            ],
            "transactions": [
                {
                    "id": int(item["id"].rsplit("/", 1)[-1]),
                    "kind": item["kind"].lower(),
                    "status": item["status"].lower(),
                    "gateway": item["gateway"],
                    "amount": item["amountSet"]["shopMoney"]["amount"],
                }
                for item in node["transactions"]["nodes"]
            ],
        }

    def sent(self, operation: str) -> list[dict[str, Any]]:
        return [variables for name, variables in self.asked if name == operation]


@pytest.fixture
def fake() -> Iterator[FakeShopify]:
    state = FakeShopify()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            state.paths.add(self.path)
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
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(shopify_module.connector, "sleep", lambda s: slept.append(round(s, 4)))
    monkeypatch.setattr(shopify_module.connector, "clock", lambda: 1000.0)
    return slept


@pytest.fixture
def connection(store: Store, fake: FakeShopify, waits: list[float]) -> ShopConnection:
    return connect_shop(
        store,
        platform=Platform.SHOPIFY,
        actor=SYSTEM,
        shop_url=fake.url,
        webhook_secret=SECRET,
        api_key=TOKEN,
    )


@pytest.fixture
def order(store: Store, connection: ShopConnection) -> Order:
    """Shopify's documented orders/create sample, stored as its webhook stores it."""
    payload = json.loads((FIXTURES / "orders_create.json").read_text())
    records = shopify_module.connector.records(
        "orders/create", payload, WebhookMeta(topic="orders/create"), connection
    )
    apply_records(store, records, actor=SYSTEM)
    return Order.objects.get(store=store, external_id=ORDER_ID)


def line(order: Order, external_id: str) -> int:
    return order.lines.get(external_id=external_id).pk


def test_a_refund_of_returned_lines_goes_back_to_the_card_and_is_stored(
    order: Order, fake: FakeShopify, client: Client
) -> None:
    outcome = refund_order(
        order,
        amount=Decimal("109.98"),
        key="R-1042",
        lines={line(order, SUNGLASSES): 1, line(order, LENS_PLAN): 1},
        restock=True,
        note="Väärä koko",
        actor=SYSTEM,
    )

    [made] = fake.order.refunds
    assert (outcome.done, outcome.external_id) == (True, made["node"]["id"].rsplit("/", 1)[-1])
    # What Shopify was asked: its suggestion for the returned lines, then the refund.
    assert fake.paths == {f"/admin/api/{VERSION}/graphql.json"}
    [plan] = fake.sent("TiskiRefundPlan")
    returned = [
        {"lineItemId": gid("LineItem", SUNGLASSES), "quantity": 1, "restockType": "RETURN"},
        {"lineItemId": gid("LineItem", LENS_PLAN), "quantity": 1, "restockType": "RETURN"},
    ]
    assert plan == {"id": ORDER, "lines": returned}
    [create] = fake.sent("TiskiRefundCreate")
    assert create["input"] == {
        "orderId": ORDER,
        "note": "Väärä koko\n\n[Tiski: R-1042]",
        "notify": True,
        "currency": "USD",
        # Back in stock where Shopify suggested.
        "refundLineItems": [{**item, "locationId": LOCATION} for item in returned],
        "transactions": [
            {
                "orderId": ORDER,
                "parentId": CARD,
                "gateway": "shopify_payments",
                "kind": "REFUND",
                "amount": "109.98",
            }
        ],
    }
    assert uuid.UUID(create["key"]).version == 5
    assert fake.order.payments[0].refunded == Decimal("109.98")

    # What Tiski stored: the refund, its lines back in stock, the order's refunded total.
    refund = Refund.objects.get()
    assert (refund.order, refund.external_id, refund.amount, refund.note) == (
        order,
        outcome.external_id,
        Decimal("109.98"),
        "Väärä koko",
    )
    refunded = sorted(
        refund.lines.values_list("line__external_id", "quantity", "amount", "restocked")
    )
    assert refunded == [
        (SUNGLASSES, 1, Decimal("89.99"), True),
        (LENS_PLAN, 1, Decimal("19.99"), True),
    ]
    order.refresh_from_db()
    assert order.refunded_total == Decimal("109.98")

    # Shopify's refunds/create webhook for the same refund reads the same, and through the
    # real endpoint changes nothing.
    webhook = fake.webhook(made["node"]["id"])
    [record] = shopify_module.connector.records(
        "refunds/create", webhook, WebhookMeta(topic="refunds/create")
    )
    assert isinstance(record, RefundRecord)
    assert (record.external_id, record.amount, record.note) == (
        refund.external_id,
        refund.amount,
        refund.note,
    )
    lines = sorted((x.line_external_id, x.quantity, x.amount, x.restocked) for x in record.lines)
    assert lines == refunded
    body = json.dumps(webhook).encode()
    answer = client.post(
        f"/webhooks/shopify/{order.store.slug}/",
        data=body,
        content_type="application/json",
        headers={
            "X-Shopify-Topic": "refunds/create",
            "X-Shopify-Hmac-Sha256": sign(SECRET, body),
            "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-000000000001",
            "X-Shopify-Triggered-At": "2026-09-14T10:00:01.000000Z",
        },
    )
    assert answer.status_code == 200, answer.content
    assert apply_pending_deliveries() == 1
    assert (Refund.objects.get().pk, Refund.objects.get().amount) == (refund.pk, Decimal("109.98"))
    assert RefundLine.objects.count() == 2
    order.refresh_from_db()
    assert order.refunded_total == Decimal("109.98")


def test_an_amount_alone_goes_back_without_lines(order: Order, fake: FakeShopify) -> None:
    outcome = refund_order(
        order, amount=Decimal("20"), key="goodwill-1", notify_customer=False, actor=SYSTEM
    )
    assert outcome.done
    assert fake.sent("TiskiRefundPlan") == [{"id": ORDER, "lines": None}]
    [create] = fake.sent("TiskiRefundCreate")
    assert (create["input"]["refundLineItems"], create["input"]["notify"]) == ([], False)
    assert create["input"]["note"] == "[Tiski: goodwill-1]"
    assert [t["amount"] for t in create["input"]["transactions"]] == ["20.00"]
    refund = Refund.objects.get()
    assert (refund.amount, refund.note, refund.lines.count()) == (Decimal("20.00"), "", 0)


def test_the_money_is_split_over_the_payments_as_shopify_suggests(
    order: Order, fake: FakeShopify
) -> None:
    fake.order.payments = [
        Payment(GIFT_CARD, "gift_card", Decimal("50.00")),
        Payment(CARD, "shopify_payments", Decimal("354.95")),
    ]
    # The sunglasses (89.99), and ten for the postage the customer paid to return them:
    # the sunglasses' worth from each payment as Shopify splits it (11.11 and 78.88), the
    # postage from the first payment that can still return it.
    refund_order(
        order, amount=Decimal("99.99"), key="R-7", lines={line(order, SUNGLASSES): 1}, actor=SYSTEM
    )
    [create] = fake.sent("TiskiRefundCreate")
    sent = [(t["parentId"], t["gateway"], t["amount"]) for t in create["input"]["transactions"]]
    assert sent == [(GIFT_CARD, "gift_card", "21.11"), (CARD, "shopify_payments", "78.88")]
    # Not put back in stock: no location, and Shopify is told so.
    assert create["input"]["refundLineItems"] == [
        {"lineItemId": gid("LineItem", SUNGLASSES), "quantity": 1, "restockType": "NO_RESTOCK"}
    ]
    refund = Refund.objects.get()
    assert refund.amount == Decimal("99.99") and not refund.lines.get().restocked


def test_never_more_than_shopify_can_pay_back(order: Order, fake: FakeShopify) -> None:
    # Refunded in Shopify's admin, which Tiski has not heard of yet.
    fake.order.payments[0].refunded = Decimal("400.00")
    with pytest.raises(ActionError) as refused:
        refund_order(order, amount=Decimal("10.00"), key="R-8", actor=SYSTEM)
    assert "At most 4.95 USD" in refused.value.message
    assert fake.sent("TiskiRefundCreate") == [] and not Refund.objects.exists()


def test_a_refund_shopify_refuses_stores_nothing(order: Order, fake: FakeShopify) -> None:
    fake.order.refundable[SUNGLASSES] = 0  # refunded in Shopify's admin already
    with pytest.raises(ActionError) as refused:
        refund_order(
            order,
            amount=Decimal("89.99"),
            key="R-9",
            lines={line(order, SUNGLASSES): 1},
            actor=SYSTEM,
        )
    assert refused.value.message == (
        "The shop did not make the refund: Shopify says: "
        "Quantity cannot refund more items than were purchased"
    )
    assert fake.order.refunds == [] and not Refund.objects.exists()
    order.refresh_from_db()
    assert order.refunded_total == Decimal("0")


def test_a_declined_payment_stores_nothing_and_asking_again_tries_again(
    order: Order, fake: FakeShopify
) -> None:
    fake.faults = {"TiskiRefundCreate": ["declined"]}
    with pytest.raises(ActionError) as refused:
        refund_order(order, amount=Decimal("30.00"), key="R-10", actor=SYSTEM)
    assert refused.value.message == (
        "The shop did not make the refund: The payment provider (shopify_payments) refused to pay "
        "back 30.00 USD (CARD_DECLINED)."
    )
    assert not Refund.objects.exists() and fake.order.payments[0].refunded == 0

    # Shopify kept the failed attempt under its key: the next try is sent as a new one.
    outcome = refund_order(order, amount=Decimal("30.00"), key="R-10", actor=SYSTEM)
    assert outcome.done and len(fake.order.refunds) == 2
    first, second = fake.sent("TiskiRefundCreate")
    assert first["key"] != second["key"] and first["input"] == second["input"]
    assert Refund.objects.get().amount == Decimal("30.00")


def test_asking_twice_with_the_same_key_refunds_once(order: Order, fake: FakeShopify) -> None:
    first = refund_order(order, amount=Decimal("100.00"), key="R-11", actor=SYSTEM)
    again = refund_order(order, amount=Decimal("100.00"), key="R-11", actor=SYSTEM)
    assert first == again and first.done
    # The second time Tiski knew the refund by its key: Shopify was not asked again.
    assert len(fake.order.refunds) == 1 and len(fake.sent("TiskiRefundCreate")) == 1
    assert fake.sent("TiskiRefundFound") == []
    assert Refund.objects.count() == 1
    order.refresh_from_db()
    assert order.refunded_total == Decimal("100.00")


def test_a_refund_whose_answer_never_came_is_found_when_asked_again(
    order: Order, fake: FakeShopify, waits: list[float]
) -> None:
    # Shopify refunds, but none of the four tries hears back.
    fake.faults = {"TiskiRefundCreate": ["lost"] * 4}
    lines = {line(order, LOUNGER): 1}
    with pytest.raises(ActionError) as failed:
        refund_order(order, amount=Decimal("149.99"), key="R-12", lines=lines, actor=SYSTEM)
    assert "did not answer after 4 tries" in failed.value.message
    assert waits == [1.0, 2.0, 4.0]
    # Each try carried the same key: one refund in Shopify, none (yet) in Tiski.
    assert len({v["key"] for v in fake.sent("TiskiRefundCreate")}) == 1
    assert len(fake.order.refunds) == 1 and not Refund.objects.exists()

    outcome = refund_order(order, amount=Decimal("149.99"), key="R-12", lines=lines, actor=SYSTEM)
    made = fake.order.refunds[0]["node"]["id"]
    assert outcome.done and gid("Refund", outcome.external_id) == made
    assert len(fake.order.refunds) == 1 and len(fake.sent("TiskiRefundCreate")) == 4
    refund = Refund.objects.get()
    assert (refund.amount, refund.lines.get().line.external_id) == (Decimal("149.99"), LOUNGER)


def test_a_lost_answer_is_asked_again_and_shopify_refunds_once(
    order: Order, fake: FakeShopify, waits: list[float]
) -> None:
    fake.faults = {"TiskiRefundCreate": ["lost"]}
    outcome = refund_order(order, amount=Decimal("19.99"), key="R-19", actor=SYSTEM)
    # The client sent the refund again after a second; Shopify knew its key.
    assert waits == [1.0]
    first, again = fake.sent("TiskiRefundCreate")
    assert first == again
    assert len(fake.order.refunds) == 1 and fake.order.payments[0].refunded == Decimal("19.99")
    assert outcome.done and Refund.objects.get().external_id == outcome.external_id


def test_a_throttled_refund_waits_and_is_made_once(
    order: Order, fake: FakeShopify, waits: list[float]
) -> None:
    fake.faults = {"TiskiRefundCreate": ["throttled"]}
    outcome = refund_order(order, amount=Decimal("24.99"), key="R-13", actor=SYSTEM)
    assert outcome.done
    # 12 points asked, 2 there, 100 a second: the least wait Shopify's answer allows.
    assert waits == [1.0]
    assert len(fake.sent("TiskiRefundCreate")) == 2 and len(fake.order.refunds) == 1
    assert Refund.objects.get().amount == Decimal("24.99")


def test_a_missing_permission_is_named(order: Order, fake: FakeShopify) -> None:
    fake.faults = {"TiskiRefundCreate": ["denied"]}
    with pytest.raises(ActionError) as refused:
        refund_order(order, amount=Decimal("10.00"), key="R-14", actor=SYSTEM)
    assert "write_orders" in refused.value.message
    assert not Refund.objects.exists()


def test_a_connection_without_a_token_is_refunded_by_hand(
    order: Order, connection: ShopConnection, fake: FakeShopify
) -> None:
    connection.api_key = ""
    connection.save()
    outcome = refund_order(order, amount=Decimal("10.00"), key="R-15", actor=SYSTEM)
    assert not outcome.done and "access token" in outcome.manual
    assert fake.asked == [] and not Refund.objects.exists()


def test_an_order_without_a_shopify_id_is_refunded_by_hand(order: Order, fake: FakeShopify) -> None:
    Order.objects.filter(pk=order.pk).update(external_id="draft-7")
    order.refresh_from_db()
    outcome = refund_order(order, amount=Decimal("10.00"), key="R-16", actor=SYSTEM)
    assert not outcome.done and "no Shopify id" in outcome.manual
    assert fake.asked == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"presentment": "EUR"}, "The customer paid in EUR"),
        ({"manual": True}, "a manual payment method"),
    ],
)
def test_what_shopify_cannot_pay_back_is_refunded_by_hand(
    order: Order, fake: FakeShopify, change: dict[str, Any], expected: str
) -> None:
    if "presentment" in change:
        fake.order.presentment = change["presentment"]
    else:
        fake.order.payments = [Payment(CARD, "Cash on Delivery (COD)", Decimal("404.95"), True)]
    outcome = refund_order(order, amount=Decimal("10.00"), key="R-17", actor=SYSTEM)
    assert not outcome.done and expected in outcome.manual
    assert fake.sent("TiskiRefundCreate") == [] and not Refund.objects.exists()
