"""WooCommerce products, their variations, and customers as Tiski's records.

A simple product is its own only variant (WooCommerce's order lines name it by the
product's id, with variation_id 0); a variable product's variants are its variations.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from tiski.core.html import web_url
from tiski.shop.connectors.woocommerce_json import (
    as_object,
    gmt,
    html_text,
    is_id,
    mapping,
    money,
    objects,
    person_name,
    record_id,
    text,
)
from tiski.shop.records import (
    CustomerRecord,
    Deleted,
    ProductRecord,
    Record,
    VariantRecord,
)

# customer.created/updated fire for every WordPress user who registers or edits their
# profile; the shop's staff are not its customers.
STAFF_ROLES = {"administrator", "shop_manager", "editor", "author", "contributor"}


def product_records(
    payload: Any, variations: list[Mapping[str, Any]] | None = None
) -> list[Record]:
    """A product with its variants. ``variations``: a variable product's variations as
    /products/<id>/variations lists them (a backfill reads them; a webhook has only ids)."""
    product = as_object(payload, _("product"))
    external_id = record_id(product, _("product"))
    kind = text(product.get("type"))
    if kind == "variation":
        return _variation_stock(product)
    if kind == "variable":
        if variations is not None:
            variants = tuple(
                _variant(item) for item in objects(variations) if is_id(item.get("id"))
            )
        else:
            # The parent names its variations by id only; each variation comes in a
            # webhook of its own. None keeps the stored variants as they are.
            variants = None
    else:
        # A simple product is its own only variant: WooCommerce's order lines name it
        # with variation_id 0, and the product's id is what they carry.
        variants = (_variant(product, title=""),)
    categories = [text(c.get("name")) for c in objects(product.get("categories"))]
    images = [text(i.get("src")) for i in objects(product.get("images"))]
    return [
        ProductRecord(
            external_id=external_id,
            title=html_text(product.get("name")) or external_id,
            handle=text(product.get("slug")),
            category=html.unescape(next((c for c in categories if c), "")),
            url=web_url(product.get("permalink")),
            image_url=web_url(next((i for i in images if i), "")),
            active=text(product.get("status")) == "publish",
            variants=variants,
            updated_at=gmt(product.get("date_modified_gmt")),
        )
    ]


def customer_records(payload: Any) -> list[Record]:
    customer = as_object(payload, _("customer"))
    external_id = record_id(customer, _("customer"))
    if text(customer.get("role")) in STAFF_ROLES:
        return []
    billing = mapping(customer.get("billing"))
    name = person_name(customer) or person_name(billing)
    return [
        CustomerRecord(
            external_id=external_id,
            email=text(customer.get("email")) or text(billing.get("email")),
            name=name,
            phone=text(billing.get("phone")),
            updated_at=gmt(customer.get("date_modified_gmt")),
        )
    ]


def deleted_records(kind: str, payload: Any) -> list[Record]:
    """A deletion carries only ``{"id": ...}`` (build_payload sends nothing else)."""
    item = as_object(payload, kind)
    return [Deleted(kind, record_id(item, kind))]


def _variation_stock(variation: Mapping[str, Any]) -> list[Record]:
    """A variation sent on its own (a product webhook of type "variation"): the variant,
    under the product its ``parent_id`` names."""
    parent = variation.get("parent_id")
    if not is_id(parent):
        return []
    variant = _variant(variation)
    return [
        replace(
            variant,
            product_external_id=str(parent),
            updated_at=gmt(variation.get("date_modified_gmt")),
        )
    ]


def _variant(item: Mapping[str, Any], title: str | None = None) -> VariantRecord:
    options = [text(a.get("option")) for a in objects(item.get("attributes"))]
    return VariantRecord(
        external_id=record_id(item, _("variation")),
        title=" / ".join(o for o in options if o) if title is None else title,
        sku=text(item.get("sku")),
        price=money(item.get("price")),
        stock=_stock(item),
    )


def _stock(item: Mapping[str, Any]) -> int | None:
    # manage_stock is False when the shop does not count it (stock_quantity is then
    # meaningless), "parent" or True when it does.
    if not item.get("manage_stock"):
        return None
    quantity = item.get("stock_quantity")
    return quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else None
