"""``apply_records``: a connector's records, of any kind, stored in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from tiski.core.actors import Actor
from tiski.shop.actions.carts import apply_carts
from tiski.shop.actions.catalogue import (
    apply_inventory,
    apply_products,
    apply_variants,
    delete_products,
)
from tiski.shop.actions.common import Outcome
from tiski.shop.actions.orders import apply_fulfillments, apply_orders, apply_refunds
from tiski.shop.actions.people import contacts_for
from tiski.shop.models import Order
from tiski.shop.records import (
    CartRecord,
    CustomerRecord,
    Deleted,
    FulfillmentRecord,
    InventoryRecord,
    OrderRecord,
    ProductRecord,
    Record,
    RefundRecord,
    VariantRecord,
)
from tiski.stores.models import Store

__all__ = ["Outcome", "apply_records"]


@transaction.atomic
def apply_records(store: Store, records: Sequence[Record], *, actor: Actor) -> list[Outcome]:
    """Store ``records`` for ``store``; the outcome of each, in order.

    Idempotent, and ordered by each record's own ``updated_at``: applying the same
    records again changes nothing, and a version older than the stored one is STALE and
    changes nothing either. Kinds are applied in the order they depend on each other
    (customers and products before the orders that name them, orders before shipments
    and refunds sent on their own), each kind in a fixed number of statements.
    """
    outcomes: dict[int, Outcome] = {}
    by_kind: dict[type, list[tuple[int, Any]]] = {}
    for position, record in enumerate(records):
        by_kind.setdefault(type(record), []).append((position, record))

    customers = by_kind.get(CustomerRecord, [])
    contacts_for(store, [record for _p, record in customers], actor=actor)
    outcomes.update(dict.fromkeys((p for p, _r in customers), Outcome.APPLIED))
    outcomes.update(apply_products(store, by_kind.get(ProductRecord, [])))
    outcomes.update(apply_variants(store, by_kind.get(VariantRecord, [])))
    outcomes.update(apply_inventory(store, by_kind.get(InventoryRecord, [])))
    outcomes.update(apply_orders(store, by_kind.get(OrderRecord, []), actor=actor))
    outcomes.update(apply_fulfillments(store, by_kind.get(FulfillmentRecord, [])))
    outcomes.update(apply_refunds(store, by_kind.get(RefundRecord, [])))
    outcomes.update(apply_carts(store, by_kind.get(CartRecord, []), actor=actor))
    deletions = by_kind.get(Deleted, [])
    _delete(store, [record for _p, record in deletions])
    outcomes.update(dict.fromkeys((p for p, _r in deletions), Outcome.APPLIED))
    return [outcomes[position] for position in range(len(records))]


def _delete(store: Store, deletions: list[Deleted]) -> None:
    orders = [d.external_id for d in deletions if d.kind == "order"]
    if orders:
        Order.objects.filter(store=store, external_id__in=orders).delete()
    products = [d.external_id for d in deletions if d.kind == "product"]
    if products:
        delete_products(store, products)
    # A deleted customer keeps their contact: conversations with them are the store's
    # records too. Erasure is an agent's decision (and a separate, audited action).
