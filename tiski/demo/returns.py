"""The demo shops' return terms, as their help centers describe them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tiski.core.actors import Actor
from tiski.returns.actions.settings import save_return_settings
from tiski.returns.models import ReturnSettings
from tiski.stores.models import Store

TERMS: dict[str, dict[str, Any]] = {
    # "30 päivän palautusoikeus", free returns; store credit with a bonus on offer.
    "tunturikettu": {
        "shop_window_days": 30,
        "offers_store_credit": True,
        "store_credit_bonus_percent": Decimal("10"),
    },
    # The law's 14 days; the customer pays the return postage.
    "ziarno-i-lisc": {"shop_window_days": 14, "customer_pays_return_shipping": True},
}


def seed_return_settings() -> None:
    for slug, terms in TERMS.items():
        store = Store.objects.filter(slug=slug).first()
        if store is not None and not ReturnSettings.objects.filter(store=store).exists():
            save_return_settings(store, actor=Actor.system("demo"), **terms)
