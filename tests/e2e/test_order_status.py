"""Order status without an agent, in a real browser: the widget's "Order status" on the
demo shop's page, and the store's public status page in Finnish, on a phone and a desk.

Set TISKI_SCREENSHOTS to a folder to keep a picture of each screen."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.shops import FI, WAIT, Shop, open_widget
from tests.shop.test_selfservice import TRACKING, shipped
from tiski.chat.visitors import identity_hmac
from tiski.conversations.models import Message

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1400, "height": 900}


def snap(page: Any, name: str, *, full_page: bool = False) -> None:
    folder = os.environ.get("TISKI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def in_finnish(text: str) -> str:
    with translation.override("fi"):
        return gettext(text)


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_a_customer_looks_up_an_order_in_the_widget(
    browser: Any, shop: Shop, viewport: dict[str, int]
) -> None:
    shipped(shop.store)
    context = browser.new_context(viewport=viewport, locale="fi-FI", has_touch=viewport == PHONE)
    try:
        page = context.new_page()
        chat = open_widget(page, shop)
        button = chat.get_by_role("button", name=FI["order_status"])
        expect(button).to_have_attribute("aria-expanded", "false")
        snap(page, f"widget-chat-{viewport['width']}")
        button.click()
        region = chat.get_by_role("region", name=FI["order_status"])
        expect(region).to_be_visible()
        expect(chat.locator(".comp")).to_be_hidden()
        number = region.get_by_label(FI["order_number"])
        expect(number).to_be_focused()
        number.fill("10234")
        # Keyboard only: tab to the email field, type, Enter sends.
        page.keyboard.press("Tab")
        page.keyboard.type("matti@example.fi")
        page.keyboard.press("Enter")
        card = region.locator(".card")
        expect(card.locator(".pill")).to_have_text("Matkalla", timeout=WAIT)
        expect(card).to_contain_text("#10234")
        expect(card).to_contain_text("Tilattu 1.12.2026 · Yhteensä 129,90 €")
        expect(card).to_contain_text("Arvioitu toimitus 5.12.2026")
        track = card.get_by_role("link", name=re.compile(FI["order_track"]))
        expect(track).to_have_attribute("href", TRACKING)
        expect(track).to_have_attribute("rel", re.compile("noopener"))
        snap(page, f"widget-found-{viewport['width']}")

        # A wrong address: the neutral answer, and the form to try again.
        region.get_by_label(FI["order_email"]).fill("liisa@example.fi")
        region.get_by_role("button", name=FI["order_find"]).click()
        expect(region.locator(".oe")).to_have_text(FI["order_not_found"], timeout=WAIT)
        snap(page, f"widget-not-found-{viewport['width']}")

        # Escape goes back to the chat, the focus to the button.
        page.keyboard.press("Escape")
        expect(region).to_be_hidden()
        expect(chat.locator(".comp")).to_be_visible()
        expect(button).to_be_focused()
        expect(button).to_have_attribute("aria-expanded", "false")
        snap(page, f"widget-chat-{viewport['width']}")
        assert Message.objects.count() == 0  # looking is not writing
    finally:
        context.close()


def test_a_signed_in_customer_sees_their_orders_at_once(browser: Any, shop: Shop) -> None:
    shipped(shop.store)
    identity = {
        "customer_id": "c-7",
        "email": "matti@example.fi",
        "name": "Matti Meikäläinen",
        "hmac": identity_hmac(shop.store, "c-7"),
    }
    context = browser.new_context(viewport=PHONE, locale="fi-FI", has_touch=True)
    try:
        page = context.new_page()
        page.add_init_script(f"window.TiskiIdentity = {json.dumps(identity)};")
        chat = open_widget(page, shop)
        chat.get_by_role("button", name=FI["order_status"]).click()
        region = chat.get_by_role("region", name=FI["order_status"])
        expect(region).to_contain_text(FI["order_mine"], timeout=WAIT)
        expect(region.locator(".card .pill")).to_have_text("Matkalla")
        expect(region.get_by_label(FI["order_number"])).to_have_count(0)  # no form to fill
        snap(page, "widget-signed-in-390")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_the_public_page_in_finnish(browser: Any, shop: Shop, viewport: dict[str, int]) -> None:
    shipped(shop.store)
    # The browser asks for Finnish: the page speaks it without ?lang.
    context = browser.new_context(viewport=viewport, locale="fi-FI")
    try:
        page = context.new_page()
        page.goto(shop.url.replace("/demo/shop/", "/orders/") + "status/")
        expect(page.locator("html")).to_have_attribute("lang", "fi")
        expect(page).to_have_title(re.compile(r"Tunturikettu Outdoor$"))
        snap(page, f"page-form-{viewport['width']}", full_page=True)

        # Nothing typed: an error summary that leads to the fields.
        page.get_by_role("button", name=in_finnish("Show the order status")).click()
        summary = page.get_by_role("alert")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_have_count(2)
        snap(page, f"page-errors-{viewport['width']}", full_page=True)

        page.get_by_label(in_finnish("Order number")).fill("10234")
        page.get_by_label(in_finnish("Email address")).fill("matti@example.fi")
        page.get_by_role("button", name=in_finnish("Show the order status")).click()
        expect(page.locator(".badge").first).to_have_text("Matkalla")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            in_finnish("Order %(number)s") % {"number": "#10234"}
        )
        expect(page.locator("main")).to_contain_text("129,90 €")
        expect(page.locator("main")).to_contain_text("5.12.2026")
        track = page.get_by_role("link", name=re.compile(in_finnish("Track the parcel")))
        expect(track).to_have_attribute("href", TRACKING)
        snap(page, f"page-found-{viewport['width']}", full_page=True)
        # Nothing on it runs wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()
