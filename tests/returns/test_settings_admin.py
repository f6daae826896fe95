"""A store's return terms in Settings: checked by the action's rules, saved through it."""

from __future__ import annotations

import json

from tests.conftest import SYSTEM
from tests.mail.test_admin import staff
from tests.returns.test_request import delivered, item
from tests.shop.test_selfservice import stored
from tiski.returns.actions import request_return
from tiski.returns.models import ReturnSettings
from tiski.stores.models import Store

URL = "/admin/returns/returnsettings/add/"


def form(store: Store, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "store": store.pk,
        "shop_window_days": 30,
        "restocking_fee_percent": "0",
        "store_credit_bonus_percent": "0",
        "category_exclusions": json.dumps({"Hygienia": "sealed_hygiene"}),
        **dict.fromkeys(("blocked_customers", "blocked_products", "blocked_orders"), "[]"),
        **dict.fromkeys(("allowed_customers", "allowed_products", "allowed_orders"), "[]"),
    }
    values.update(changes)
    return values


def test_terms_are_saved_and_bad_ones_refused_at_the_field(store: Store) -> None:
    client = staff(store)
    refused = client.post(URL, form(store, category_exclusions=json.dumps({"Hygienia": "smelly"})))
    assert refused.status_code == 200 and "sealed_hygiene" in refused.content.decode()
    assert not ReturnSettings.objects.exists()
    refused = client.post(URL, form(store, shop_window_days=400))
    assert refused.status_code == 200 and not ReturnSettings.objects.exists()
    saved = client.post(URL, form(store))
    assert saved.status_code == 302
    terms = ReturnSettings.objects.get(store=store)
    assert (terms.shop_window_days, terms.category_exclusions) == (
        30,
        {"Hygienia": "sealed_hygiene"},
    )


def test_a_return_in_the_admin_shows_its_reasons_in_words(store: Store) -> None:
    order = stored(store, language="fi", fulfillment_status="fulfilled", fulfillments=delivered(3))
    case = request_return(order, items=[item(order, "l-1", reason="too_small")], actor=SYSTEM)
    page = staff(store).get(f"/admin/returns/return/{case.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Too small" in html and ">too_small<" not in html
