"""Carts and checkouts the customers started."""

from __future__ import annotations

from collections.abc import Sequence

from tiski.core.actors import Actor
from tiski.core.html import web_url
from tiski.core.rows import insert_rows, update_rows
from tiski.shop.actions.common import Outcome, is_older, newest
from tiski.shop.actions.people import contacts_for
from tiski.shop.models import Cart
from tiski.shop.records import CartRecord, CustomerRecord
from tiski.stores.models import Store

_CART_FIELDS = [
    *("contact", "email", "currency", "total", "lines", "recovery_url"),
    *("started_at", "completed_at", "source_updated_at"),
]


def apply_carts(
    store: Store, items: Sequence[tuple[int, CartRecord]], *, actor: Actor
) -> dict[int, Outcome]:
    if not items:
        return {}
    outcomes: dict[int, Outcome] = {}
    winners, losers = newest(items, lambda r: r.external_id, lambda r: r.updated_at)
    outcomes.update(dict.fromkeys(losers, Outcome.STALE))
    stored = {
        c.external_id: c
        for c in Cart.objects.select_for_update()
        .filter(store=store, external_id__in=[r.external_id for _p, r in winners])
        .only("id", "external_id", "source_updated_at", "contact_id")
    }
    fresh = [
        (position, record)
        for position, record in winners
        if not (
            record.external_id in stored
            and is_older(record.updated_at, stored[record.external_id].source_updated_at)
        )
    ]
    outcomes.update(
        {position: Outcome.STALE for position, _r in winners if (position, _r) not in fresh}
    )
    customers = [
        record.customer or (CustomerRecord(email=record.email) if record.email else None)
        for _p, record in fresh
    ]
    contacts = contacts_for(store, customers, actor=actor)
    new: list[Cart] = []
    changed: list[Cart] = []
    for (position, record), contact in zip(fresh, contacts, strict=True):
        cart = Cart(
            store=store,
            external_id=record.external_id[:100],
            contact=contact,
            email=record.email.strip().lower()[:255],
            currency=record.currency.upper()[:3],
            total=record.total,
            lines=list(record.lines),
            recovery_url=web_url(record.recovery_url)[:1000],
            started_at=record.started_at,
            completed_at=record.completed_at,
            source_updated_at=record.updated_at,
        )
        known = stored.get(record.external_id)
        if known is not None:
            cart.pk = known.pk
            cart._state.adding = False
            if contact is None:
                cart.contact_id = known.contact_id
            changed.append(cart)
        else:
            new.append(cart)
        outcomes[position] = Outcome.APPLIED
    insert_rows(new)
    update_rows(changed, _CART_FIELDS)
    return outcomes
