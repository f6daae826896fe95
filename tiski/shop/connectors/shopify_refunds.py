"""Refunds through Shopify's Admin GraphQL API, to the original payment method.

Shopify's documented flow: the order's ``suggestedRefund`` names the payments money
can go back to (their parent transactions and gateways, how much each can still
return) and, for the lines being refunded, how much of their worth comes from each
payment and where Shopify restocks them; ``refundCreate`` then refunds the lines (put
back in stock or not) and sends the amount back through those payments, never more
than each can return. The amount is the agent's (a goodwill sum needs no lines, a
return may add the postage), so it is spread over the payments as Shopify suggests for
the lines first, then up to what each payment can still return.

Asking twice refunds once, in two ways:

* ``refundCreate`` carries Shopify's ``@idempotent(key:)`` directive, which API
  version 2026-01 introduced (and 2026-04 requires). These calls therefore use
  :data:`REFUNDS_API_VERSION`, whatever version the backfill reads with. A retry
  after a lost answer (a 5xx, a dropped connection, inside the client) gets the first
  answer back instead of a second refund.
* Shopify keeps idempotency keys for a limited time, while a Tiski key (a return's
  number) lasts for ever. So the refund's note ends with a marker naming the key
  (``[Tiski: R-1042]``, seen by the shop's staff only), and a request whose key
  already marks one of the order's refunds returns that refund without asking for
  another.

The key sent to Shopify is derived from the order and the Tiski key (a UUID, as
Shopify recommends), so two orders' refunds never share one; and from the number of
marked refunds whose money the payment provider refused, so asking again after such a
refusal tries again instead of replaying it.

An order the customer paid in another currency than the shop's, or through a manual
payment method (bank transfer, cash on delivery: Shopify would record the refund but
send no money), is refunded by hand.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

from django.utils.translation import gettext as _

from tiski.shop.connectors.base import (
    ActionDone,
    ActionFailed,
    ActionNotSupported,
    BackfillFailed,
    RefundRequest,
    WebhookMeta,
)
from tiski.shop.connectors.shopify_backfill import MORE_REFUNDED, all_nodes
from tiski.shop.connectors.shopify_fields import (
    CENT,
    has_marker,
    ident,
    marked_note,
    obj,
    objs,
    shop_money,
    text,
)
from tiski.shop.connectors.shopify_graphql import AdminClient, Clock, Sleep, shop_base
from tiski.shop.connectors.shopify_payloads import refund as refund_record
from tiski.shop.models import ShopConnection

# The first version whose refundCreate takes @idempotent.
REFUNDS_API_VERSION = "2026-01"
# Tiski's namespace for the idempotency keys it sends Shopify (UUID version 5).
KEYS = uuid.UUID("6f1d4f5e-3b0a-5c4e-9a57-2f4b7d1c8e90")
# An order's refunds searched for a marker: far more than an order is refunded in.
REFUNDS_SEARCHED = 100
_FAILED = {"FAILURE", "ERROR"}

_MONEY = "shopMoney { amount }"

# Two suggestions: Shopify's for the lines (how it splits their worth over the
# payments, where it restocks them), and its suggestion to refund everything left (every
# payment money can still go back to, and how much each can return), so an amount
# beyond the lines' worth (or without lines) still finds its payments.
PLAN = f"""
query TiskiRefundPlan($id: ID!, $lines: [RefundLineItemInput!]) {{
  order(id: $id) {{
    id currencyCode presentmentCurrencyCode
    refunds(first: {REFUNDS_SEARCHED}) {{ id note }}
    forLines: suggestedRefund(
      refundLineItems: $lines
      refundMethodAllocation: ORIGINAL_PAYMENT_METHODS
    ) {{
      refundLineItems {{ quantity restockType lineItem {{ id }} location {{ id }} }}
      suggestedTransactions {{ amountSet {{ {_MONEY} }} parentTransaction {{ id }} }}
    }}
    everything: suggestedRefund(
      suggestFullRefund: true
      refundShipping: true
      refundMethodAllocation: ORIGINAL_PAYMENT_METHODS
    ) {{
      maximumRefundableSet {{ {_MONEY} }}
      suggestedTransactions {{
        gateway
        maximumRefundableSet {{ {_MONEY} }}
        parentTransaction {{ id manualPaymentGateway }}
      }}
    }}
  }}
}}"""

_DONE = f"""
fragment TiskiRefundDone on Refund {{
  id createdAt note
  refundLineItems(first: 100) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ quantity restockType subtotalSet {{ {_MONEY} }} lineItem {{ id }} }}
  }}
  transactions(first: 20) {{
    nodes {{ id kind status gateway errorCode amountSet {{ {_MONEY} }} }}
  }}
}}"""

CREATE = f"""
mutation TiskiRefundCreate($input: RefundInput!, $key: String!) {{
  refundCreate(input: $input) @idempotent(key: $key) {{
    refund {{ ...TiskiRefundDone }}
    userErrors {{ field message }}
  }}
}}{_DONE}"""

FOUND = f"""
query TiskiRefundFound($id: ID!) {{
  node(id: $id) {{ ... on Refund {{ ...TiskiRefundDone }} }}
}}{_DONE}"""


class RefundClient(AdminClient):
    """The Admin API client, for refunds: failures are ActionFailed, in words for them."""

    api_version = REFUNDS_API_VERSION
    user_agent = "Tiski refunds"

    def _fail(self, message: str) -> NoReturn:
        raise ActionFailed(message)

    def _no_token_message(self) -> str:
        return _("The shop connection has no Admin API access token.")

    def _gave_up_message(self, attempts: int, why: str) -> str:
        return _(
            "Shopify did not answer after %(attempts)d tries (%(why)s). Ask again later: "
            "the refund is still made only once."
        ) % {"attempts": attempts, "why": why}

    def _throttled_message(self) -> str:
        return _("Shopify is too busy to take the refund now. Ask again in a minute.")

    def _forbidden_message(self) -> str:
        return _(
            "Shopify refused access (HTTP 403): the app needs the read_orders and "
            "write_orders permissions to refund."
        )

    def _denied_message(self, detail: str) -> str:
        return _(
            "Shopify denied the app access (%(detail)s). Give the app the read_orders and "
            "write_orders permissions to refund."
        ) % {"detail": detail}

    def _query_failed_message(self, detail: str) -> str:
        return _("Shopify could not take the refund: %(detail)s") % {"detail": detail}


def refund(
    connection: ShopConnection, action: RefundRequest, *, sleep: Sleep, clock: Clock
) -> ActionDone:
    """Refund ``action`` in the connection's shop (see the module's docstring)."""
    order_id = _shopify_id(action.order_external_id)
    if not order_id:
        raise ActionNotSupported(
            _("Tiski has no Shopify id for this order: refund it in Shopify's admin.")
        )
    order_gid = f"gid://shopify/Order/{order_id}"
    lines = [
        _line_input(external_id, quantity, action.restock) for external_id, quantity in action.lines
    ]
    client = _client(connection, sleep=sleep, clock=clock)

    plan = client.query(PLAN, {"id": order_gid, "lines": lines or None})
    order = obj(plan.get("order"))
    if not order:
        raise ActionFailed(
            _(
                "Shopify did not find the order (deleted, or older than 60 days and the app "
                "lacks the read_all_orders permission)."
            )
        )
    _check_currency(order, action)
    marked = [
        text(item.get("id"))
        for item in objs(order.get("refunds"))
        if has_marker(item.get("note"), action.key)
    ]
    for refund_id in marked:
        found = obj(client.query(FOUND, {"id": refund_id}).get("node"))
        if found and not _money_refused(found):
            return _done(client, found, order_id, action)

    for_lines = obj(order.get("forLines"))
    if action.restock:
        # Where Shopify puts returned items back: its suggestion for each line.
        located = {
            text(obj(item.get("lineItem")).get("id")): text(obj(item.get("location")).get("id"))
            for item in objs(for_lines.get("refundLineItems"))
        }
        for line in lines:
            if located.get(line["lineItemId"]):
                line["locationId"] = located[line["lineItemId"]]
    refund_input = {
        "orderId": order_gid,
        "note": marked_note(action.note, action.key),
        "notify": action.notify_customer,
        "currency": action.currency.upper(),
        "refundLineItems": lines,
        "transactions": _transactions(action, for_lines, obj(order.get("everything")), order_gid),
    }
    # Here every refund marked with the key had its money refused: this try is a new one.
    key = uuid.uuid5(KEYS, f"{order_id}\n{action.key}\n{len(marked)}")
    answer = obj(client.query(CREATE, {"input": refund_input, "key": str(key)}).get("refundCreate"))
    errors = [text(error.get("message")) for error in objs(answer.get("userErrors"))]
    if errors:
        raise ActionFailed(_("Shopify says: %(errors)s") % {"errors": " ".join(errors)[:500]})
    made = obj(answer.get("refund"))
    if not ident(made.get("id")):
        raise ActionFailed(_("Shopify answered without a refund."))
    return _done(client, made, order_id, action)


def _client(connection: ShopConnection, *, sleep: Sleep, clock: Clock) -> RefundClient:
    if not connection.api_key.strip():
        raise ActionNotSupported(
            _(
                "The Shopify connection has no Admin API access token, so Tiski cannot "
                "refund through Shopify: refund it in Shopify's admin."
            )
        )
    try:
        shop_base(connection.shop_url)
    except BackfillFailed as exc:
        raise ActionNotSupported(str(exc)) from None
    return RefundClient(connection, sleep=sleep, clock=clock)


def _shopify_id(external_id: str) -> str:
    """The numeric id Shopify's GIDs are made of; "" for an id Shopify did not give."""
    found = ident(external_id)
    return found if found.isdigit() else ""


def _line_input(external_id: str, quantity: int, restock: bool) -> dict[str, Any]:
    line_id = _shopify_id(external_id)
    if not line_id:
        raise ActionNotSupported(
            _("Tiski has no Shopify id for a line of this order: refund it in Shopify's admin.")
        )
    return {
        "lineItemId": f"gid://shopify/LineItem/{line_id}",
        "quantity": quantity,
        "restockType": "RETURN" if restock else "NO_RESTOCK",
    }


def _check_currency(order: dict[str, Any], action: RefundRequest) -> None:
    shop_currency = text(order.get("currencyCode")).upper()
    paid_in = text(order.get("presentmentCurrencyCode")).upper() or shop_currency
    if paid_in != shop_currency:
        # Transactions are in the customer's currency, Tiski's amounts in the shop's:
        # Shopify's admin converts, Tiski would guess.
        raise ActionNotSupported(
            _(
                "The customer paid in %(paid)s, the shop's currency is %(shop)s: refund it "
                "in Shopify's admin."
            )
            % {"paid": paid_in, "shop": shop_currency}
        )
    if action.currency.upper() != shop_currency:
        raise ActionFailed(
            _("The refund is in %(asked)s, the order in %(shop)s.")
            % {"asked": action.currency.upper(), "shop": shop_currency}
        )


@dataclass(frozen=True)
class _Payment:
    """A payment of the order that money can go back to, as Shopify suggests it."""

    parent_id: str
    gateway: str
    manual: bool
    suggested: Decimal
    most: Decimal


def _transactions(
    action: RefundRequest, for_lines: dict[str, Any], everything: dict[str, Any], order_gid: str
) -> list[dict[str, Any]]:
    """The refund transactions that send ``action.amount`` back to the order's payments:
    first what Shopify suggests for the lines from each, then up to what each can still
    return, in the order Shopify names them."""
    suggested: dict[str, Decimal] = {}
    for item in objs(for_lines.get("suggestedTransactions")):
        parent_id = text(obj(item.get("parentTransaction")).get("id"))
        amount = shop_money(item.get("amountSet"), "amountSet")
        suggested[parent_id] = suggested.get(parent_id, Decimal("0")) + amount
    payments = []
    for item in objs(everything.get("suggestedTransactions")):
        parent = obj(item.get("parentTransaction"))
        most = shop_money(item.get("maximumRefundableSet"), "maximumRefundableSet")
        if text(parent.get("id")) and most > 0:
            payments.append(
                _Payment(
                    parent_id=text(parent.get("id")),
                    gateway=text(item.get("gateway")),
                    manual=parent.get("manualPaymentGateway") is True,
                    suggested=min(suggested.get(text(parent.get("id")), Decimal("0")), most),
                    most=most,
                )
            )
    if not payments:
        raise ActionFailed(_("Shopify finds no payment of this order that can be refunded."))
    most = sum((payment.most for payment in payments), Decimal("0"))
    if "maximumRefundableSet" in everything:
        most = min(most, shop_money(everything["maximumRefundableSet"], "maximumRefundableSet"))
    if action.amount > most:
        raise ActionFailed(
            _("At most %(most)s %(currency)s of this order can go back to the original payment.")
            % {"most": most, "currency": action.currency.upper()}
        )
    taken = dict.fromkeys(range(len(payments)), Decimal("0"))
    left = action.amount
    for first_pass in (True, False):
        for n, payment in enumerate(payments):
            room = (payment.suggested if first_pass else payment.most) - taken[n]
            more = max(min(left, room), Decimal("0"))
            taken[n] += more
            left -= more
    chosen = [(payment, taken[n]) for n, payment in enumerate(payments) if taken[n] > 0]
    manual = sorted({payment.gateway or "?" for payment, _amount in chosen if payment.manual})
    if manual:
        raise ActionNotSupported(
            _(
                "The order was paid by %(gateway)s, a manual payment method: Shopify cannot "
                "send that money back. Pay the customer yourself and record the refund in "
                "Shopify's admin."
            )
            % {"gateway": ", ".join(manual)}
        )
    return [
        {
            "orderId": order_gid,
            "parentId": payment.parent_id,
            "gateway": payment.gateway,
            "kind": "REFUND",
            "amount": str(amount.quantize(CENT)),
        }
        for payment, amount in chosen
    ]


def _money_refused(refund_node: dict[str, Any]) -> bool:
    """Whether every money transaction of a refund was refused: nothing went back."""
    statuses = [text(item.get("status")).upper() for item in _transactions_of(refund_node)]
    return bool(statuses) and all(status in _FAILED for status in statuses)


def _transactions_of(refund_node: dict[str, Any]) -> list[dict[str, Any]]:
    return objs(obj(refund_node.get("transactions")).get("nodes"))


def _done(
    client: AdminClient, node: dict[str, Any], order_id: str, action: RefundRequest
) -> ActionDone:
    """The refund Shopify made, as the refunds/create webhook would have told it, or
    ActionFailed when its payment provider refused the money."""
    transactions = _transactions_of(node)
    refused = [item for item in transactions if text(item.get("status")).upper() in _FAILED]
    if refused:
        first = refused[0]
        raise ActionFailed(
            _(
                "The payment provider (%(gateway)s) refused to pay back "
                "%(amount)s %(currency)s (%(why)s)."
            )
            % {
                "gateway": text(first.get("gateway")) or "?",
                "amount": sum(
                    (shop_money(item.get("amountSet"), "amountSet") for item in refused),
                    Decimal("0"),
                ),
                "currency": action.currency.upper(),
                "why": text(first.get("errorCode")) or text(first.get("status")).lower(),
            }
        )
    refund_id = text(node.get("id"))
    lines = all_nodes(
        client, node.get("refundLineItems"), MORE_REFUNDED, refund_id, "refundLineItems"
    )
    payload = {
        "id": refund_id,
        "order_id": order_id,
        "created_at": node.get("createdAt"),
        "note": node.get("note"),
        "refund_line_items": [
            {
                "line_item_id": obj(line.get("lineItem")).get("id"),
                "quantity": line.get("quantity"),
                "subtotal": obj(obj(line.get("subtotalSet")).get("shopMoney")).get("amount"),
                "restock_type": text(line.get("restockType")).lower(),
            }
            for line in lines
        ],
        "transactions": [
            {
                "kind": text(item.get("kind")).lower(),
                "status": text(item.get("status")).lower(),
                "amount": obj(obj(item.get("amountSet")).get("shopMoney")).get("amount"),
            }
            for item in transactions
        ],
    }
    found = refund_record(payload, WebhookMeta(topic="refunds/create"), order_id=order_id)
    return ActionDone(external_id=found.external_id, records=[found])
