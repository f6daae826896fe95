"""A Shopify shop's past, read through the Admin GraphQL API: customers, then products,
then orders, a page at a time.

Each page is handed over with the state that names the next one
(``{"phase": "orders", "cursor": "..."}``), so a backfill that stops resumes there. A
page's nested lists (a product's variants, an order's lines and the lines of its
shipments and refunds) are read to the end before the page is handed over: a record
missing some of its lines would delete them from what is stored.

Page sizes keep each query's requested cost well under Shopify's limit of 1,000 points
a query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from tiski.shop.connectors.base import BackfillPage
from tiski.shop.connectors.shopify_fields import (
    RESTOCKED,
    address,
    amount,
    count,
    day,
    financial_status,
    fulfillment_status,
    full_name,
    ident,
    obj,
    objs,
    refund_note,
    shipment_status,
    shop_money,
    tags,
    text,
    when,
)
from tiski.shop.connectors.shopify_graphql import AdminClient
from tiski.shop.records import (
    CustomerRecord,
    FulfillmentRecord,
    LineRecord,
    OrderRecord,
    ProductRecord,
    Record,
    RefundLineRecord,
    RefundRecord,
    VariantRecord,
)

PHASES = ("customers", "products", "orders")
DONE = "done"
# An order's shipments and refunds are lists without pages: a full first list means
# there may be more, read again in one query this long.
NESTED = 3
NESTED_MAX = 25

_PAGE = "pageInfo { hasNextPage endCursor }"

CUSTOMERS = f"""
query TiskiCustomers($after: String) {{
  customers(first: 100, after: $after, sortKey: ID) {{
    {_PAGE}
    nodes {{ id email firstName lastName phone locale updatedAt }}
  }}
}}"""

_VARIANT = """
fragment TiskiVariant on ProductVariant {
  id title sku price inventoryQuantity inventoryItem { id tracked }
}"""

PRODUCTS = f"""
query TiskiProducts($after: String) {{
  products(first: 10, after: $after, sortKey: ID) {{
    {_PAGE}
    nodes {{
      id title handle productType status onlineStoreUrl updatedAt
      featuredImage {{ url }}
      variants(first: 40) {{ {_PAGE} nodes {{ ...TiskiVariant }} }}
    }}
  }}
}}{_VARIANT}"""

MORE_VARIANTS = f"""
query TiskiVariants($id: ID!, $after: String) {{
  node(id: $id) {{
    ... on Product {{
      variants(first: 100, after: $after) {{ {_PAGE} nodes {{ ...TiskiVariant }} }}
    }}
  }}
}}{_VARIANT}"""

_MONEY = "shopMoney { amount }"
# GraphQL refuses a document with a fragment it does not use: each query takes its own.
_FRAGMENTS = {
    "TiskiAddress": """
fragment TiskiAddress on MailingAddress {
  firstName lastName name company address1 address2 city province provinceCode zip
  country countryCodeV2 phone
}""",
    "TiskiLine": f"""
fragment TiskiLine on LineItem {{
  id title variantTitle sku quantity
  originalUnitPriceSet {{ {_MONEY} }} totalDiscountSet {{ {_MONEY} }}
  product {{ id }} variant {{ id }}
}}""",
    "TiskiShipment": f"""
fragment TiskiShipment on Fulfillment {{
  id status displayStatus createdAt updatedAt deliveredAt estimatedDeliveryAt
  trackingInfo(first: 1) {{ company number url }}
  fulfillmentLineItems(first: 10) {{ {_PAGE} nodes {{ ...TiskiShippedLine }} }}
}}""",
    "TiskiShippedLine": """
fragment TiskiShippedLine on FulfillmentLineItem { quantity lineItem { id } }""",
    "TiskiRefund": f"""
fragment TiskiRefund on Refund {{
  id createdAt note totalRefundedSet {{ {_MONEY} }}
  refundLineItems(first: 5) {{ {_PAGE} nodes {{ ...TiskiRefundLine }} }}
}}""",
    "TiskiRefundLine": f"""
fragment TiskiRefundLine on RefundLineItem {{
  quantity restockType subtotalSet {{ {_MONEY} }} lineItem {{ id }}
}}""",
}


def _with_fragments(document: str) -> str:
    """``document`` and the fragments it spreads, and the ones those spread."""
    used: list[str] = []
    pending = [document]
    while pending:
        text_ = pending.pop()
        for name, fragment in _FRAGMENTS.items():
            if name not in used and re.search(rf"\.\.\.{name}\b", text_):
                used.append(name)
                pending.append(fragment)
    return document + "".join(_FRAGMENTS[name] for name in used)


ORDERS = _with_fragments(
    f"""
query TiskiOrders($after: String) {{
  orders(first: 3, after: $after, sortKey: ID) {{
    {_PAGE}
    nodes {{
      id name number email phone customerLocale currencyCode
      displayFinancialStatus displayFulfillmentStatus
      createdAt processedAt updatedAt cancelledAt cancelReason closedAt statusPageUrl
      note tags
      totalPriceSet {{ {_MONEY} }} subtotalPriceSet {{ {_MONEY} }}
      totalDiscountsSet {{ {_MONEY} }} totalShippingPriceSet {{ {_MONEY} }}
      totalTaxSet {{ {_MONEY} }}
      customer {{ id email firstName lastName phone locale }}
      shippingAddress {{ ...TiskiAddress }} billingAddress {{ ...TiskiAddress }}
      lineItems(first: 10) {{ {_PAGE} nodes {{ ...TiskiLine }} }}
      fulfillments(first: {NESTED}) {{ ...TiskiShipment }}
      refunds(first: {NESTED}) {{ ...TiskiRefund }}
    }}
  }}
}}"""
)


def _node_query(name: str, type_: str, selection: str) -> str:
    # GraphQL also refuses a variable the document does not use.
    after = ", $after: String" if "$after" in selection else ""
    return _with_fragments(
        f"""
query {name}($id: ID!{after}) {{
  node(id: $id) {{ ... on {type_} {{ {selection} }} }}
}}"""
    )


MORE_LINES = _node_query(
    "TiskiLines",
    "Order",
    f"lineItems(first: 100, after: $after) {{ {_PAGE} nodes {{ ...TiskiLine }} }}",
)
MORE_SHIPPED = _node_query(
    "TiskiShippedLines",
    "Fulfillment",
    "fulfillmentLineItems(first: 100, after: $after) "
    f"{{ {_PAGE} nodes {{ ...TiskiShippedLine }} }}",
)
MORE_REFUNDED = _node_query(
    "TiskiRefundLines",
    "Refund",
    f"refundLineItems(first: 100, after: $after) {{ {_PAGE} nodes {{ ...TiskiRefundLine }} }}",
)
ALL_SHIPMENTS = _node_query(
    "TiskiShipments", "Order", f"fulfillments(first: {NESTED_MAX}) {{ ...TiskiShipment }}"
)
ALL_REFUNDS = _node_query(
    "TiskiRefunds", "Order", f"refunds(first: {NESTED_MAX}) {{ ...TiskiRefund }}"
)

AdminUrl = Callable[[str, str], str]


def pages(
    client: AdminClient, state: dict[str, Any], admin_url: AdminUrl
) -> Iterator[BackfillPage]:
    """The shop's pages from ``state`` on (empty or unknown: from the beginning)."""
    phase = state.get("phase") if isinstance(state, dict) else None
    if phase == DONE:
        return
    start = PHASES.index(phase) if phase in PHASES else 0
    cursor = state.get("cursor") if phase in PHASES else None
    for position, phase in enumerate(PHASES[start:], start):
        after = cursor if isinstance(cursor, str) and cursor else None
        following = PHASES[position + 1] if position + 1 < len(PHASES) else DONE
        while True:
            found = client.query(_QUERIES[phase], {"after": after})
            page = obj(found.get(phase))
            info = obj(page.get("pageInfo"))
            nodes = objs(page.get("nodes"))
            records = _READERS[phase](client, nodes, admin_url)
            next_cursor = text(info.get("endCursor"))
            # A page that says "more" without saying where is the last one.
            more = bool(info.get("hasNextPage")) and bool(next_cursor) and next_cursor != after
            if more:
                yield BackfillPage(records, {"phase": phase, "cursor": next_cursor})
                after = next_cursor
                continue
            yield BackfillPage(records, {"phase": following, "cursor": None})
            break
        cursor = None


def all_nodes(
    client: AdminClient, first: Any, query: str, owner_id: str, key: str
) -> list[dict[str, Any]]:
    """Every node of a nested connection, ``first`` being its first page."""
    connection = obj(first)
    nodes = objs(connection.get("nodes"))
    info = obj(connection.get("pageInfo"))
    after = text(info.get("endCursor"))
    while info.get("hasNextPage") and after:
        page = obj(obj(client.query(query, {"id": owner_id, "after": after}).get("node")).get(key))
        nodes.extend(objs(page.get("nodes")))
        info = obj(page.get("pageInfo"))
        following = text(info.get("endCursor"))
        after = following if following != after else ""
    return nodes


def _customers(
    client: AdminClient, nodes: list[dict[str, Any]], admin_url: AdminUrl
) -> list[Record]:
    return [
        CustomerRecord(
            external_id=ident(node.get("id")),
            email=text(node.get("email")),
            name=full_name(node),
            phone=text(node.get("phone")),
            language=text(node.get("locale"))[:8],
            updated_at=when(node.get("updatedAt")),
        )
        for node in nodes
        if ident(node.get("id"))
    ]


def _products(
    client: AdminClient, nodes: list[dict[str, Any]], admin_url: AdminUrl
) -> list[Record]:
    found: list[Record] = []
    for node in nodes:
        product_id = text(node.get("id"))
        if not ident(product_id):
            continue
        variants = all_nodes(client, node.get("variants"), MORE_VARIANTS, product_id, "variants")
        found.append(
            ProductRecord(
                external_id=ident(product_id),
                title=text(node.get("title")) or "?",
                handle=text(node.get("handle")),
                category=text(node.get("productType")),
                url=text(node.get("onlineStoreUrl")),
                image_url=text(obj(node.get("featuredImage")).get("url")),
                active=text(node.get("status")).upper() in ("ACTIVE", ""),
                variants=tuple(
                    _variant(variant) for variant in variants if ident(variant.get("id"))
                ),
                updated_at=when(node.get("updatedAt")),
            )
        )
    return found


def _variant(node: dict[str, Any]) -> VariantRecord:
    item = obj(node.get("inventoryItem"))
    quantity = node.get("inventoryQuantity")
    return VariantRecord(
        external_id=ident(node.get("id")),
        title=text(node.get("title")),
        sku=text(node.get("sku")),
        price=amount(node.get("price"), "price"),
        stock=quantity if isinstance(quantity, int) and item.get("tracked", True) else None,
        inventory_item_id=ident(item.get("id")),
    )


def _orders(client: AdminClient, nodes: list[dict[str, Any]], admin_url: AdminUrl) -> list[Record]:
    found: list[Record] = []
    for node in nodes:
        order_id = text(node.get("id"))
        placed_at = when(node.get("processedAt")) or when(node.get("createdAt"))
        if ident(order_id) and placed_at is not None:
            found.append(_order(client, node, order_id, placed_at, admin_url))
    return found


def _order(
    client: AdminClient,
    node: dict[str, Any],
    order_id: str,
    placed_at: datetime,
    admin_url: AdminUrl,
) -> OrderRecord:
    lines = all_nodes(client, node.get("lineItems"), MORE_LINES, order_id, "lineItems")
    shipments = _nested(client, node, order_id, "fulfillments", ALL_SHIPMENTS)
    refunds = _nested(client, node, order_id, "refunds", ALL_REFUNDS)
    customer = obj(node.get("customer"))
    name = text(node.get("name"))
    external_id = ident(order_id)
    number = ident(node.get("number")) or name.lstrip("#") or external_id
    return OrderRecord(
        external_id=external_id,
        number=number,
        name=name[:60],
        placed_at=placed_at,
        currency=text(node.get("currencyCode")) or "XXX",
        total=shop_money(node.get("totalPriceSet"), "totalPriceSet"),
        subtotal=shop_money(node.get("subtotalPriceSet"), "subtotalPriceSet"),
        discount_total=shop_money(node.get("totalDiscountsSet"), "totalDiscountsSet"),
        shipping_total=shop_money(node.get("totalShippingPriceSet"), "totalShippingPriceSet"),
        tax_total=shop_money(node.get("totalTaxSet"), "totalTaxSet"),
        financial_status=financial_status(node.get("displayFinancialStatus")),
        fulfillment_status=fulfillment_status(node.get("displayFulfillmentStatus")),
        customer=(
            CustomerRecord(
                external_id=ident(customer.get("id")),
                email=text(customer.get("email")),
                name=full_name(customer),
                phone=text(customer.get("phone")),
                language=text(customer.get("locale") or node.get("customerLocale"))[:8],
            )
            if ident(customer.get("id"))
            else None
        ),
        email=text(node.get("email")),
        phone=text(node.get("phone")),
        language=text(node.get("customerLocale"))[:8],
        cancelled_at=when(node.get("cancelledAt")),
        # GraphQL's CUSTOMER, FRAUD, ... are REST's customer, fraud, ...
        cancel_reason=text(node.get("cancelReason")).lower()[:100],
        closed_at=when(node.get("closedAt")),
        status_url=text(node.get("statusPageUrl")),
        admin_url=admin_url(external_id, number),
        shipping_address=address(node.get("shippingAddress")),
        billing_address=address(node.get("billingAddress")),
        note=text(node.get("note")),
        tags=tags(node.get("tags")),
        lines=tuple(_line(line) for line in lines if ident(line.get("id"))),
        fulfillments=tuple(
            _shipment(client, shipment, external_id)
            for shipment in shipments
            if ident(shipment.get("id"))
        ),
        refunds=tuple(
            _refund(client, refund, external_id, placed_at)
            for refund in refunds
            if ident(refund.get("id"))
        ),
        updated_at=when(node.get("updatedAt")),
    )


def _nested(
    client: AdminClient, node: dict[str, Any], order_id: str, key: str, query: str
) -> list[dict[str, Any]]:
    found = objs(node.get(key))
    if len(found) < NESTED:
        return found
    return objs(obj(client.query(query, {"id": order_id}).get("node")).get(key)) or found


def _line(node: dict[str, Any]) -> LineRecord:
    quantity = count(node.get("quantity"))
    unit_price = shop_money(node.get("originalUnitPriceSet"), "originalUnitPriceSet")
    discount = shop_money(node.get("totalDiscountSet"), "totalDiscountSet")
    return LineRecord(
        external_id=ident(node.get("id")),
        title=text(node.get("title")) or "?",
        quantity=quantity,
        unit_price=unit_price,
        total=unit_price * quantity - discount,
        discount_total=discount,
        variant_title=text(node.get("variantTitle")),
        sku=text(node.get("sku")),
        product_external_id=ident(obj(node.get("product")).get("id")),
        variant_external_id=ident(obj(node.get("variant")).get("id")),
    )


def _shipment(client: AdminClient, node: dict[str, Any], order_id: str) -> FulfillmentRecord:
    shipment_id = text(node.get("id"))
    lines = all_nodes(
        client, node.get("fulfillmentLineItems"), MORE_SHIPPED, shipment_id, "fulfillmentLineItems"
    )
    tracking = next(iter(objs(node.get("trackingInfo"))), {})
    return FulfillmentRecord(
        external_id=ident(shipment_id),
        status=shipment_status(node.get("status"), node.get("displayStatus")),
        carrier=text(tracking.get("company")),
        tracking_number=text(tracking.get("number")),
        tracking_url=text(tracking.get("url")),
        shipped_at=when(node.get("createdAt")),
        estimated_delivery=day(node.get("estimatedDeliveryAt")),
        delivered_at=when(node.get("deliveredAt")),
        lines=tuple(
            (ident(obj(line.get("lineItem")).get("id")), count(line.get("quantity")))
            for line in lines
            if ident(obj(line.get("lineItem")).get("id"))
        ),
        updated_at=when(node.get("updatedAt")),
        order_external_id=order_id,
    )


def _refund(
    client: AdminClient, node: dict[str, Any], order_id: str, placed_at: datetime
) -> RefundRecord:
    refund_id = text(node.get("id"))
    lines = all_nodes(
        client, node.get("refundLineItems"), MORE_REFUNDED, refund_id, "refundLineItems"
    )
    refunded = tuple(
        RefundLineRecord(
            line_external_id=ident(obj(line.get("lineItem")).get("id")),
            quantity=count(line.get("quantity")),
            amount=shop_money(line.get("subtotalSet"), "subtotalSet"),
            restocked=text(line.get("restockType")).lower() in RESTOCKED,
        )
        for line in lines
        if ident(obj(line.get("lineItem")).get("id"))
    )
    total = node.get("totalRefundedSet")
    return RefundRecord(
        external_id=ident(refund_id),
        amount=(
            shop_money(total, "totalRefundedSet")
            if total
            else sum((line.amount for line in refunded), Decimal("0"))
        ),
        # Never missing in practice; the order's own time is the earliest it can be.
        refunded_at=when(node.get("createdAt")) or placed_at,
        note=refund_note(node.get("note")),
        lines=refunded,
        order_external_id=order_id,
    )


_QUERIES = {"customers": CUSTOMERS, "products": PRODUCTS, "orders": ORDERS}
_READERS: dict[str, Callable[[AdminClient, list[dict[str, Any]], AdminUrl], list[Record]]] = {
    "customers": _customers,
    "products": _products,
    "orders": _orders,
}
