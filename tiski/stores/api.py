from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from tiski.core.apiauth import caller
from tiski.stores.models import Store

router = Router(tags=["stores"])


class StoreOut(Schema):
    id: int
    slug: str
    name: str
    default_language: str
    languages: list[str]
    timezone: str
    country: str
    reference_prefix: str


@router.get("", response=list[StoreOut], summary="Stores the caller can reach")
def list_stores(request: HttpRequest) -> list[Store]:
    return list(Store.objects.filter(pk__in=caller(request).store_ids).order_by("name"))
