"""The return panel beside its conversation: what it shows, the steps it offers, who may
take them, and the answers when a step is wrong (422) or not possible now (409)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from tests.conftest import SYSTEM
from tests.mail.test_admin import staff
from tests.returns.test_request import delivered, item
from tests.shop.test_selfservice import stored
from tiski.agents.models import Agent
from tiski.conversations.models import Conversation, Message
from tiski.core import clock
from tiski.returns.actions import request_return
from tiski.returns.models import Return, ReturnStatus
from tiski.stores.models import Store

S = ReturnStatus
HTMX = {"HX-Request": "true", "HX-Target": "conversation"}


@pytest.fixture
def case(store: Store, owner: Agent) -> Return:
    order = stored(store, language="fi", fulfillment_status="fulfilled", fulfillments=delivered(3))
    return request_return(
        order,
        items=[item(order, "l-1", reason="too_small"), item(order, "l-2", 2, note="Väri")],
        actor=SYSTEM,
        comment="Takki on liian pieni.",
    )


def page(client: Client, case: Return) -> str:
    answer = client.get(f"/conversations/{case.conversation_id}/")
    assert answer.status_code == 200
    return answer.content.decode()


def step(case: Return, name: str) -> str:
    return f"/conversations/{case.conversation_id}/return/{name}/"


def status(case: Return) -> str:
    return Return.objects.get(pk=case.pk).status


def test_the_panel_shows_the_return_and_its_next_steps(case: Return, owner_client: Client) -> None:
    html = page(owner_client, case)
    assert 'id="return-panel"' in html
    assert "R1001" in html and "return-status-requested" in html
    assert "Kuoritakki Tunturi" in html and "M / sininen" in html and "Villasukat" in html
    assert "Too small" in html and "Väri" in html
    assert "Takki on liian pieni." in html
    assert "Refund due" in html and "days left" in html and "refund-due-ok" in html
    assert step(case, "approve") in html and step(case, "reject") in html
    # Not yet: the parcel is not back.
    assert step(case, "inspect") not in html and step(case, "resolve") not in html


def test_a_refund_due_soon_or_late_is_marked(case: Return, owner_client: Client) -> None:
    today = clock.now().date()
    Return.objects.filter(pk=case.pk).update(refund_due=today + timedelta(days=2))
    assert "refund-due-soon" in page(owner_client, case)
    Return.objects.filter(pk=case.pk).update(refund_due=today - timedelta(days=3))
    html = page(owner_client, case)
    assert "refund-due-overdue" in html and "Overdue by 3 days" in html
    # Settled: no clock any more.
    Return.objects.filter(pk=case.pk).update(status=S.REFUNDED, resolved_at=clock.now())
    assert "refund-due" not in page(owner_client, case)


def test_no_panel_beside_other_conversations(
    conversation: Conversation, owner_client: Client
) -> None:
    html = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'id="return-panel"' not in html
    answer = owner_client.post(f"/conversations/{conversation.pk}/return/approve/", headers=HTMX)
    assert answer.status_code == 404


def test_an_agent_of_another_store_gets_404_and_changes_nothing(
    case: Return, outsider_client: Client
) -> None:
    for name in ("approve", "reject", "close"):
        assert outsider_client.post(step(case, name), {"reason": "x"}).status_code == 404
    assert status(case) == S.REQUESTED


def test_unknown_steps_and_strangers_are_turned_away(case: Return, owner_client: Client) -> None:
    assert owner_client.post(step(case, "teleport")).status_code == 404
    assert owner_client.get(step(case, "approve")).status_code == 405
    anonymous = Client().post(step(case, "approve"))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert status(case) == S.REQUESTED


def test_a_post_without_the_csrf_token_is_refused(case: Return, owner: Agent) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(step(case, "approve")).status_code == 403
    assert status(case) == S.REQUESTED


def test_approving_shows_the_email_sent_and_the_next_steps(
    case: Return, owner_client: Client
) -> None:
    answer = owner_client.post(step(case, "approve"), headers=HTMX)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert status(case) == S.APPROVED
    assert "return-status-approved" in html
    # The customer's email, in their language, is in the timeline the answer carries.
    with translation.override("fi"):
        approved = gettext(
            "Your return %(reference)s for order %(number)s is approved.\n\n"
            "Please pack the items securely, write %(reference)s on the parcel and send "
            "it back to us within 14 days. We will email you when it arrives."
        ) % {"reference": "R1001", "number": "#10234"}
    # (Tags stripped: the order number in it is a link.)
    assert escape(approved.split("\n")[0]) in re.sub(r"<[^>]+>", "", html)
    assert step(case, "received") in html and step(case, "label-sent") in html
    assert step(case, "approve") not in html
    # Without JavaScript: back to the conversation.
    plain = owner_client.post(step(case, "label-sent"))
    assert (
        plain.status_code == 302 and plain["Location"] == f"/conversations/{case.conversation_id}/"
    )


def test_a_step_not_possible_now_is_409_with_the_reason(case: Return, owner_client: Client) -> None:
    messages = Message.objects.count()
    answer = owner_client.post(step(case, "close"), headers=HTMX)
    assert answer.status_code == 409
    html = answer.content.decode()
    assert "R1001 is requested: it cannot be marked closed now." in html
    assert 'role="alert"' in html and 'id="return-panel"' in html
    plain = owner_client.post(step(case, "received"))
    assert plain.status_code == 409 and "cannot be marked received" in plain.content.decode()
    assert status(case) == S.REQUESTED and Message.objects.count() == messages


def test_a_rejection_without_a_reason_is_422(case: Return, owner_client: Client) -> None:
    answer = owner_client.post(step(case, "reject"), {"reason": "  "}, headers=HTMX)
    assert answer.status_code == 422 and "Say why the return is rejected" in answer.content.decode()
    assert status(case) == S.REQUESTED
    done = owner_client.post(step(case, "reject"), {"reason": "Yli 14 päivää."}, headers=HTMX)
    assert done.status_code == 200 and "Yli 14 päivää." in done.content.decode()
    assert Return.objects.get(pk=case.pk).rejection_reason == "Yli 14 päivää."
    assert status(case) == S.REJECTED


def test_inspection_and_a_refund_by_hand_from_the_panel(case: Return, owner_client: Client) -> None:
    Return.objects.filter(pk=case.pk).update(status=S.RECEIVED)
    jacket, socks = case.lines.order_by("pk")
    html = page(owner_client, case)
    assert f'name="grade-{jacket.pk}"' in html and step(case, "resolve") in html
    # One line without a grade: nothing saved.
    half = owner_client.post(step(case, "inspect"), {f"grade-{jacket.pk}": "as_new"}, headers=HTMX)
    assert half.status_code == 422 and status(case) == S.RECEIVED
    answer = owner_client.post(
        step(case, "inspect"),
        {
            f"grade-{jacket.pk}": "as_new",
            f"grade-{socks.pk}": "missing",
            f"note-{socks.pk}": "Vain yksi pari",
        },
        headers=HTMX,
    )
    assert answer.status_code == 200 and status(case) == S.INSPECTED
    html = answer.content.decode()
    assert "Not in the parcel" in html and "Vain yksi pari" in html
    # The socks were not in the parcel: the jacket's price is suggested.
    assert 'name="amount"' in html and 'placeholder="99.90"' in html

    bad = owner_client.post(step(case, "resolve"), {"amount": "lots"}, headers=HTMX)
    assert bad.status_code == 422 and status(case) == S.INSPECTED
    answer = owner_client.post(
        step(case, "resolve"), {"resolution": "refund", "amount": "99,90"}, headers=HTMX
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert status(case) == S.REFUNDED
    # No shop connection: the agent is told to do it by hand, now and later.
    assert "Refund by hand in the shop’s admin: This store has no enabled" in html
    assert "return-by-hand" in page(owner_client, case)


@pytest.mark.parametrize("raw", ["1e3", "NaN", "12.345", "1.299", "--1", "9,999"])
def test_amounts_that_are_not_amounts_are_refused(
    case: Return, owner_client: Client, raw: str
) -> None:
    Return.objects.filter(pk=case.pk).update(status=S.RECEIVED)
    answer = owner_client.post(step(case, "resolve"), {"amount": raw}, headers=HTMX)
    assert answer.status_code == 422 and status(case) == S.RECEIVED


def test_the_admin_lists_returns_and_changes_nothing(case: Return, store: Store) -> None:
    client = staff(store)
    listing = client.get("/admin/returns/return/")
    assert listing.status_code == 200 and "R1001" in listing.content.decode()
    assert client.get(f"/admin/returns/return/{case.pk}/change/").status_code == 200
    assert client.get("/admin/returns/return/add/").status_code == 403
    assert client.get("/admin/returns/complaint/").status_code == 200
    refused = client.post(f"/admin/returns/return/{case.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 403 and Return.objects.filter(pk=case.pk).exists()


def test_the_panel_flags_what_to_check(store: Store, owner: Agent, owner_client: Client) -> None:
    lines = [
        {
            "id": "l-1",
            "title": "Kuoritakki Tunturi",
            "quantity": 1,
            "unit_price": "200.00",
            "discount_total": "120.00",
            "total": "80.00",
        }
    ]
    order = stored(
        store, id="o-7", number="10240", lines=lines, fulfillments=delivered(2, (("l-1", 1),))
    )
    discounted = request_return(order, items=[item(order, "l-1")], actor=SYSTEM)
    html = page(owner_client, discounted)
    assert 'data-signal="heavy_discount"' in html
    assert 'data-signal="frequent_returns"' not in html
