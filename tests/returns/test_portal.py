"""The return portal, /returns/<store>/: finding the order, choosing items, photos, the
confirmation, and every refusal leaving nothing behind."""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import SYSTEM
from tests.returns.test_request import delivered
from tests.shop.test_selfservice import stored
from tiski.conversations.models import Attachment, Message
from tiski.returns.actions import ReturnItem, request_return
from tiski.returns.models import Resolution, Return, ReturnLine, ReturnSettings
from tiski.returns.portal_access import ORDER_SALT, ORDER_TOKEN_AGE, order_token
from tiski.returns.portal_forms import MAX_PHOTO_BYTES, LineOption, PortalOffer, offer_for
from tiski.shop.actions import apply_records
from tiski.shop.models import Order, OrderLine, ProductVariant
from tiski.shop.schemas import ProductIn
from tiski.shop.selfservice import FAILURES_PER_EMAIL
from tiski.stores.actions import update_store
from tiski.stores.models import Store

NOT_FOUND = (
    "We could not find an order with that number and email address. Check both and try again."
)
EXPIRED = "That page has expired. Find your order again to go on."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


@pytest.fixture
def store(store: Store) -> Store:
    """The Finnish store, serving Finnish, Swedish and English."""
    return update_store(store, actor=SYSTEM, languages=["fi", "sv", "en"])


@pytest.fixture
def order(store: Store) -> Order:
    """Order 10234 of matti@example.fi, delivered three days ago: l-1 is 1 x Kuoritakki
    Tunturi, l-2 2 x Villasukat."""
    return delivered_order(store)


def delivered_order(store: Store, days_ago: float = 3, **fields: Any) -> Order:
    return stored(
        store,
        language="fi",
        fulfillment_status="fulfilled",
        fulfillments=delivered(days_ago, fields.pop("delivered_lines", (("l-1", 1), ("l-2", 2)))),
        **fields,
    )


def line(order: Order, external_id: str) -> OrderLine:
    return OrderLine.objects.get(order=order, external_id=external_id)


def start(store: Store) -> str:
    return f"/returns/{store.slug}/"


def items_url(store: Store, token: str, lang: str = "en") -> str:
    return f"/returns/{store.slug}/items/?t={token}&lang={lang}"


def text(response: Any) -> str:
    return response.content.decode()


def look_up(
    client: Client,
    store: Store,
    number: str = "10234",
    email: str = "matti@example.fi",
    *,
    address: str = "203.0.113.7",
) -> Any:
    return client.post(
        start(store), {"number": number, "email": email, "lang": "en"}, REMOTE_ADDR=address
    )


def choose(
    order: Order, *, lines: dict[str, dict[str, Any]], token: str | None = None, **extra: Any
) -> dict[str, Any]:
    """The items form as a browser posts it: every line's fields, the chosen ones filled."""
    data: dict[str, Any] = {
        "t": token if token is not None else order_token(order),
        "lang": "en",
        "resolution": extra.pop("resolution", Resolution.REFUND),
        "comment": extra.pop("comment", ""),
    }
    for each in OrderLine.objects.filter(order=order):
        chosen = lines.get(each.external_id, {})
        data[f"quantity-{each.pk}"] = chosen.get("quantity", 0)
        data[f"reason-{each.pk}"] = chosen.get("reason", "")
        data[f"exchange-{each.pk}"] = chosen.get("exchange", "")
        data[f"note-{each.pk}"] = chosen.get("note", "")
    data.update(extra)
    return data


def submit(client: Client, store: Store, data: dict[str, Any]) -> Any:
    return client.post(f"/returns/{store.slug}/items/", data)


def nothing_stored() -> bool:
    return not Return.objects.exists() and not ReturnLine.objects.exists()


# --- step 1: finding the order --------------------------------------------------------------


def test_the_start_page_is_labelled_and_csrf_protected(store: Store) -> None:
    response = Client().get(start(store) + "?lang=en")
    assert response.status_code == 200
    page = text(response)
    assert '<label for="id_number">Order number</label>' in page
    assert '<label for="id_email">Email address</label>' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert response["Content-Language"] == "en"
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(start(store), {"number": "10234", "email": "matti@example.fi"})
    assert refused.status_code == 403


def test_the_page_speaks_the_browsers_language(store: Store) -> None:
    response = Client().get(start(store), HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9")
    assert response["Content-Language"] == "sv"
    assert '<html lang="sv">' in text(response)


def test_the_order_is_found_by_number_and_email(client: Client, order: Order) -> None:
    response = look_up(client, order.store)
    assert response.status_code == 303
    assert response["Location"].startswith(f"/returns/{order.store.slug}/items/?t=")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    body = text(page)
    assert "Return items from order #10234" in body
    assert "Kuoritakki Tunturi" in body and "Villasukat" in body
    # The quantity pickers go from 0 to what was bought.
    l2 = line(order, "l-2").pk
    assert re.search(
        rf'<select id="id_quantity-{l2}"[^>]*>\s*<option value="0" selected>0</option>'
        r'<option value="1">1</option><option value="2">2</option>\s*</select>',
        body,
    )
    # The reasons are the model's, translated; a refund is the default.
    assert "Too small" in body and "Changed my mind" in body
    assert re.search(r'value="refund" checked', body)
    assert not re.search(r'value="exchange" checked', body)
    # Store credit only where the shop offers it.
    assert 'value="store_credit"' not in body
    assert "The return period ends on" in body


@pytest.mark.parametrize(
    ("number", "email"),
    [("10234", "liisa@example.fi"), ("99999", "matti@example.fi")],
    ids=["wrong email", "wrong number"],
)
def test_a_wrong_number_or_email_gets_one_answer(
    client: Client, order: Order, number: str, email: str
) -> None:
    response = look_up(client, order.store, number, email)
    assert response.status_code == 404
    assert NOT_FOUND in text(response)
    assert "Kuoritakki" not in text(response)
    assert f'value="{number}"' in text(response)  # what was typed is kept


def test_an_order_of_another_store_is_not_found(
    client: Client, order: Order, other_store: Store
) -> None:
    response = look_up(client, other_store)
    assert response.status_code == 404


def test_too_many_failures_are_refused_with_429(client: Client, order: Order) -> None:
    for attempt in range(FAILURES_PER_EMAIL):
        assert (
            look_up(client, order.store, f"9{attempt}", address=f"203.0.113.{attempt}").status_code
            == 404
        )
    # Even the right number is not looked up while the email is over its limit.
    limited = look_up(client, order.store, address="198.51.100.1")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "900"
    assert "Too many attempts" in text(limited)


def test_bad_input_is_a_400_with_an_error_summary(client: Client, store: Store) -> None:
    response = client.post(start(store), {"number": "", "email": "no", "lang": "en"})
    assert response.status_code == 400
    page = text(response)
    assert 'role="alert"' in page and 'href="#id_number"' in page and 'href="#id_email"' in page
    assert 'aria-invalid="true"' in page


def test_the_number_from_the_status_page_is_filled_in(client: Client, store: Store) -> None:
    response = client.get(start(store) + "?lang=en&number=10234")
    assert 'value="10234"' in text(response)


# --- the token ------------------------------------------------------------------------------


def old_token(order: Order) -> str:
    class Yesterday(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - ORDER_TOKEN_AGE - 60)

    return Yesterday(salt=ORDER_SALT).sign(f"{order.store_id}.{order.pk}")


@pytest.mark.parametrize("kind", ["forged", "expired", "other salt", "another order id", "empty"])
def test_a_forged_or_expired_token_is_refused(client: Client, order: Order, kind: str) -> None:
    genuine = order_token(order)
    token = {
        "forged": genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB"),
        "expired": old_token(order),
        "other salt": signing.TimestampSigner(salt="elsewhere").sign(
            f"{order.store_id}.{order.pk}"
        ),
        "another order id": genuine.replace(f".{order.pk}:", f".{order.pk + 1}:", 1),
        "empty": "",
    }[kind]
    page = client.get(items_url(order.store, token))
    assert page.status_code == 403
    assert EXPIRED in text(page) and "Kuoritakki" not in text(page)
    posted = submit(
        client,
        order.store,
        choose(order, token=token, lines={"l-1": {"quantity": 1, "reason": "too_small"}}),
    )
    assert posted.status_code == 403
    assert nothing_stored()


def test_a_token_of_one_store_opens_nothing_in_another(
    client: Client, order: Order, other_store: Store
) -> None:
    page = client.get(items_url(other_store, order_token(order)))
    assert page.status_code == 403


# --- step 2: choosing --------------------------------------------------------------------------


def test_a_return_is_requested_and_confirmed(client: Client, order: Order) -> None:
    data = choose(
        order,
        lines={"l-2": {"quantity": 1, "reason": "too_large", "note": "Liian isot"}},
        comment="Kiitos!",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = submit(client, order.store, data)
    assert response.status_code == 303
    case = Return.objects.get()
    assert (case.reference, case.resolution, case.comment, case.language) == (
        "R1001",
        Resolution.REFUND,
        "Kiitos!",
        "en",
    )
    assert list(
        case.lines.values_list("order_line__external_id", "quantity", "reason", "note")
    ) == [("l-2", 1, "too_large", "Liian isot")]
    assert case.conversation is not None
    done = client.get(response["Location"])
    assert done.status_code == 200
    page = text(done)
    assert "R1001" in page and "#10234" in page
    assert "Drop the parcel at a parcel point." in page
    label = re.search(r'href="([^"]+label\.pdf)"', page)
    assert label is not None
    pdf = client.get(label.group(1))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="return-R1001.pdf"' in pdf["Content-Disposition"]


def test_the_same_form_sent_twice_makes_one_return(client: Client, order: Order) -> None:
    page = text(client.get(items_url(order.store, order_token(order))))
    found = re.search(r'name="submission" value="([^"]+)"', page)
    assert found is not None
    data = choose(
        order, lines={"l-2": {"quantity": 1, "reason": "too_large"}}, submission=found.group(1)
    )
    first = submit(client, order.store, data)
    cache.clear()  # the key is kept with the return, not in a cache another process lacks
    second = submit(client, order.store, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Return.objects.count() == 1
    # A new page is a new request: the other sock can still go.
    assert submit(client, order.store, {**data, "submission": "x" * 20}).status_code == 303
    assert Return.objects.count() == 2


def test_the_items_page_in_finnish(client: Client, order: Order) -> None:
    page = client.get(items_url(order.store, order_token(order), "fi"))
    with translation.override("fi"):
        too_small = gettext("Too small")
    assert page["Content-Language"] == "fi" and too_small in text(page)


def test_more_than_bought_is_refused_and_the_form_kept(client: Client, order: Order) -> None:
    data = choose(
        order,
        lines={"l-2": {"quantity": 3, "reason": "too_large", "note": "Kolmet"}},
        comment="Pidä tämä",
    )
    response = submit(client, order.store, data)
    assert response.status_code == 400
    page = text(response)
    assert "You can return at most 2 of Villasukat." in page
    l2 = line(order, "l-2").pk
    assert f'href="#id_quantity-{l2}"' in page  # the summary leads to the field
    assert re.search(rf'id="id_quantity-{l2}"[^>]*aria-invalid="true"', page)
    assert '<option value="too_large" selected>' in page
    assert 'value="Kolmet"' in page and ">Pidä tämä</textarea>" in page
    assert nothing_stored()


def test_nothing_chosen_and_a_missing_reason_are_refused(client: Client, order: Order) -> None:
    nothing = submit(client, order.store, choose(order, lines={}))
    assert nothing.status_code == 400
    assert "Choose at least one item to return." in text(nothing)
    no_reason = submit(client, order.store, choose(order, lines={"l-1": {"quantity": 1}}))
    assert no_reason.status_code == 400
    assert "Choose a reason for Kuoritakki Tunturi." in text(no_reason)
    bad_reason = submit(
        client, order.store, choose(order, lines={"l-1": {"quantity": 1, "reason": "free money"}})
    )
    assert bad_reason.status_code == 400
    assert nothing_stored()


def test_a_line_of_another_order_cannot_be_slipped_in(
    client: Client, order: Order, store: Store
) -> None:
    other = delivered_order(store, id="o-2", number="10235", email="liisa@example.fi")
    data = choose(order, lines={"l-1": {"quantity": 1, "reason": "too_small"}})
    data[f"quantity-{line(other, 'l-1').pk}"] = 1
    data[f"reason-{line(other, 'l-1').pk}"] = "too_small"
    assert submit(client, order.store, data).status_code == 303
    assert list(ReturnLine.objects.values_list("order_line__order_id", flat=True)) == [order.pk]


def test_returned_items_cannot_be_returned_again(client: Client, order: Order) -> None:
    request_return(order, items=[ReturnItem(line(order, "l-2").pk, 2, "too_small")], actor=SYSTEM)
    page = text(client.get(items_url(order.store, order_token(order))))
    l2 = line(order, "l-2").pk
    assert "Already returned or in an open return: 2 of 2." in page
    assert f'id="id_quantity-{l2}"' not in page  # nothing left to choose
    again = submit(
        client, order.store, choose(order, lines={"l-2": {"quantity": 1, "reason": "too_small"}})
    )
    assert again.status_code == 400
    assert Return.objects.count() == 1


def test_a_refusal_of_the_action_is_shown_with_the_form_kept(
    client: Client, order: Order, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page opened before another return took the socks: the form offers them, the
    action refuses, the customer reads why with their choices still there."""
    request_return(order, items=[ReturnItem(line(order, "l-2").pk, 2, "too_small")], actor=SYSTEM)

    def stale(order: Order) -> PortalOffer:
        offer = offer_for(order)
        lines = [
            LineOption(line=each.line, bought=each.bought, returnable=each.bought)
            for each in offer.lines
        ]
        return dataclasses.replace(offer, lines=lines, last_day=None)

    monkeypatch.setattr("tiski.returns.portal.offer_for", stale)
    response = submit(
        client,
        order.store,
        choose(order, lines={"l-2": {"quantity": 1, "reason": "changed_mind"}}, comment="Hei"),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Villasukat: Already returned or in an open return: 2 of 2." in page
    assert '<option value="changed_mind" selected>' in page and ">Hei</textarea>" in page
    assert Return.objects.count() == 1


def test_a_cancelled_order_offers_nothing(client: Client, order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(cancelled_at=order.placed_at)
    page = client.get(items_url(order.store, order_token(order)))
    assert "The order was cancelled." in text(page)
    assert "Nothing in this order can be returned now." in text(page)


def test_an_exchange_picks_another_variant_of_the_same_product(
    client: Client, store: Store
) -> None:
    apply_records(
        store,
        [
            ProductIn.model_validate(
                {
                    "id": "p-1",
                    "title": "Kuoritakki Tunturi",
                    "variants": [
                        {"id": "v-m", "title": "M / sininen"},
                        {"id": "v-l", "title": "L / sininen"},
                        {"id": "v-xl", "title": "XL / sininen", "stock": 0},
                    ],
                }
            ).record()
        ],
        actor=SYSTEM,
    )
    order = delivered_order(
        store,
        delivered_lines=(("l-1", 1),),
        lines=[
            {
                "id": "l-1",
                "title": "Kuoritakki Tunturi",
                "variant_title": "M / sininen",
                "product_id": "p-1",
                "variant_id": "v-m",
                "quantity": 1,
                "unit_price": "99.90",
                "total": "99.90",
            }
        ],
    )
    larger = ProductVariant.objects.get(external_id="v-l")
    page = text(client.get(items_url(store, order_token(order))))
    assert f'<option value="{larger.pk}">L / sininen</option>' in page
    assert "XL / sininen" not in page  # sold out
    assert (
        re.search(r'<select id="id_exchange-\d+"[^>]*>(?:(?!</select>).)*M / sininen', page, re.S)
        is None
    )

    without = submit(
        client,
        store,
        choose(order, lines={"l-1": {"quantity": 1, "reason": "too_small"}}, resolution="exchange"),
    )
    assert without.status_code == 400
    assert "Choose the size or colour you want instead of Kuoritakki Tunturi." in text(without)
    with_variant = submit(
        client,
        store,
        choose(
            order,
            lines={"l-1": {"quantity": 1, "reason": "too_small", "exchange": larger.pk}},
            resolution="exchange",
        ),
    )
    assert with_variant.status_code == 303
    case = Return.objects.get()
    assert case.resolution == Resolution.EXCHANGE and case.lines.get().exchange_variant == larger


def test_store_credit_only_where_the_shop_offers_it(client: Client, order: Order) -> None:
    data = choose(
        order, lines={"l-1": {"quantity": 1, "reason": "changed_mind"}}, resolution="store_credit"
    )
    refused = submit(client, order.store, data)
    assert refused.status_code == 400
    assert nothing_stored()
    ReturnSettings.objects.create(
        store=order.store, offers_store_credit=True, store_credit_bonus_percent=10
    )
    page = text(client.get(items_url(order.store, order_token(order))))
    assert 'value="store_credit">' in page  # offered, never chosen for the customer
    assert "10 % more than the refund" in page
    response = submit(
        client,
        order.store,
        choose(
            order,
            lines={"l-1": {"quantity": 1, "reason": "changed_mind"}},
            resolution="store_credit",
        ),
    )
    assert response.status_code == 303
    assert Return.objects.get().resolution == Resolution.STORE_CREDIT


def test_what_the_rules_say_no_to_is_explained(client: Client, store: Store) -> None:
    """The socks are still on their way, the jacket's period has ended."""
    late = delivered_order(store, days_ago=40, delivered_lines=(("l-1", 1),))
    page = text(client.get(items_url(store, order_token(late))))
    assert "This item has not been delivered yet." in page
    assert "Nothing in this order can be returned now." not in page  # the jacket can go
    every = delivered_order(store, days_ago=40, id="o-3", number="10236")
    page = text(client.get(items_url(store, order_token(every))))
    assert "The return period ended on" in page
    assert "Nothing in this order can be returned now." in page


def test_sealed_goods_ask_about_the_seal(client: Client, store: Store) -> None:
    apply_records(
        store,
        [
            ProductIn.model_validate(
                {
                    "id": "p-9",
                    "title": "Hammasharja",
                    "category": "Hygiene",
                    "variants": [{"id": "v-9", "title": ""}],
                }
            ).record()
        ],
        actor=SYSTEM,
    )
    ReturnSettings.objects.create(store=store, category_exclusions={"Hygiene": "sealed_hygiene"})
    brush = delivered_order(
        store,
        delivered_lines=(("l-1", 1),),
        lines=[
            {
                "id": "l-1",
                "title": "Hammasharja",
                "product_id": "p-9",
                "variant_id": "v-9",
                "quantity": 1,
                "unit_price": "5.00",
                "total": "5.00",
            }
        ],
    )
    l1 = line(brush, "l-1").pk
    assert f'id="id_sealed-{l1}"' in text(client.get(items_url(store, order_token(brush))))
    unanswered = submit(
        client, store, choose(brush, lines={"l-1": {"quantity": 1, "reason": "changed_mind"}})
    )
    assert unanswered.status_code == 400
    assert "Tell us whether the seal of Hammasharja is unbroken." in text(unanswered)
    opened = choose(brush, lines={"l-1": {"quantity": 1, "reason": "changed_mind"}})
    opened[f"sealed-{l1}"] = "no"
    refused = submit(client, store, opened)
    assert refused.status_code == 400
    assert "cannot be returned once its seal is broken" in text(refused)
    assert nothing_stored()
    opened[f"sealed-{l1}"] = "yes"
    assert submit(client, store, opened).status_code == 303


# --- photos -------------------------------------------------------------------------------


def with_photos(order: Order, *photos: SimpleUploadedFile) -> dict[str, Any]:
    data = choose(order, lines={"l-1": {"quantity": 1, "reason": "damaged"}})
    data["photos"] = list(photos)
    return data


def test_photos_are_attached_to_the_returns_first_message(client: Client, order: Order) -> None:
    response = submit(
        client,
        order.store,
        with_photos(
            order,
            SimpleUploadedFile("sauma.png", PNG, content_type="image/png"),
            SimpleUploadedFile("IMG_0001.HEIC", HEIC, content_type="image/heic"),
        ),
    )
    assert response.status_code == 303
    case = Return.objects.get()
    first = Message.objects.filter(conversation=case.conversation).order_by("seq").first()
    assert first is not None
    stored_files = {a.filename: a.content_type for a in first.attachments.all()}
    # Stored as what the bytes are; a HEIC is served as a download, not inline.
    assert stored_files == {"sauma.png": "image/png", "IMG_0001.HEIC": "image/heic"}


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (
            SimpleUploadedFile("kuva.jpg", b"<html><script>alert(1)</script>", "image/jpeg"),
            "kuva.jpg is not a photo.",
        ),
        (
            SimpleUploadedFile("lasku.pdf", b"%PDF-1.4 a bill", "application/pdf"),
            "lasku.pdf is not a photo.",
        ),
        (
            SimpleUploadedFile("iso.png", PNG + b"\x00" * MAX_PHOTO_BYTES, "image/png"),
            "iso.png is larger than 10 MB.",
        ),
        (SimpleUploadedFile("tyhja.png", b"", "image/png"), "tyhja.png is empty."),
    ],
    ids=["not an image", "a pdf", "huge", "empty"],
)
def test_photos_that_are_not_photos_are_refused(
    client: Client, order: Order, photo: SimpleUploadedFile, message: str
) -> None:
    response = submit(client, order.store, with_photos(order, photo))
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "Choose the photos again: they were not kept." in page
    assert nothing_stored() and not Attachment.objects.exists()


def test_at_most_five_photos(client: Client, order: Order) -> None:
    photos = [SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(6)]
    response = submit(client, order.store, with_photos(order, *photos))
    assert response.status_code == 400
    assert "Attach at most 5 photos." in text(response)
    assert nothing_stored()


# --- step 3: the signed confirmation and label -----------------------------------------


def made_return(client: Client, order: Order) -> str:
    response = submit(
        client, order.store, choose(order, lines={"l-1": {"quantity": 1, "reason": "too_small"}})
    )
    assert response.status_code == 303
    return response["Location"].split("?")[0]


def test_the_label_opens_only_with_its_signature(
    client: Client, order: Order, other_store: Store
) -> None:
    done = made_return(client, order)
    slug, number, signature = done.strip("/").split("/")[1:]
    assert client.get(done).status_code == 200
    assert client.get(done + "label.pdf").status_code == 200
    anonymous = Client()  # no session, no login: the signature is the access
    assert anonymous.get(done + "label.pdf").content.startswith(b"%PDF")
    wrong = signature[:-2] + ("xx" if not signature.endswith("xx") else "yy")
    for url in (
        f"/returns/{slug}/{number}/{wrong}/",
        f"/returns/{slug}/{number}/{wrong}/label.pdf",
        f"/returns/{slug}/1002/{signature}/label.pdf",  # another number, the same signature
        f"/returns/{other_store.slug}/{number}/{signature}/label.pdf",  # another store
    ):
        assert client.get(url).status_code == 404, url


def test_a_foreign_stores_signature_opens_nothing_here(
    client: Client, order: Order, other_store: Store
) -> None:
    """Both stores have an R1001: the signature of one is not the other's."""
    made_return(client, order)
    foreign_order = delivered_order(other_store, id="o-9", number="555")
    foreign = made_return(client, foreign_order)
    _slug, number, signature = foreign.strip("/").split("/")[1:]
    assert number == "1001"
    assert client.get(f"/returns/{order.store.slug}/1001/{signature}/label.pdf").status_code == 404


# --- the way in from the order status page ----------------------------------------------


def test_the_order_status_page_links_to_the_portal(client: Client, order: Order) -> None:
    response = client.post(
        f"/orders/{order.store.slug}/status/",
        {"number": "10234", "email": "matti@example.fi", "lang": "en"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 200
    assert re.search(rf'href="/returns/{order.store.slug}/\?[^"]*number=', text(response))
    assert ">Return items</a>" in text(response)
