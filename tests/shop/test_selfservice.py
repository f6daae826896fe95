"""Customers reading their order without an agent: the public status page, its limits,
and the reads behind it (also used by the chat widget, tests/chat/test_order_status.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.conftest import SYSTEM
from tests.shop.conftest import order
from tiski.shop.actions import apply_records
from tiski.shop.models import Order
from tiski.shop.schemas import OrderIn
from tiski.shop.selfservice import (
    FAILURES_PER_ADDRESS,
    FAILURES_PER_EMAIL,
    FAILURES_PER_NUMBER,
    Found,
    customer_orders,
    for_customer,
    lookup_order,
    store_zone,
)
from tiski.stores.actions import update_store
from tiski.stores.models import Store

NOT_FOUND = (
    "We could not find an order with that number and email address. Check both and try again."
)
LIMITED = "Too many attempts. Wait 15 minutes and try again."
TRACKING = "https://www.posti.fi/fi/seuranta#/lahetys/JJFI6412"


def stored(store: Store, **fields: Any) -> Order:
    """An order as the shop sent it, applied the way every order arrives."""
    payload = order(**fields)
    apply_records(store, [OrderIn.model_validate(payload).record()], actor=SYSTEM)
    return Order.objects.get(store=store, external_id=payload["id"])


def shipped(store: Store, **fields: Any) -> Order:
    """Order 10234 of matti@example.fi (customer c-7): one parcel on its way with Posti."""
    return stored(
        store,
        **{
            "fulfillment_status": "fulfilled",
            "status_url": "https://revontuli.example/account/orders/10234",
            "shipping_address": {"address1": "Mannerheimintie 5 B 12", "city": "Helsinki"},
            "phone": "+358401234567",
            "note": "Ovikoodi 1234",
            "fulfillments": [
                {
                    "id": "f-1",
                    "status": "in_transit",
                    "carrier": "Posti",
                    "tracking_number": "JJFI6412",
                    "tracking_url": TRACKING,
                    "estimated_delivery": "2026-12-05",
                    "lines": [{"line_id": "l-1", "quantity": 1}],
                }
            ],
            **fields,
        },
    )


@pytest.fixture(autouse=True)
def _no_counts() -> Iterator[None]:
    """The failure counters live in the cache: every test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def store(store: Store) -> Store:
    """The Finnish store, serving Finnish, Swedish and English."""
    return update_store(store, actor=SYSTEM, languages=["fi", "sv", "en"])


def url(store: Store, lang: str = "") -> str:
    return f"/orders/{store.slug}/status/" + (f"?lang={lang}" if lang else "")


def look_up(
    client: Client,
    store: Store,
    number: str = "10234",
    email: str = "matti@example.fi",
    *,
    address: str = "203.0.113.7",
    lang: str = "en",
) -> Any:
    return client.post(
        url(store),
        {"number": number, "email": email, "lang": lang},
        REMOTE_ADDR=address,
    )


def text(response: Any) -> str:
    return response.content.decode()


def looked_at_orders(queries: CaptureQueriesContext) -> bool:
    return any("shop_order" in query["sql"] for query in queries.captured_queries)


# --- the page -------------------------------------------------------------------------


def test_the_form_is_labelled_and_csrf_protected(client: Client, store: Store) -> None:
    response = client.get(url(store, "en"))
    assert response.status_code == 200
    page = text(response)
    assert "<title>Order status – Revontuli</title>" in page
    assert '<html lang="en">' in page
    assert '<label for="id_number">Order number</label>' in page
    assert '<label for="id_email">Email address</label>' in page
    assert 'autocomplete="email"' in page and 'name="csrfmiddlewaretoken"' in page
    assert f"--brand: {store.brand_color};" in page
    assert 'method="post"' in page and "Cache-Control" in response.headers
    assert "no-store" in response["Cache-Control"]
    # Every language the store serves is offered, in its own name.
    assert 'href="?lang=fi" lang="fi"' in page and ">Suomi<" in page


def test_a_match_shows_the_status_parcels_and_items_and_nothing_private(
    client: Client, store: Store
) -> None:
    shipped(store, discount_total="5.00")
    response = look_up(client, store, "#10234", " Matti@Example.FI ")
    assert response.status_code == 200
    page = text(response)
    assert "<title>Order #10234 – Revontuli</title>" in page
    assert 'class="badge s-on_its_way">On its way<' in page
    assert "Placed on 1 Dec 2026" in page
    assert "Kuoritakki Tunturi" in page and "M / sininen" in page and "Villasukat" in page
    assert "129.90 €" in page and "−5.00 €" in page  # the total, the discount
    assert f'href="{TRACKING}"' in page and "Track the parcel JJFI6412" in page
    assert "Posti" in page and "Expected on 5 Dec 2026" in page
    assert 'href="https://revontuli.example/account/orders/10234"' in page
    # Only what the customer may read of the order.
    for private in ("Mannerheimintie", "Helsinki", "Matti", "+358", "Ovikoodi", "matti@"):
        assert private not in page, private


def test_a_wrong_email_and_an_unknown_number_get_the_same_answer(
    client: Client, store: Store
) -> None:
    shipped(store)
    wrong_email = look_up(client, store, "10234", "liisa@example.fi")
    no_such_number = look_up(client, store, "99999", "matti@example.fi")

    def answer(response: Any) -> str:
        # Only the per-response CSRF token and the echoed inputs may differ.
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text(response))
        return re.sub(r'(id="id_(number|email)" name="\w+" type="\w+" value=)"[^"]*"', r"\1", page)

    assert wrong_email.status_code == no_such_number.status_code == 404
    assert NOT_FOUND in text(wrong_email)
    assert answer(wrong_email) == answer(no_such_number)
    assert dict(wrong_email.headers).keys() == dict(no_such_number.headers).keys()
    # The customer can correct what they typed.
    assert 'value="liisa@example.fi"' in text(wrong_email)


def test_bad_input_is_explained_and_nothing_is_looked_up(client: Client, store: Store) -> None:
    shipped(store)
    with CaptureQueriesContext(connection) as queries:
        response = look_up(client, store, " # ", "not an address")
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert '<a href="#id_number">Enter the order number.</a>' in page
    assert '<a href="#id_email">Enter an email address like name@example.com.</a>' in page
    assert (
        'aria-invalid="true"' in page and 'aria-describedby="id_email-hint id_email-error"' in page
    )
    assert "<title>Error: Order status – Revontuli</title>" in page
    assert not looked_at_orders(queries)
    # Mistakes in the form are not failed lookups.
    for _ in range(FAILURES_PER_ADDRESS + 1):
        look_up(client, store, "", "")
    assert look_up(client, store).status_code == 200


def test_csrf_is_required(store: Store) -> None:
    shipped(store)
    strict = Client(enforce_csrf_checks=True)
    asked = {"number": "10234", "email": "matti@example.fi", "lang": "en"}
    refused = strict.post(url(store), asked)
    assert refused.status_code == 403
    strict.get(url(store))
    token = strict.cookies["csrftoken"].value
    found = strict.post(url(store), {**asked, "csrfmiddlewaretoken": token})
    assert found.status_code == 200 and "On its way" in text(found)


def test_unknown_store_is_404(client: Client, db: None) -> None:
    assert client.get("/orders/no-such-shop/status/").status_code == 404


def test_another_stores_order_is_never_shown(
    client: Client, store: Store, other_store: Store
) -> None:
    stored(other_store, total="55.00")  # the same number and email, in the Polish shop
    response = look_up(client, store)
    assert NOT_FOUND in text(response)
    assert "55.00" not in text(response) and "55,00" not in text(response)
    found = look_up(client, other_store, lang="")
    assert found.status_code == 200 and "55,00" in text(found)
    assert '<html lang="pl">' in text(found)


def test_only_http_links_reach_the_page(client: Client, store: Store) -> None:
    shipped(
        store,
        status_url="javascript:alert(1)",
        fulfillments=[{"id": "f-1", "status": "in_transit", "tracking_url": "javascript:x()"}],
    )
    page = text(look_up(client, store))
    assert "javascript:" not in page
    assert "On its way" in page


# --- rate limits ----------------------------------------------------------------------


def test_failures_from_one_address_are_limited(client: Client, store: Store) -> None:
    shipped(store)
    for n in range(FAILURES_PER_ADDRESS):
        # Different numbers and emails each time: only the address adds up.
        response = look_up(client, store, f"5{n}", f"guess{n}@example.fi", lang="fi")
        assert response.status_code == 404
    with CaptureQueriesContext(connection) as queries:
        limited = look_up(client, store, lang="fi")  # even the right pair
    assert limited.status_code == 429
    assert "Liian monta yritystä" in text(limited) and "Matkalla" not in text(limited)
    assert limited["Content-Language"] == "fi" and limited["Retry-After"] == "900"
    assert not looked_at_orders(queries)
    # Someone else is not affected.
    assert "Matkalla" not in text(look_up(client, store, address="198.51.100.1"))
    assert "On its way" in text(look_up(client, store, address="198.51.100.1"))


def test_failures_for_one_email_are_limited(client: Client, store: Store) -> None:
    shipped(store)
    shipped(store, number="10300", id="o-2", email="liisa@example.fi", customer_id="c-8")
    for n in range(FAILURES_PER_EMAIL):
        assert look_up(client, store, f"7{n}", address=f"192.0.2.{n}").status_code == 404
    limited = look_up(client, store, address="192.0.2.200")
    assert limited.status_code == 429
    assert LIMITED in text(limited)
    # Written differently, the address is still the same one.
    assert (
        look_up(client, store, email="MATTI@example.fi ", address="192.0.2.201").status_code == 429
    )
    other = look_up(client, store, "10300", "liisa@example.fi", address="192.0.2.202")
    assert other.status_code == 200 and "#10300" in text(other)


def test_failures_for_one_number_are_limited(client: Client, store: Store) -> None:
    shipped(store)
    shipped(store, number="10300", id="o-2")
    for n in range(FAILURES_PER_NUMBER):
        response = look_up(client, store, "10234", f"guess{n}@example.fi", address=f"192.0.2.{n}")
        assert response.status_code == 404
    assert look_up(client, store, "#10234", address="192.0.2.200").status_code == 429
    # The right owner's other orders, and other stores' counters, are not affected.
    assert look_up(client, store, "10300", address="192.0.2.201").status_code == 200


def test_successful_lookups_are_never_limited(client: Client, store: Store) -> None:
    shipped(store)
    for _ in range(FAILURES_PER_ADDRESS * 2):
        response = look_up(client, store)
        assert response.status_code == 200 and "On its way" in text(response)


# --- languages ------------------------------------------------------------------------


def test_the_language_comes_from_the_address(client: Client, store: Store) -> None:
    shipped(store)
    response = client.post(
        url(store, "fi"),
        {"number": "10234", "email": "matti@example.fi"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = text(response)
    assert '<html lang="fi">' in page and response["Content-Language"] == "fi"
    assert ">Matkalla<" in page and "129,90 €" in page and "5.12.2026" in page


def test_the_language_comes_from_the_browser_among_the_stores(client: Client, store: Store) -> None:
    swedish = client.get(url(store), HTTP_ACCEPT_LANGUAGE="pl;q=1, sv-SE;q=0.8, en;q=0.5")
    assert '<html lang="sv">' in text(swedish) and swedish["Content-Language"] == "sv"
    assert "Accept-Language" in swedish["Vary"]
    # Polish is not one of the store's languages, nor is ?lang=pl: the store's own.
    polish = client.get(url(store, "pl"), HTTP_ACCEPT_LANGUAGE="pl")
    assert '<html lang="fi">' in text(polish)
    # The form carries the language on, whatever the next request's header says.
    assert 'name="lang" value="fi"' in text(polish)


# --- the reads ------------------------------------------------------------------------


def test_lookup_outcomes(store: Store) -> None:
    shipped(store)
    found = lookup_order(store, "10234", "matti@example.fi", client="a")
    assert found.found is Found.ORDER and found.order is not None
    assert lookup_order(store, "10234", "x@example.fi", client="a").found is Found.NOTHING
    for n in range(FAILURES_PER_ADDRESS):
        lookup_order(store, f"1{n}", f"y{n}@example.fi", client="b")
    assert lookup_order(store, "10234", "matti@example.fi", client="b").found is Found.LIMITED


def test_a_customers_recent_orders_by_their_shop_id(store: Store, other_store: Store) -> None:
    for n in range(7):
        stored(store, number=f"1{n}", id=f"o-{n}", placed_at=f"2026-11-0{n + 1}T10:00:00+02:00")
    stored(store, number="900", id="o-liisa", email="liisa@example.fi", customer_id="c-8")
    stored(other_store, number="77", id="o-pl")  # customer c-7 of another store
    recent = customer_orders(store, "c-7")
    assert [o.number for o in recent] == ["16", "15", "14", "13", "12"]
    assert [o.number for o in customer_orders(store, "c-8")] == ["900"]
    # A guest order with the customer's email is the contact's, but the shop never said
    # it was this customer's: the number-and-email lookup finds it, this does not.
    stored(store, number="901", id="o-guest", customer=None, placed_at="2026-11-30T10:00:00Z")
    assert Order.objects.get(number="901").contact == recent[0].contact
    assert customer_orders(store, "c-7")[0].number == "16"
    assert customer_orders(store, "c-404") == []
    assert [o.number for o in customer_orders(other_store, "c-7")] == ["77"]


def test_what_the_customer_reads(store: Store) -> None:
    shipped(
        store,
        fulfillment_status="partial",
        fulfillments=[
            {
                "id": "f-1",
                "status": "delivered",
                "carrier": "Posti",
                "tracking_url": TRACKING,
                "estimated_delivery": "2026-12-03",
                "delivered_at": "2026-12-02T23:30:00Z",  # 3 Dec in Helsinki
                "lines": [{"line_id": "l-1", "quantity": 1}],
            }
        ],
    )
    [mine] = customer_orders(store, "c-7")
    with translation.override("fi"):
        seen = for_customer(mine, store_zone(store))
    assert (seen.number, seen.status, seen.status_label) == (
        "#10234",
        "partly_delivered",
        "Osittain toimitettu",
    )
    [parcel] = seen.parcels
    assert (parcel.delivered, parcel.expected, parcel.tracking_url) == ("3.12.2026", "", TRACKING)
    assert parcel.items[0].title == "Kuoritakki Tunturi"
    assert seen.placed == "1.12.2026" and seen.total == "129,90 €" and seen.discount == ""
