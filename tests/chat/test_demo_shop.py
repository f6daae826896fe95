"""The demo shop's page: the widget embedded as a shop would, and a demo sign-in that
signs the customer id the way a shop's backend does."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.conftest import make_store
from tiski.chat.visitors import identity_hmac, verify_identity
from tiski.demo.content import STORES
from tiski.stores.models import Store

DEMO = STORES[0]


@pytest.fixture
def demo_store(db: None) -> Store:
    return make_store(DEMO.slug, DEMO.reference_prefix)


def identity(html: str) -> dict[str, str] | None:
    found = re.search(r'<script id="demo-identity" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1)) if found else None


def test_the_page_offers_customers_with_orders_to_sign_in_as(
    client: Client, demo_store: Store
) -> None:
    html = client.get(f"/demo/shop/{DEMO.slug}/").content.decode()
    offered = re.findall(r'href="\?customer=(\w+)"', html)
    assert offered and len(offered) <= 3
    customers = {c.key: c for c in DEMO.customers}
    assert all(customers[key].shop_customer_id for key in offered)
    assert identity(html) is None  # nobody is signed in by default


def test_signing_in_passes_an_identity_the_desk_accepts(client: Client, demo_store: Store) -> None:
    key = re.findall(
        r'href="\?customer=(\w+)"', client.get(f"/demo/shop/{DEMO.slug}/").content.decode()
    )[0]
    html = client.get(f"/demo/shop/{DEMO.slug}/", {"customer": key}).content.decode()
    given = identity(html)
    assert given is not None
    customer = next(c for c in DEMO.customers if c.key == key)
    assert given["customer_id"] == customer.shop_customer_id
    assert given["hmac"] == identity_hmac(demo_store, customer.shop_customer_id)
    assert verify_identity(demo_store, given).customer_id == customer.shop_customer_id
    assert customer.name in html


@pytest.mark.parametrize("key", ["nobody", "<script>", ""])
def test_an_unknown_customer_signs_nobody_in(client: Client, demo_store: Store, key: str) -> None:
    html = client.get(f"/demo/shop/{DEMO.slug}/", {"customer": key}).content.decode()
    assert identity(html) is None and "<script>alert" not in html
