"""A store's own return reasons: offered in the portal in the customer's language, the
only ones a request may give, and still shown on old returns once the store drops them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import SYSTEM
from tests.mail.test_admin import staff
from tests.returns.test_portal import choose, delivered_order, items_url, nothing_stored, submit
from tests.returns.test_request import item
from tests.returns.test_settings_admin import URL, form
from tiski.core import clock
from tiski.core.errors import ActionError
from tiski.returns.actions import request_return
from tiski.returns.actions.settings import save_return_settings
from tiski.returns.models import Return, ReturnSettings
from tiski.returns.portal_access import order_token
from tiski.returns.reasons import reason_label, store_reasons
from tiski.returns.reports import returns_report
from tiski.shop.models import Order
from tiski.stores.actions import update_store
from tiski.stores.models import Store

OWN = [
    {"code": "too_tight", "labels": {"fi": "Liian tiukka", "en": "Too tight"}},
    {"code": "colour", "labels": {"fi": "Väri ei miellyttänyt"}},  # no English label
    {"code": "damaged", "labels": {"fi": "Rikki", "en": "Broken"}},  # a default relabelled
]


@pytest.fixture
def store(store: Store) -> Store:
    """The Finnish store (default language fi) with its own three reasons."""
    store = update_store(store, actor=SYSTEM, languages=["fi", "sv", "en"])
    save_return_settings(store, actor=SYSTEM, reasons=OWN)
    return store


@pytest.fixture
def order(store: Store) -> Order:
    return delivered_order(store)


def test_the_list_in_the_active_language_falling_back_to_the_stores(store: Store) -> None:
    with translation.override("en"):
        assert [(r.code, r.label) for r in store_reasons(store)] == [
            ("too_tight", "Too tight"),
            ("colour", "Väri ei miellyttänyt"),
            ("damaged", "Broken"),
        ]
    with translation.override("fi"):
        assert [r.label for r in store_reasons(store)] == [
            "Liian tiukka",
            "Väri ei miellyttänyt",
            "Rikki",
        ]
        assert reason_label(store, "retired_code") == "retired_code"


def test_the_portal_offers_the_stores_list(client: Client, order: Order) -> None:
    token = order_token(order)
    finnish = client.get(items_url(order.store, token, "fi")).content.decode()
    assert '<option value="too_tight">Liian tiukka</option>' in finnish
    assert '<option value="damaged">Rikki</option>' in finnish
    assert 'value="too_small"' not in finnish
    english = client.get(items_url(order.store, token, "en")).content.decode()
    assert '<option value="too_tight">Too tight</option>' in english
    assert '<option value="colour">Väri ei miellyttänyt</option>' in english
    assert '<option value="damaged">Broken</option>' in english


def test_a_reason_outside_the_list_is_refused(client: Client, order: Order) -> None:
    refused = submit(
        client, order.store, choose(order, lines={"l-1": {"quantity": 1, "reason": "too_small"}})
    )
    assert refused.status_code == 400 and nothing_stored()
    with pytest.raises(ActionError) as refusal:
        request_return(order, items=[item(order, "l-1", reason="too_small")], actor=SYSTEM)
    assert refusal.value.field == "reason" and nothing_stored()
    done = submit(
        client, order.store, choose(order, lines={"l-1": {"quantity": 1, "reason": "too_tight"}})
    )
    assert done.status_code == 303
    assert "Too tight" in client.get(done["Location"]).content.decode()


def test_a_retired_reason_still_shows_on_an_old_return(
    order: Order, store: Store, owner_client: Client
) -> None:
    case = request_return(
        order,
        items=[item(order, "l-1", reason="too_tight"), item(order, "l-2", reason="colour")],
        actor=SYSTEM,
    )
    save_return_settings(store, actor=SYSTEM, reasons=OWN[:1])  # "colour" retired
    assert Return.objects.get(pk=case.pk).lines.count() == 2
    html = owner_client.get(f"/conversations/{case.conversation_id}/").content.decode()
    assert "Too tight" in html and "colour" in html
    with translation.override("en"):
        made = returns_report(store, days=90, now=clock.now())
    labels = {r.label for row in made.products for r in row.reasons}
    assert labels == {"Too tight", "colour"}


def many(n: int) -> list[dict[str, Any]]:
    return [{"code": f"r{i}", "labels": {"fi": f"Syy {i}"}} for i in range(n)]


@pytest.mark.parametrize(
    "reasons",
    [
        [OWN[0], OWN[0]],  # a code twice
        [{"code": "Too Tight", "labels": {"fi": "Liian tiukka"}}],
        [{"code": "too_tight", "labels": {"en": "Too tight"}}],  # none in Finnish
        [{"code": "too_tight", "labels": {"fi": "x" * 81}}],
        [{"code": "too_tight"}],
        {"too_tight": "Liian tiukka"},
        many(31),
    ],
)
def test_bad_lists_are_refused(store: Store, reasons: Any) -> None:
    with pytest.raises(ActionError) as refusal:
        save_return_settings(store, actor=SYSTEM, reasons=reasons)
    assert refusal.value.field == "reasons"
    assert ReturnSettings.objects.get(store=store).reasons == OWN


def test_thirty_reasons_are_enough_and_empty_means_the_defaults(store: Store) -> None:
    save_return_settings(store, actor=SYSTEM, reasons=many(30))
    assert len(store_reasons(store)) == 30
    save_return_settings(store, actor=SYSTEM, reasons=[])
    assert "changed_mind" in {r.code for r in store_reasons(store)}


def test_the_admin_form_saves_and_refuses_lists(store: Store) -> None:
    ReturnSettings.objects.filter(store=store).delete()
    client = staff(store)
    bad = [{"code": "too_tight", "labels": {"en": "Too tight"}}]
    refused = client.post(URL, form(store, reasons=json.dumps(bad)))
    assert refused.status_code == 200 and "(fi)" in refused.content.decode()
    assert not ReturnSettings.objects.exists()
    saved = client.post(URL, form(store, reasons=json.dumps(OWN)))
    assert saved.status_code == 302
    assert ReturnSettings.objects.get(store=store).reasons == OWN
