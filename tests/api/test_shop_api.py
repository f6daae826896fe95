"""The shop part of the REST API: records in, orders out, each store on its own."""

from __future__ import annotations

from collections.abc import Callable

from tests.api.conftest import Api
from tests.shop.conftest import order
from tiski.shop.models import Order, Product
from tiski.stores.models import ApiScope, Store


def test_records_in_and_orders_out(api: Api) -> None:
    sent = api.post(
        "/shop/records",
        {
            "products": [
                {
                    "id": "p-1",
                    "title": "Villasukat",
                    "variants": [{"id": "v-1", "sku": "VS-42", "price": "12.50", "stock": 4}],
                }
            ],
            "orders": [order(), order("10235", id="o-2", email="liisa@example.fi")],
            "inventory": [{"sku": "VS-42", "stock": 3}],
            "refunds": [
                {
                    "id": "r-1",
                    "order_id": "o-1",
                    "amount": "12.50",
                    "refunded_at": "2026-12-02T10:00Z",
                }
            ],
        },
    )
    assert sent.status_code == 200
    assert sent.json() == {
        "applied": 5,
        "stale": 0,
        "missing": 0,
        "outcomes": {
            "products": ["applied"],
            "inventory": ["applied"],
            "orders": ["applied", "applied"],
            "refunds": ["applied"],
        },
    }
    again = api.post("/shop/records", {"orders": [order(updated_at="2026-11-30T10:00:00Z")]})
    assert again.json()["outcomes"] == {"orders": ["stale"]}

    found = api.get("/shop/orders", email="MATTI@example.fi").json()["items"]
    assert [(o["number"], o["refunded_total"]) for o in found] == [("10234", "12.50")]
    assert [line["id"] for line in found[0]["lines"]] == ["l-1", "l-2"]
    by_number = api.get("/shop/orders", number="#10235").json()["items"]
    assert [o["external_id"] for o in by_number] == ["o-2"]
    one = api.get(f"/shop/orders/{found[0]['id']}").json()
    assert one["store"] == "revontuli" and one["currency"] == "EUR"
    page = api.get("/shop/orders", limit=1).json()
    assert len(page["items"]) == 1 and page["next_cursor"] is not None


def test_scopes_and_stores_are_kept_apart(
    store: Store, other_store: Store, make_api: Callable[..., Api]
) -> None:
    reader = make_api(store, [ApiScope.SHOP_READ])
    assert reader.post("/shop/records", {"orders": [order()]}).status_code == 403
    writer = make_api(store, [ApiScope.SHOP_WRITE])
    assert writer.get("/shop/orders").status_code == 403
    assert writer.post("/shop/records", {"orders": [order()]}).status_code == 200
    stranger = make_api(other_store)
    # Another store's key neither sees this store's orders nor writes into it.
    assert stranger.get("/shop/orders").json()["items"] == []
    mine = Order.objects.get()
    assert stranger.get(f"/shop/orders/{mine.pk}").status_code == 404
    assert stranger.post("/shop/records", {"store": "revontuli", "orders": []}).status_code == 404


def test_bad_records_are_refused_whole(api: Api) -> None:
    missing_currency = {k: v for k, v in order().items() if k != "currency"}
    answer = api.post("/shop/records", {"orders": [order(id="ok"), missing_currency]})
    assert answer.status_code == 422
    too_many = [{"id": f"p-{i}", "title": "x"} for i in range(300)]
    answer = api.post("/shop/records", {"products": too_many, "customers": too_many})
    assert answer.status_code == 400 and "500" in answer.json()["detail"]
    assert not Order.objects.exists() and not Product.objects.exists()
