"""Refunds through a WooCommerce shop's REST API v3.

``POST <shop>/wp-json/wc/v3/orders/<id>/refunds`` (WC_REST_Order_Refunds_Controller, with
RestApiUtil::adjust_create_refund_request_parameters reading its body) with:

* ``amount``: the money back, a decimal string. It is what the refund is: WooCommerce
  checks only that it is not more than the order has left to refund ("Invalid refund
  amount."), never that the lines add up to it;
* ``line_items``: ``[{id, quantity, refund_total, refund_tax: [{id, refund_total}]}]``,
  the order lines refunded. ``refund_total`` is without tax and each tax rate's part is
  given on its own, so the amount is split over the lines by what they cost and each
  line's part by its tax rates (below);
* ``api_refund: true``: the order's payment gateway returns the money to the original
  payment method (EU consumer law has it so). A gateway that cannot refund makes the
  whole refund fail, and WooCommerce deletes it again;
* ``api_restock``: whether the refunded quantities go back to stock. It defaults to
  true, so it is always sent (``restock_items`` is wc_create_refund's own argument,
  which the REST API does not read);
* ``reason``: the agent's note (customers see it on their order and in the refund
  email; the gateway gets it too);
* ``meta_data``: the refund's key, see below.

WooCommerce emails the customer about a refund itself when its "Refunded order" email is
on; the API has no switch for that, so ``notify_customer`` is the shop's setting there.

Its refusals come with WooCommerce's own words: ``{"code", "message", "data":
{"status"}}``. A refund the gateway or WooCommerce refused is answered 500 with
``woocommerce_rest_cannot_create_order_refund`` (not 4xx), so a 5xx that carries such an
error is the shop's answer and is not retried; a 5xx without one (a proxy, maintenance
mode) and a 429 are.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from email.message import Message
from typing import Any

from django.utils.translation import gettext as _

from tiski.core import clock
from tiski.shop.connectors.base import ActionDone, ActionFailed, ActionNotSupported, RefundRequest
from tiski.shop.connectors.woocommerce_api import (
    ATTEMPTS,
    BACKOFF,
    Answer,
    GaveUp,
    Refusal,
    ShopClient,
    ShopUnusable,
    Sleep,
    api_address,
    api_missing,
    insecure_address,
    pages,
    redirected,
    shop_address,
)
from tiski.shop.connectors.woocommerce_json import (
    CENT,
    integer,
    is_id,
    mapping,
    money,
    objects,
    text,
)
from tiski.shop.connectors.woocommerce_orders import refund_record
from tiski.shop.models import ShopConnection

logger = logging.getLogger(__name__)

# Idempotency. WooCommerce has no idempotency key, so each refund Tiski asks for carries
# its key in the refund's meta data (the create endpoint stores ``meta_data`` and the
# refund lists return it), and before asking, Tiski lists the order's refunds: one with
# the key is the refund already made, and is returned instead of refunding again. The
# meta data, not the reason, because the reason is shown to the customer and sent to the
# payment provider. The meta is written at the end of the same request, after the
# gateway refunded: a request that dies in between (a PHP fatal error in a later hook)
# leaves a refund without the key, which is why an answer carrying an error is never
# retried and every retry lists the refunds first.
KEY_META = "tiski_refund_key"
# Asking the payment gateway happens inside the request: give it longer than a read.
POST_TIMEOUT = 90.0
# WooCommerce's "no such order": the refunds endpoint's, and the orders endpoint's.
UNKNOWN_ORDER = {"woocommerce_rest_invalid_order_id", "woocommerce_rest_shop_order_invalid_id"}


def refund(connection: ShopConnection, action: RefundRequest, *, sleep: Sleep) -> ActionDone:
    """Refund ``action`` in the shop, or return the refund its key already made."""
    client = _client(connection, sleep)
    order_id = action.order_external_id
    if not is_id(order_id):
        raise ActionNotSupported(
            _("This order has no WooCommerce order id Tiski can use: refund it in WooCommerce.")
        )
    shop = _Shop(client, order_id)
    order = shop.order()
    currency = text(order.get("currency")).upper()
    if currency and currency != action.currency.upper():
        raise ActionFailed(
            _("WooCommerce has order %(id)s in %(shop)s, not in %(ours)s: nothing was refunded.")
            % {"id": order_id, "shop": currency, "ours": action.currency}
        )
    gross = order.get("prices_include_tax") is True
    body: dict[str, Any] = {
        "amount": str(action.amount.quantize(CENT, ROUND_HALF_UP)),
        "reason": action.note,
        "api_refund": True,
        "api_restock": action.restock,
        "meta_data": [{"key": KEY_META, "value": action.key}],
    }
    if action.lines:
        body["line_items"] = refund_lines(action, order)

    last = GaveUp("")
    for attempt in range(ATTEMPTS):
        if attempt:
            sleep(last.wait if last.wait is not None else BACKOFF[attempt - 1])
        made = shop.refund_with_key(action.key)
        if made is not None:
            return _done(made, action, gross)
        outcome = shop.create(body)
        if isinstance(outcome, Answer):
            made = mapping(outcome.body)
            if not is_id(made.get("id")):
                # Something answered 2xx without the refund (a plugin in the way): what
                # the shop now lists says whether it was made.
                made = shop.refund_with_key(action.key) or {}
            if not is_id(made.get("id")):
                raise ActionFailed(
                    _("WooCommerce answered the refund without a refund: check order %(id)s.")
                    % {"id": order_id}
                )
            logger.info("WooCommerce order %s refunded: refund %s", order_id, made["id"])
            return _done(made, action, gross)
        if isinstance(outcome, Refusal):
            raise shop.refused(outcome)
        last = outcome
    made = shop.refund_with_key(action.key)
    if made is not None:
        return _done(made, action, gross)
    raise ActionFailed(
        _(
            "WooCommerce did not answer (%(why)s) after %(attempts)d tries. Try again "
            "later: Tiski first looks for this refund in WooCommerce, so it is not made twice."
        )
        % {"why": last.reason, "attempts": ATTEMPTS}
    )


def refund_lines(action: RefundRequest, order: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The request's lines as WooCommerce's ``line_items``.

    The amount is split over the lines by what their refunded quantities cost (with
    tax, as the customer paid them): all of it when it is no more than that, and each
    line in full when it is more (the rest, shipping say, stays on the refund as a sum
    of no line's). Each line's part is split again by its tax rates, as WooCommerce
    wants the amount without tax and each rate's tax apart.
    """
    items = {
        str(int(item["id"])): item
        for item in objects(order.get("line_items"))
        if is_id(item.get("id"))
    }
    chosen: list[tuple[Mapping[str, Any], int, Decimal]] = []
    for external_id, quantity in action.lines:
        item = items.get(external_id)
        if item is None:
            raise ActionFailed(
                _(
                    "Line %(line)s is not in WooCommerce order %(id)s any more: nothing "
                    "was refunded."
                )
                % {"line": external_id, "id": action.order_external_id}
            )
        ordered = integer(item.get("quantity")) or 0
        cost = _gross(item) * quantity / ordered if ordered > 0 else Decimal("0")
        chosen.append((item, quantity, cost.quantize(CENT, ROUND_HALF_UP)))
    costs = [cost for _item, _quantity, cost in chosen]
    shares = split(min(action.amount, sum(costs, Decimal("0"))), costs)
    lines = []
    for (item, quantity, _cost), share in zip(chosen, shares, strict=True):
        taxes = _taxes(item)
        parts = split(share, [_gross(item) - sum(taxes.values()), *taxes.values()])
        line: dict[str, Any] = {
            "id": int(item["id"]),
            "quantity": quantity,
            # Decimal strings: WooCommerce reads them with is_numeric and
            # wc_format_refund_total, and a string keeps the cents exact.
            "refund_total": str(parts[0]),
        }
        if taxes:
            line["refund_tax"] = [
                {"id": int(rate), "refund_total": str(part)}
                for rate, part in zip(taxes, parts[1:], strict=True)
            ]
        lines.append(line)
    return lines


def split(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``amount`` in cents over ``weights``, by their sizes, adding up to it exactly (the
    cents rounding leaves go to the largest remainders). Weights of nothing get nothing,
    unless all are nothing: then the first gets it all."""
    if not weights:
        return []
    total = sum(weights, Decimal("0"))
    if total <= 0:
        return [amount, *([Decimal("0.00")] * (len(weights) - 1))]
    cents = int((amount / CENT).to_integral_value(ROUND_HALF_UP))
    exact = [Decimal(cents) * weight / total for weight in weights]
    shares = [int(share) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for index in by_remainder[: cents - sum(shares)]:
        shares[index] += 1
    return [Decimal(share) * CENT for share in shares]


def _gross(item: Mapping[str, Any]) -> Decimal:
    return money(item.get("total")) + sum(_taxes(item).values(), Decimal("0"))


def _taxes(item: Mapping[str, Any]) -> dict[str, Decimal]:
    """The line's tax by rate id: ``taxes: [{id, total, subtotal}]``."""
    return {
        str(int(tax["id"])): money(tax.get("total"))
        for tax in objects(item.get("taxes"))
        if is_id(tax.get("id")) and money(tax.get("total")) > 0
    }


def _done(made: Mapping[str, Any], action: RefundRequest, gross: bool) -> ActionDone:
    record = refund_record(made, clock.now(), gross, action.order_external_id)
    # The refund does not say whether its quantities went back to stock; Tiski asked.
    lines = tuple(replace(line, restocked=action.restock) for line in record.lines)
    return ActionDone(external_id=record.external_id, records=[replace(record, lines=lines)])


def _client(connection: ShopConnection, sleep: Sleep) -> ShopClient:
    shop_url = shop_address(connection.shop_url)
    if not shop_url:
        raise ActionNotSupported(_("The shop connection has no shop address."))
    if not api_address(shop_url):
        raise ActionNotSupported(insecure_address(shop_url))
    if not connection.api_key or not connection.api_secret:
        raise ActionNotSupported(
            _(
                "Refunding through WooCommerce needs a REST API key with Read/Write access: "
                "add its consumer key and consumer secret to the shop connection. Until "
                "then, refund in WooCommerce."
            )
        )
    return ShopClient(
        shop_url, connection.api_key, connection.api_secret, sleep=sleep, agent="Tiski (refund)"
    )


class _Shop:
    """One order's side of the shop, its refusals in words an admin can act on."""

    def __init__(self, client: ShopClient, order_id: str) -> None:
        self.client = client
        self.order_id = order_id
        self.path = f"orders/{order_id}"

    def order(self) -> Mapping[str, Any]:
        """The order as WooCommerce has it now (its lines and their taxes)."""
        body, _headers = self._get(self.path, {})
        return mapping(body)

    def refund_with_key(self, key: str) -> Mapping[str, Any] | None:
        """The order's refund that carries ``key``, if one does."""
        try:
            for _page, refunds, _last in pages(self._get, f"{self.path}/refunds"):
                for made in objects(refunds):
                    if is_id(made.get("id")) and any(
                        meta.get("key") == KEY_META and meta.get("value") == key
                        for meta in objects(made.get("meta_data"))
                    ):
                        return made
        except ShopUnusable as exc:
            raise ActionFailed(str(exc)) from exc
        return None

    def create(self, body: dict[str, Any]) -> Answer | Refusal | GaveUp:
        """One try: the caller lists the refunds again before another."""
        try:
            return self.client.call(
                "POST",
                f"{self.path}/refunds",
                body=body,
                attempts=1,
                retry=_not_answered,
                timeout=POST_TIMEOUT,
            )
        except ShopUnusable as exc:
            raise ActionFailed(str(exc)) from exc

    def _get(self, path: str, params: Mapping[str, Any]) -> tuple[Any, Message]:
        try:
            outcome = self.client.call("GET", path, params=params)
        except ShopUnusable as exc:
            raise ActionFailed(str(exc)) from exc
        if isinstance(outcome, Answer):
            return outcome.body, outcome.headers
        if isinstance(outcome, GaveUp):
            raise ActionFailed(
                _(
                    "WooCommerce did not answer (%(why)s) after %(attempts)d tries: nothing "
                    "was refunded. Try again later."
                )
                % {"why": outcome.reason, "attempts": ATTEMPTS}
            )
        raise self.refused(outcome)

    def refused(self, refusal: Refusal) -> Exception:
        status = refusal.status
        logger.info(
            "WooCommerce refused a refund of order %s: HTTP %s %s %s",
            self.order_id,
            status,
            refusal.code,
            refusal.message,
        )
        if status in (401, 403):
            return ActionFailed(
                _(
                    "WooCommerce refused the API key (HTTP %(code)d: %(message)s). Refunds "
                    "need a key with Read/Write access: check the consumer key and secret "
                    "in the shop connection."
                )
                % {"code": status, "message": refusal.message}
            )
        if status == 404 and refusal.code in UNKNOWN_ORDER:
            return ActionNotSupported(
                _(
                    "WooCommerce has no order %(id)s (it may have been deleted there): "
                    "refund it by hand."
                )
                % {"id": self.order_id}
            )
        if status == 404:
            return ActionFailed(api_missing(self.client.url(self.path)))
        if status in (301, 302, 303, 307, 308):
            return ActionFailed(redirected(self.client.url(self.path), refusal))
        if status == 429:
            # Only a wait longer than the client's longest comes back here.
            return ActionFailed(
                _(
                    "WooCommerce limits how fast it is asked and asks to wait %(seconds)d "
                    "seconds: nothing was refunded. Try again then."
                )
                % {"seconds": refusal.wait or 0}
            )
        if status >= 500 and not refusal.code.startswith("woocommerce_"):
            # Not WooCommerce's refusal but WordPress failing (a PHP fatal error in a
            # plugin): the refund may be made all the same.
            return ActionFailed(
                _(
                    "WooCommerce failed while refunding (HTTP %(code)d: %(message)s). Check "
                    "the refunds of order %(id)s in WooCommerce before trying again."
                )
                % {"code": status, "message": refusal.message, "id": self.order_id}
            )
        return ActionFailed(
            _("WooCommerce answered (HTTP %(code)d): %(message)s")
            % {"code": status, "message": refusal.message}
        )


def _not_answered(refusal: Refusal) -> bool:
    """A rate limit, or a 5xx that is not WooCommerce's (or WordPress's) own error: the
    refund was not made, or the listing before the next try shows it was. A 5xx with an
    error code is a refusal (a declined gateway refund) or a failure part-way, and is
    never asked again."""
    return refusal.status == 429 or (refusal.status >= 500 and not refusal.code)
