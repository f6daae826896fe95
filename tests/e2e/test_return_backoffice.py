"""The back office of a return in a real browser: an agent opens the return's
conversation, approves it from the keyboard, meets a step another agent already took,
inspects the parcel and settles the refund; every email the customer got is in the
timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.conftest import PASSWORD, SYSTEM, make_agent, make_store
from tests.returns.test_request import delivered, item
from tests.shop.test_selfservice import stored
from tiski.agents.models import Role
from tiski.conversations.models import Message
from tiski.core.actors import Actor
from tiski.returns.actions import mark_received, request_return
from tiski.returns.models import Return, ReturnStatus


def in_finnish(msgid: str, **values: str) -> str:
    """The first paragraph of a customer's email as a Finnish customer reads it."""
    with translation.override("fi"):
        return (gettext(msgid) % values).split("\n")[0]


APPROVED = (
    "Your return %(reference)s for order %(number)s is approved.\n\n"
    "Please pack the items securely, write %(reference)s on the parcel and send "
    "it back to us within 14 days. We will email you when it arrives."
)
RECEIVED = (
    "We have received the items of your return %(reference)s. We will let you "
    "know as soon as the return is settled."
)
REFUNDED = (
    "Your refund of %(amount)s for return %(reference)s is approved and will "
    "be paid to your original payment method."
)

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(live_desk: str) -> dict[str, Any]:
    store = make_store("revontuli", "RVT")
    agent = make_agent("aino@revontuli.example", "Aino Asiakaspalvelija", store, Role.OWNER)
    colleague = make_agent("tiina@revontuli.example", "Tiina Tiimiläinen", store)
    order = stored(store, language="fi", fulfillment_status="fulfilled", fulfillments=delivered(3))
    case = request_return(
        order,
        items=[item(order, "l-1"), item(order, "l-2", 2, reason="changed_mind")],
        actor=SYSTEM,
        comment="Takki on liian pieni.",
    )
    return {"url": live_desk, "agent": agent, "colleague": colleague, "case": case}


def test_an_agent_takes_a_return_from_request_to_refund(page: Any, desk: dict[str, Any]) -> None:
    case: Return = desk["case"]
    page.goto(desk["url"] + "/")
    page.fill("input[name=email]", desk["agent"].email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/inbox/**")
    page.goto(f"{desk['url']}/conversations/{case.conversation_id}/")

    panel = page.locator("#return-panel")
    badge = panel.locator(".return-head .badge")
    timeline = page.locator("#timeline")
    expect(panel.locator(".return-ref")).to_have_text("R1001")
    expect(badge).to_have_text("Requested")
    expect(panel.get_by_text("Takki on liian pieni.")).to_be_visible()
    expect(panel.locator(".refund-due")).to_contain_text("days left")

    # From the keyboard.
    panel.get_by_role("button", name="Approve").focus()
    page.keyboard.press("Enter")
    expect(badge).to_have_text("Approved")
    approved = in_finnish(APPROVED, reference="R1001", number="#10234")
    expect(timeline).to_contain_text(approved)

    # Meanwhile a colleague got the parcel: the stale button says so and shows the return
    # as it is now.
    mark_received(case, actor=Actor.for_agent(desk["colleague"]))
    page.locator("#return-panel").get_by_role("button", name="Label sent").click()
    expect(page.locator("#return-panel [role=alert]")).to_contain_text(
        "cannot be marked label sent now"
    )
    expect(badge).to_have_text("Received")
    received = in_finnish(RECEIVED, reference="R1001")
    expect(timeline).to_contain_text(received)

    panel.get_by_text("Record the inspection…").click()
    jacket, socks = case.lines.order_by("pk")
    panel.locator(f"#grade-{jacket.pk}").select_option("as_new")
    panel.locator(f"#grade-{socks.pk}").select_option("opened")
    panel.locator(f"#note-{socks.pk}").fill("Pakkaus avattu")
    panel.get_by_role("button", name="Save the inspection").click()
    expect(badge).to_have_text("Inspected")
    expect(panel.locator(".return-items")).to_contain_text("Opened, complete")
    expect(timeline).to_contain_text("Pakkaus avattu")  # the internal note

    # Left empty, the amount is the usual one, which the field shows as its placeholder.
    expect(panel.locator("#return-amount")).to_have_value("")
    expect(panel.locator("#return-amount")).to_have_attribute("placeholder", "129.90")
    page.once("dialog", lambda dialog: dialog.accept())
    panel.get_by_role("button", name="Settle the return").click()
    expect(badge).to_have_text("Refunded")
    # The demo shop has no connection that refunds: the agent is told to do it by hand.
    expect(panel.locator(".return-by-hand")).to_contain_text(
        "Refund by hand in the shop’s admin: This store has no enabled shop connection."
    )
    refunded = in_finnish(REFUNDED, reference="R1001", amount="129,90 €")
    expect(timeline).to_contain_text(refunded)
    expect(panel.get_by_role("button", name="Close")).to_be_visible()

    assert Return.objects.get(pk=case.pk).status == ReturnStatus.REFUNDED
    assert case.conversation_id is not None
    sent = list(
        Message.objects.filter(conversation_id=case.conversation_id, automatic=True)
        .order_by("seq")
        .values_list("body_text", flat=True)
    )
    assert len(sent) == 4  # the request's confirmation, approved, received, refunded
    assert sent[1].startswith(approved) and sent[2] == received and sent[3] == refunded
