"""Pieces the API routers share."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Schema

from tiski.core.apiauth import Caller
from tiski.core.errors import ActionError, NotFound
from tiski.stores.models import Store


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    code: str = "invalid"


def store_for_write(who: Caller, slug: str | None) -> Store:
    """The store a new object goes to: named by slug, or the caller's only store."""
    stores = Store.objects.filter(pk__in=who.store_ids)
    if slug:
        store = stores.filter(slug=slug).first()
        if store is None:
            raise NotFound(_("No such store."))
        return store
    if len(who.store_ids) != 1:
        raise ActionError(_("Name the store: you can reach more than one."), field="store")
    return stores.get()
