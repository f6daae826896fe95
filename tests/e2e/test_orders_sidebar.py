"""The contact's orders beside a conversation, in a real browser: read them, put a
tracking link into the reply, open an order a message mentions."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, SYSTEM, inbound, make_agent, make_store
from tests.shop.conftest import order
from tiski.agents.models import Role
from tiski.shop.actions import apply_records
from tiski.shop.models import Order
from tiski.shop.schemas import OrderIn

pytestmark = pytest.mark.browser

TRACKING = "https://www.posti.fi/fi/seuranta#/lahetys/JJFI6412"


def shop_order(store: Any, **fields: Any) -> Order:
    payload = order(**fields)
    apply_records(store, [OrderIn.model_validate(payload).record()], actor=SYSTEM)
    return Order.objects.get(store=store, external_id=payload["id"])


@pytest.fixture
def desk(live_desk: str) -> dict[str, Any]:
    store = make_store("revontuli", "RVT")
    agent = make_agent("aino@revontuli.example", "Aino Asiakaspalvelija", store, Role.OWNER)
    conversation = inbound(
        store, "Missä tilaukseni 10234 on? Ystäväni tilaus #20001 tuli jo.", subject="Paketti"
    ).conversation
    shop_order(
        store,
        admin_url="https://revontuli.example/admin/orders/o-1",
        fulfillment_status="fulfilled",
        fulfillments=[
            {
                "id": "f-1",
                "status": "in_transit",
                "carrier": "Posti",
                "tracking_number": "JJFI6412",
                "tracking_url": TRACKING,
                "estimated_delivery": "2026-12-05",
            }
        ],
    )
    shop_order(
        store,
        number="10100",
        id="o-0",
        placed_at="2026-10-01T12:00:00+03:00",
        fulfillment_status="fulfilled",
        refunds=[{"id": "r-1", "amount": "25.00", "refunded_at": "2026-10-10T10:00:00Z"}],
        fulfillments=[
            {
                "id": "f-0",
                "status": "delivered",
                "carrier": "Matkahuolto",
                "tracking_number": "MH123456789FI",
                "tracking_url": "https://www.matkahuolto.fi/seuranta?t=MH123456789FI",
                "delivered_at": "2026-10-03T15:00:00+03:00",
            }
        ],
    )
    friend = shop_order(
        store,
        number="20001",
        id="o-friend",
        email="liisa@example.fi",
        customer_id="c-8",
        customer={"id": "c-8", "email": "liisa@example.fi", "name": "Liisa Laine"},
    )
    return {"url": live_desk, "agent": agent, "conversation": conversation, "friend": friend}


def log_in_and_open(page: Any, desk: dict[str, Any]) -> None:
    page.goto(desk["url"] + "/")
    page.fill("input[name=email]", desk["agent"].email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/inbox/**")
    page.goto(f"{desk['url']}/conversations/{desk['conversation'].pk}/")
    page.locator("#composer-text").wait_for()


def test_the_orders_show_and_a_tracking_link_goes_into_the_reply(
    page: Any, desk: dict[str, Any]
) -> None:
    log_in_and_open(page, desk)
    orders = page.get_by_role("region", name="Orders")
    expect(orders.get_by_role("heading", name="Orders")).to_be_visible()
    newest, older = orders.locator("details.order").all()
    expect(newest.locator(".order-number")).to_have_text("#10234")
    expect(newest.locator(".badge")).to_have_text("On its way")
    expect(newest.get_by_role("link", name="JJFI6412")).to_have_attribute("href", TRACKING)
    expect(newest.get_by_role("link", name="Open in the shop admin")).to_be_visible()
    # The newest is open, the older one folded until clicked.
    expect(older.locator(".order-body")).to_be_hidden()
    older.locator("summary").click()
    expect(older.get_by_text("Matkahuolto")).to_be_visible()
    expect(older.locator(".badge")).to_have_text("Delivered")

    page.fill("#composer-text", "Hei Matti! Paketti on matkalla:")
    newest.get_by_role("button", name="Insert tracking link").click()
    # In the conversation's language (the store's Finnish), whatever the agent reads.
    expect(page.locator("#composer-text")).to_have_value(
        f"Hei Matti! Paketti on matkalla: Seuranta: Posti JJFI6412 {TRACKING}"
    )
    assert page.evaluate("document.activeElement.id") == "composer-text"

    # At the cursor: the summary goes where the agent put it, on lines of its own.
    page.fill("#composer-text", "Hei Matti!\n\nTerveisin Aino")
    page.evaluate("() => document.querySelector('#composer-text').setSelectionRange(12, 12)")
    newest.get_by_role("button", name="Insert summary").click()
    expect(page.locator("#composer-text")).to_have_value(
        "Hei Matti!\n\n"
        "Tilaus #10234, tehty 1.12.2026: matkalla\n"
        "- 1 × Kuoritakki Tunturi (M / sininen)\n"
        "- 2 × Villasukat\n"
        f"Seuranta: Posti JJFI6412 {TRACKING}\n"
        "Arvioitu toimitus: 5.12.2026\n"
        "Terveisin Aino"
    )


def test_an_order_number_in_a_message_opens_its_order(page: Any, desk: dict[str, Any]) -> None:
    log_in_and_open(page, desk)
    orders = page.get_by_role("region", name="Orders")
    timeline = page.locator("#timeline")
    # The contact's own order, folded first: the link opens it.
    orders.locator("details.order").first.locator("summary").click()
    expect(orders.locator("details.order").first.locator(".order-body")).to_be_hidden()
    timeline.get_by_role("link", name="10234", exact=True).click()
    expect(orders.locator("details.order").first.locator(".order-body")).to_be_visible()
    # Another customer's order, not in the sidebar: fetched, opened, and said so.
    timeline.get_by_role("link", name="#20001").click()
    friend = page.locator(f"#order-{desk['friend'].pk}")
    expect(friend.locator(".order-body")).to_be_visible()
    expect(friend).to_contain_text("Another customer’s order: Liisa Laine")
    expect(friend.get_by_role("button", name="Insert summary")).to_have_count(0)
    timeline.get_by_role("link", name="#20001").click()  # once is enough
    expect(page.locator(f"#order-{desk['friend'].pk}")).to_have_count(1)


def test_on_a_phone_the_orders_follow_the_conversation(browser: Any, desk: dict[str, Any]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    phone = context.new_page()
    try:
        log_in_and_open(phone, desk)
        orders = phone.get_by_role("region", name="Orders")
        button = orders.get_by_role("button", name="Insert tracking link").first
        button.scroll_into_view_if_needed()
        expect(button).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width}px"
        button.click()
        expect(phone.locator("#composer-text")).to_have_value(
            f"Seuranta: Posti JJFI6412 {TRACKING}"
        )
    finally:
        context.close()
