"""Products, their variants and stock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Q

from tiski.core.html import web_url
from tiski.core.rows import insert_rows, update_rows
from tiski.shop.actions.common import Outcome, is_older, newest
from tiski.shop.models import Product, ProductVariant
from tiski.shop.records import InventoryRecord, ProductRecord, VariantRecord
from tiski.stores.models import Store

_PRODUCT_FIELDS = ["title", "handle", "category", "url", "image_url", "active", "source_updated_at"]
_VARIANT_FIELDS = ["product", "title", "sku", "inventory_item_id", "price", "source_updated_at"]


def apply_products(store: Store, items: Sequence[tuple[int, ProductRecord]]) -> dict[int, Outcome]:
    if not items:
        return {}
    outcomes: dict[int, Outcome] = {}
    winners, losers = newest(items, lambda r: r.external_id, lambda r: r.updated_at)
    outcomes.update(dict.fromkeys(losers, Outcome.STALE))
    stored = {
        p.external_id: p
        for p in Product.objects.select_for_update()
        .filter(store=store, external_id__in=[r.external_id for _p, r in winners])
        .only("id", "external_id", "source_updated_at")
    }
    new: list[Product] = []
    changed: list[Product] = []
    applied: list[tuple[Product, ProductRecord]] = []
    for position, record in winners:
        known = stored.get(record.external_id)
        if known is not None and is_older(record.updated_at, known.source_updated_at):
            outcomes[position] = Outcome.STALE
            continue
        product = Product(
            store=store,
            external_id=record.external_id[:100],
            title=record.title[:255],
            handle=record.handle[:255],
            category=record.category[:255],
            url=web_url(record.url)[:500],
            image_url=web_url(record.image_url)[:500],
            active=record.active,
            source_updated_at=record.updated_at,
        )
        if known is not None:
            product.pk = known.pk
            product._state.adding = False
            changed.append(product)
        else:
            new.append(product)
        applied.append((product, record))
        outcomes[position] = Outcome.APPLIED
    insert_rows(new)
    update_rows(changed, _PRODUCT_FIELDS)
    _store_variants(store, applied)
    return outcomes


def _store_variants(store: Store, applied: list[tuple[Product, ProductRecord]]) -> None:
    """Each product's variants as the record has them; stock is left to its own clock
    unless the record says it (a product webhook carries the stock too)."""
    # A record that does not list its variants keeps the stored ones.
    applied = [(product, record) for product, record in applied if record.variants is not None]
    if not applied:
        return
    wanted = [variant.external_id for _p, record in applied for variant in record.variants or ()]
    existing = {
        v.external_id: v
        for v in ProductVariant.objects.filter(
            Q(store=store)
            & (Q(external_id__in=wanted) | Q(product__in=[p.pk for p, _r in applied]))
        ).only("id", "external_id", "product_id", "stock", "stock_updated_at")
    }
    new: list[ProductVariant] = []
    changed: list[ProductVariant] = []
    kept: set[int] = set()
    for product, record in applied:
        for variant in record.variants or ():
            row = _variant_row(store, product, variant, variant.updated_at or record.updated_at)
            known = existing.get(variant.external_id)
            if known is None:
                new.append(row)
                continue
            _keep_newer_stock(row, known)
            kept.add(known.pk)
            changed.append(row)
    insert_rows(new)
    update_rows(changed, [*_VARIANT_FIELDS, "stock", "stock_updated_at"])
    # Variants the shop no longer has (order lines keep their own copy of what was sold).
    gone = {v.pk for v in existing.values() if v.product_id in {p.pk for p, _r in applied}} - kept
    ProductVariant.objects.filter(pk__in=gone).delete()


def _variant_row(
    store: Store, product: Product, variant: VariantRecord, stamp: datetime | None
) -> ProductVariant:
    return ProductVariant(
        product=product,
        store=store,
        external_id=variant.external_id[:100],
        title=variant.title[:255],
        sku=variant.sku[:100],
        inventory_item_id=variant.inventory_item_id[:100],
        price=variant.price,
        stock=variant.stock,
        # A stock the record does not know has no clock: a later level applies.
        stock_updated_at=stamp if variant.stock is not None else None,
        source_updated_at=stamp,
    )


def _keep_newer_stock(row: ProductVariant, known: ProductVariant) -> None:
    """``row`` replaces ``known``: it keeps the stored stock unless it says a newer one."""
    row.pk = known.pk
    row._state.adding = False
    if row.stock is None or is_older(row.stock_updated_at, known.stock_updated_at):
        row.stock, row.stock_updated_at = known.stock, known.stock_updated_at


def apply_variants(store: Store, items: Sequence[tuple[int, VariantRecord]]) -> dict[int, Outcome]:
    """Variants sent on their own, each under the product it names (MISSING while that
    product is not stored)."""
    if not items:
        return {}
    outcomes: dict[int, Outcome] = {}
    winners, losers = newest(items, lambda r: r.external_id, lambda r: r.updated_at)
    outcomes.update(dict.fromkeys(losers, Outcome.STALE))
    products = {
        p.external_id: p
        for p in Product.objects.filter(
            store=store, external_id__in={r.product_external_id for _p, r in winners}
        ).only("id", "external_id")
    }
    existing = {
        v.external_id: v
        for v in ProductVariant.objects.select_for_update()
        .filter(store=store, external_id__in=[r.external_id for _p, r in winners])
        .only("id", "external_id", "stock", "stock_updated_at", "source_updated_at")
    }
    new: list[ProductVariant] = []
    changed: list[ProductVariant] = []
    for position, record in winners:
        product = products.get(record.product_external_id)
        if product is None:
            outcomes[position] = Outcome.MISSING
            continue
        known = existing.get(record.external_id)
        if known is not None and is_older(record.updated_at, known.source_updated_at):
            outcomes[position] = Outcome.STALE
            continue
        row = _variant_row(store, product, record, record.updated_at)
        if known is None:
            new.append(row)
        else:
            _keep_newer_stock(row, known)
            changed.append(row)
        outcomes[position] = Outcome.APPLIED
    insert_rows(new)
    update_rows(changed, [*_VARIANT_FIELDS, "stock", "stock_updated_at"])
    return outcomes


def apply_inventory(
    store: Store, items: Sequence[tuple[int, InventoryRecord]]
) -> dict[int, Outcome]:
    """Stock levels; a level for a variant Tiski does not know is MISSING."""
    if not items:
        return {}
    by_variant = {r.variant_external_id for _p, r in items if r.variant_external_id}
    by_item = {r.inventory_item_id for _p, r in items if r.inventory_item_id}
    by_sku = {r.sku for _p, r in items if r.sku}
    found = ProductVariant.objects.filter(store=store).filter(
        Q(external_id__in=by_variant) | Q(inventory_item_id__in=by_item) | Q(sku__in=by_sku)
    )
    variants = list(found.only("id", "external_id", "inventory_item_id", "sku", "stock_updated_at"))
    outcomes: dict[int, Outcome] = {}
    changed: dict[int, ProductVariant] = {}
    for position, record in items:
        matches = [
            v
            for v in variants
            if (record.variant_external_id and v.external_id == record.variant_external_id)
            or (record.inventory_item_id and v.inventory_item_id == record.inventory_item_id)
            or (record.sku and not record.variant_external_id and v.sku == record.sku)
        ]
        if not matches:
            outcomes[position] = Outcome.MISSING
            continue
        outcomes[position] = Outcome.STALE
        for variant in matches:
            if is_older(record.updated_at, variant.stock_updated_at):
                continue
            variant.stock = record.stock
            variant.stock_updated_at = record.updated_at or variant.stock_updated_at
            changed[variant.pk] = variant
            outcomes[position] = Outcome.APPLIED
    update_rows(list(changed.values()), ["stock", "stock_updated_at"])
    return outcomes


def delete_products(store: Store, external_ids: list[str]) -> None:
    """A product the shop deleted stays for the orders that sold it, inactive."""
    Product.objects.filter(store=store, external_id__in=external_ids).update(active=False)
