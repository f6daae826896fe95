"""Reporting a faulty item in the return portal: the choice after the order is found,
the complaint form and its refusals (400, the input kept, nothing stored), the token,
and the confirmation with the complaint's number and the Polish answer date."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from tests.conftest import SYSTEM
from tests.returns.test_complaints import PNG
from tests.returns.test_portal import delivered_order, line, look_up, text
from tests.shop.test_selfservice import stored
from tiski.conversations.models import Message
from tiski.core import clock
from tiski.returns.models import Complaint, ComplaintStatus, Remedy
from tiski.returns.portal_access import order_token
from tiski.shop.models import Order
from tiski.stores.actions import update_store
from tiski.stores.models import Store

DESCRIPTION = "The zip broke the second time I wore it."


@pytest.fixture
def store(store: Store) -> Store:
    """The Finnish store, serving Finnish, Swedish and English."""
    return update_store(store, actor=SYSTEM, languages=["fi", "sv", "en"])


@pytest.fixture
def order(store: Store) -> Order:
    """Order 10234, delivered 200 days ago: too late to return, not to complain."""
    return delivered_order(store, days_ago=200)


def complaint_url(store: Store) -> str:
    return f"/returns/{store.slug}/complaint/"


def photo(name: str = "fault.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def form(order: Order, **extra: Any) -> dict[str, Any]:
    """The complaint form as a browser posts it: one Kuoritakki faulty, a photo."""
    data: dict[str, Any] = {
        "t": order_token(order),
        "lang": "en",
        f"quantity-{line(order, 'l-1').pk}": 1,
        f"quantity-{line(order, 'l-2').pk}": 0,
        "description": DESCRIPTION,
        "noticed": "",
        "remedy": Remedy.REPAIR,
        "photos": [photo()],
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_the_found_order_offers_a_choice_and_the_complaint_form(
    client: Client, order: Order
) -> None:
    found = look_up(client, order.store)
    assert found.status_code == 303
    items = client.get(found["Location"])
    html = text(items)
    assert 'id="report-fault"' in html and "Report a faulty item" in html
    link = re.search(r'href="([^"]+)" id="report-fault"', html)
    assert link is not None
    page = client.get(link.group(1).replace("&amp;", "&"))
    assert page.status_code == 200
    html = text(page)
    assert "Report a faulty item from order #10234" in html
    assert "Kuoritakki Tunturi" in html and "Villasukat" in html
    assert "Price reduction" in html and "cannot be repaired or replaced" in html


def test_only_delivered_items_can_be_reported(client: Client, store: Store) -> None:
    undelivered = stored(store, language="fi")
    items = client.get(f"/returns/{store.slug}/items/?t={order_token(undelivered)}&lang=en")
    assert 'id="report-fault"' not in text(items)
    page = client.get(f"{complaint_url(store)}?t={order_token(undelivered)}&lang=en")
    assert "Nothing in this order has arrived yet" in text(page)
    partly = delivered_order(store, id="o-2", number="10235", delivered_lines=(("l-2", 2),))
    html = text(client.get(f"{complaint_url(store)}?t={order_token(partly)}&lang=en"))
    assert "Villasukat" in html and "Kuoritakki Tunturi" not in html
    # A line that has not arrived cannot be slipped in by hand.
    answer = client.post(
        complaint_url(store), form(partly, **{f"quantity-{line(partly, 'l-1').pk}": 1})
    )
    assert answer.status_code == 400 and "Choose the faulty item." in text(answer)
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("missing", "error"),
    [
        ({"photos": None}, "Add at least one photo of the fault."),
        ({"description": ""}, "Tell us what is wrong, in a sentence or two."),
        ({"description": "broken"}, "Tell us what is wrong, in a sentence or two."),
        ({"remedy": None}, "Choose what you would like us to do."),
    ],
)
def test_a_missing_photo_or_description_is_refused_with_the_input_kept(
    client: Client, order: Order, missing: dict[str, Any], error: str
) -> None:
    answer = client.post(complaint_url(order.store), form(order, **missing))
    assert answer.status_code == 400
    html = text(answer)
    assert error in html and "There is a problem" in html
    if missing.get("description") is None:
        assert DESCRIPTION in html  # what was written is kept
    kept = re.search(rf'name="quantity-{line(order, "l-1").pk}".*?</select>', html, re.S)
    assert kept is not None and '<option value="1" selected>' in kept.group(0)
    assert not Complaint.objects.exists() and not Message.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(client: Client, order: Order) -> None:
    fake = photo("fault.png", b"%PDF-1.4 not a photo at all")
    answer = client.post(complaint_url(order.store), form(order, photos=[fake]))
    assert answer.status_code == 400
    html = text(answer)
    assert "fault.png is not a photo." in html and "Choose the photos again" in html
    assert DESCRIPTION in html
    assert not Complaint.objects.exists()


def test_a_noticed_date_in_the_future_is_refused(client: Client, order: Order) -> None:
    tomorrow = (clock.now() + timedelta(days=2)).date().isoformat()
    answer = client.post(complaint_url(order.store), form(order, noticed=tomorrow))
    assert answer.status_code == 400 and "The date cannot be in the future." in text(answer)
    assert f'value="{tomorrow}"' in text(answer)
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("kind", ["forged", "foreign"])
def test_a_forged_or_foreign_token_is_refused(
    client: Client, order: Order, other_store: Store, kind: str
) -> None:
    if kind == "forged":
        token = order_token(order)[:-3] + "abc"
        target = order.store
    else:
        token = order_token(stored(other_store, id="o-pl", number="555", language="pl"))
        target = order.store
    page = client.get(f"{complaint_url(target)}?t={token}&lang=en")
    assert page.status_code == 403 and "That page has expired" in text(page)
    answer = client.post(complaint_url(target), form(order, t=token))
    assert answer.status_code == 403
    assert not Complaint.objects.exists()


def test_a_complaint_is_filed_and_confirmed(client: Client, order: Order) -> None:
    noticed = (clock.now() - timedelta(days=5)).date().isoformat()
    answer = client.post(complaint_url(order.store), form(order, noticed=noticed))
    assert answer.status_code == 303
    complaint = Complaint.objects.get()
    assert (complaint.reference, complaint.status) == ("C1001", ComplaintStatus.RECEIVED)
    assert complaint.requested_remedy == Remedy.REPAIR and complaint.language == "en"
    assert list(complaint.lines.values_list("order_line__external_id", "quantity")) == [("l-1", 1)]
    assert complaint.conversation is not None
    first = Message.objects.filter(conversation=complaint.conversation).order_by("pk")[0]
    assert first.attachments.count() == 1
    done = client.get(answer["Location"])
    html = text(done)
    assert done.status_code == 200 and "C1001" in html and "Repair" in html
    assert 'id="answer-due"' not in html  # no statutory answer date in Finland
    # The same form sent twice (a double tap on a phone) finds the first complaint.
    key = {"submission": "k" * 20}
    first_post = client.post(complaint_url(order.store), form(order, **key))
    cache.clear()  # the key is kept with the complaint, not in a cache another process lacks
    second_post = client.post(complaint_url(order.store), form(order, **key))
    assert first_post["Location"] == second_post["Location"]
    assert Complaint.objects.count() == 2


def test_the_confirmation_opens_only_with_its_signature(client: Client, order: Order) -> None:
    answer = client.post(complaint_url(order.store), form(order))
    location = answer["Location"].split("?")[0]
    assert client.get(location).status_code == 200
    assert client.get(location.rstrip("/") + "x/").status_code == 404
    assert client.get(location.replace("/1001/", "/1002/")).status_code == 404


def test_a_polish_complaint_is_told_the_answer_date(client: Client, other_store: Store) -> None:
    order = stored(
        other_store,
        id="o-pl",
        number="555",
        language="pl",
        fulfillments=[
            {
                "id": "f-1",
                "status": "delivered",
                "carrier": "InPost",
                "delivered_at": (clock.now() - timedelta(days=30)).isoformat(),
                "lines": [{"line_id": "l-1", "quantity": 1}, {"line_id": "l-2", "quantity": 2}],
            }
        ],
    )
    answer = client.post(
        complaint_url(other_store), form(order, lang="pl", remedy=Remedy.REPLACEMENT)
    )
    assert answer.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.reference == "C1001" and complaint.answer_due is not None
    html = text(client.get(answer["Location"]))
    assert "C1001" in html and 'id="answer-due"' in html
    with translation.override("pl"):
        assert date_format(complaint.answer_due, "DATE_FORMAT") in html
