"""A customer the shop signed in (through the chat widget's HMAC identity) goes to the
return portal without typing the order number and email: the widget's link lists their
own orders, and no one else's."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client

from tests.chat.test_chat_settings import session
from tests.conftest import SYSTEM
from tests.returns.test_request import delivered
from tests.shop.test_selfservice import stored
from tiski.chat.visitors import identity_hmac
from tiski.returns.portal_access import (
    CUSTOMER_SALT,
    ORDER_TOKEN_AGE,
    customer_from_token,
    customer_token,
)
from tiski.stores.actions import update_store
from tiski.stores.models import Store


@pytest.fixture
def store(store: Store) -> Store:
    """Matti (c-7) has orders 10234 and 10235; Liisa (c-8) has 10300; a guest order 10400
    has Matti's email but no customer id from the shop."""
    update_store(store, actor=SYSTEM, languages=["fi", "en"])
    for number, order_id, extra in (
        ("10234", "o-1", {}),
        ("10235", "o-2", {"placed_at": "2026-12-02T10:00:00+02:00"}),
        ("10300", "o-3", {"email": "liisa@example.fi", "customer_id": "c-8"}),
        ("10400", "o-4", {"customer": None}),
    ):
        stored(
            store,
            number=number,
            id=order_id,
            fulfillment_status="fulfilled",
            fulfillments=delivered(3),
            **extra,
        )
    return store


def returns_link(store: Store, customer_id: str | None) -> str:
    body: dict[str, object] = {"languages": ["fi"]}
    if customer_id is not None:
        body["identity"] = {
            "customer_id": customer_id,
            "email": "liisa@example.fi",  # not signed: it must not matter
            "hmac": identity_hmac(store, customer_id),
        }
    config = session(store, **body)["store"]
    return str(config["returns_url"])  # type: ignore[index]


def listed(html: str) -> list[str]:
    return re.findall(r"<strong>Order #(\d+)</strong>", html)


def test_the_widget_link_lists_the_signed_in_customers_own_orders(
    client: Client, store: Store
) -> None:
    url = urlsplit(returns_link(store, "c-7"))
    query = parse_qs(url.query)
    assert query["lang"] == ["fi"] and customer_from_token(store, query["c"][0]) == "c-7"
    page = client.get(url.path, {"c": query["c"][0], "lang": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    # Newest first; Liisa's order and the guest order are not Matti's to list.
    assert listed(html) == ["10235", "10234"]
    assert "Your orders" in html
    # The lookup form is still there, for an order made without signing in.
    assert 'name="email"' in html and "Another order" in html
    # Each order goes straight to choosing the items.
    first = re.search(r'href="(/returns/[^"]+/items/\?[^"]+)"', html)
    assert first is not None
    items = client.get(first.group(1).replace("&amp;", "&"))
    assert items.status_code == 200 and "Return items from order #10235" in items.content.decode()


def test_an_anonymous_visitor_gets_the_plain_portal(client: Client, store: Store) -> None:
    url = urlsplit(returns_link(store, None))
    assert parse_qs(url.query) == {"lang": ["fi"]}
    html = client.get(url.path, {"lang": "en"}).content.decode()
    assert listed(html) == [] and "Your orders" not in html


def test_a_customer_with_no_orders_is_told_and_can_still_look_one_up(
    client: Client, store: Store
) -> None:
    page = client.get(
        f"/returns/{store.slug}/", {"c": customer_token(store, "c-404"), "lang": "en"}
    )
    html = page.content.decode()
    assert page.status_code == 200 and listed(html) == []
    assert "We found no orders placed with your account" in html and 'name="number"' in html


def old_token(store: Store, customer_id: str) -> str:
    signer = signing.TimestampSigner(salt=CUSTOMER_SALT)
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - ORDER_TOKEN_AGE - 1)  # type: ignore[method-assign]
    return signer.sign_object({"s": store.pk, "c": customer_id})


@pytest.mark.parametrize("kind", ["forged", "expired", "another store", "order token", "junk"])
def test_a_token_that_does_not_hold_lists_nothing(
    client: Client, store: Store, other_store: Store, kind: str
) -> None:
    token = {
        "forged": customer_token(store, "c-7")[:-2] + "xx",
        "expired": old_token(store, "c-7"),
        "another store": customer_token(other_store, "c-7"),
        "order token": signing.TimestampSigner(salt="tiski.returns.portal.order").sign("1.1"),
        "junk": "<script>",
    }[kind]
    assert customer_from_token(store, token) is None
    page = client.get(f"/returns/{store.slug}/", {"c": token, "lang": "en"})
    html = page.content.decode()
    assert page.status_code == 200
    assert listed(html) == [] and "Your orders" not in html
    assert "<script>" not in html


def test_the_list_survives_a_failed_lookup_and_a_language_change(
    client: Client, store: Store
) -> None:
    token = customer_token(store, "c-7")
    page = client.post(
        f"/returns/{store.slug}/?c={token}",
        {"number": "99999", "email": "matti@example.fi", "lang": "en"},
    )
    assert page.status_code == 404
    html = page.content.decode()
    assert listed(html) == ["10235", "10234"]
    # The language links keep the customer's token.
    [finnish] = re.findall(r'<a href="([^"]+)" lang="fi" hreflang="fi"', html)
    assert parse_qs(urlsplit(finnish.replace("&amp;", "&")).query) == {"c": [token], "lang": ["fi"]}
