"""The return portal in a real browser: a Finnish customer on a phone sends a pair of
socks back and downloads the label.

Set TISKI_SCREENSHOTS to a folder to keep a picture of each screen."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.shops import WAIT, Shop
from tests.e2e.test_order_status import PHONE, snap
from tests.returns.test_portal import delivered_order
from tiski.demo.content import STORES
from tiski.returns.models import Return

pytestmark = pytest.mark.browser


def fi(text: str) -> str:
    with translation.override("fi"):
        return gettext(text)


def test_a_finnish_customer_returns_an_item_on_a_phone(browser: Any, shop: Shop) -> None:
    delivered_order(shop.store)
    desk = shop.url.split("/demo/")[0]
    context = browser.new_context(
        viewport=PHONE, locale="fi-FI", has_touch=True, accept_downloads=True
    )
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        # The browser asks for Finnish: the portal speaks it without ?lang.
        page.goto(f"{desk}/returns/{shop.store.slug}/")
        expect(page.locator("html")).to_have_attribute("lang", "fi")
        snap(page, "return-find-390", full_page=True)

        # Nothing typed: the error summary takes the focus and leads to the fields.
        page.get_by_role("button", name=fi("Find the order")).click()
        summary = page.get_by_role("alert")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_have_count(2)

        page.get_by_label(fi("Order number")).fill("10234")
        page.get_by_label(fi("Email address")).fill("matti@example.fi")
        page.get_by_role("button", name=fi("Find the order")).click()

        heading = fi("Return items from order %(number)s") % {"number": "#10234"}
        expect(page.get_by_role("heading", level=1)).to_have_text(heading, timeout=WAIT)
        # A refund to the way they paid is chosen for them; nothing else is.
        expect(
            page.get_by_role(
                "radio", name=re.compile(re.escape(fi("Refund to the original payment method")))
            )
        ).to_be_checked()
        socks = page.locator(".item", has_text="Villasukat")
        socks.get_by_label(fi("How many to return")).select_option("1")
        socks.get_by_label(fi("Reason")).select_option(label=fi("Too large"))
        snap(page, "return-items-390", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.get_by_role("button", name=fi("Send the return request")).click()
        expect(page.locator("#return-number")).to_have_text("R1001", timeout=WAIT)
        expect(page.get_by_role("heading", level=1)).to_be_focused()
        expect(page.locator("main")).to_contain_text(fi("Drop the parcel at a parcel point."))
        snap(page, "return-done-390", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        with page.expect_download(timeout=WAIT) as download_info:
            page.get_by_role("link", name=fi("Download the return label (PDF)")).click()
        download = download_info.value
        assert download.suggested_filename == "return-R1001.pdf"
        assert Path(download.path()).read_bytes().startswith(b"%PDF")

        case = Return.objects.get()
        assert case.language == "fi"
        assert list(case.lines.values_list("order_line__title", "quantity", "reason")) == [
            ("Villasukat", 1, "too_large")
        ]
    finally:
        context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def test_a_signed_in_customer_picks_the_order_from_their_own(browser: Any, shop: Shop) -> None:
    """Signed in at the demo shop (its backend signs the customer id), the widget's
    *Return items* opens the portal with the customer's own orders listed: no number or
    email to type."""
    matti = next(c for c in shop_customers(shop) if c.key == "matti")
    delivered_order(shop.store, customer_id=matti.shop_customer_id, email=matti.email)
    delivered_order(shop.store, id="o-9", number="10999", customer_id="cus_other")
    context = browser.new_context(viewport=PHONE, locale="fi-FI", has_touch=True)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        with page.expect_response(re.compile(r"/chat/session$"), timeout=WAIT) as session:
            page.goto(f"{shop.url}?customer=matti")
        assert session.value.json()["identified"] is True
        expect(page.locator("[data-demo-accounts]")).to_contain_text(matti.name)
        chat = page.locator("tiski-chat")
        chat.locator(".launch").click(timeout=WAIT)
        with context.expect_page(timeout=WAIT) as opened:
            chat.get_by_role("link", name=fi("Return items")).click()
        portal = opened.value
        portal.wait_for_load_state()
        expect(portal.get_by_role("heading", name=fi("Your orders"))).to_be_visible()
        orders = portal.locator(".orders li")
        expect(orders).to_have_count(1)  # not the other customer's 10999
        expect(orders).to_contain_text("#10234")
        snap(portal, "return-own-orders-390", full_page=True)
        assert portal.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        orders.get_by_role("link").click()
        heading = fi("Return items from order %(number)s") % {"number": "#10234"}
        expect(portal.get_by_role("heading", level=1)).to_have_text(heading, timeout=WAIT)
        assert errors == []
    finally:
        context.close()


def shop_customers(shop: Shop) -> tuple[Any, ...]:
    return next(s for s in STORES if s.slug == shop.store.slug).customers
