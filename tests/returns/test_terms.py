"""The shop's own terms on a return: a restocking fee only on a return asked for after the
law's 14 days, a bonus on store credit, both kept as they were when the return was asked
for, and what the customer and the agent are told about them."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import SYSTEM
from tests.returns.test_request import delivered, item
from tests.returns.test_review import at
from tests.shop.test_selfservice import stored
from tiski.agents.models import Agent
from tiski.conversations.models import Message
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.returns.actions import request_return, resolve_return
from tiski.returns.actions.review import amounts, refund_amount
from tiski.returns.actions.settings import save_return_settings
from tiski.returns.customer_texts import percent
from tiski.returns.eligibility import (
    LineFacts,
    OrderFacts,
    ReturnRules,
    check_return,
)
from tiski.returns.models import Resolution, Return, ReturnStatus
from tiski.returns.panel import build_panel
from tiski.returns.portal_access import order_token
from tiski.shop.models import Order
from tiski.stores.actions import update_store
from tiski.stores.models import Store

S = ReturnStatus
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def terms(store: Store) -> Store:
    """30 days to return, 10 % restocking fee after the law's 14, credit with 10 % more;
    its pages in Finnish and English."""
    update_store(store, actor=SYSTEM, languages=["fi", "en"])
    save_return_settings(
        store,
        actor=SYSTEM,
        shop_window_days=30,
        restocking_fee_percent=Decimal("10"),
        offers_store_credit=True,
        store_credit_bonus_percent=Decimal("10"),
    )
    return store


def received(store: Store, days_ago: float) -> Order:
    """Order 10234 (the jacket 99.90, two pairs of socks 25.00, delivery 5.00)."""
    return stored(
        store, language="fi", fulfillment_status="fulfilled", fulfillments=delivered(days_ago)
    )


def whole(order: Order, **extra: object) -> Return:
    return request_return(
        order,
        items=[item(order, "l-1"), item(order, "l-2", 2)],
        actor=SYSTEM,
        language="fi",
        **extra,  # type: ignore[arg-type]
    )


# -- the pure rule: when the law's period is over -------------------------------------------


def facts(received_at: datetime) -> OrderFacts:
    return OrderFacts(
        order_id="o-1",
        customer_key="matti@example.fi",
        placed_at=received_at - timedelta(days=2),
        lines=(LineFacts("l-1", "p-1", "Takit", 1, delivered_at=received_at),),
    )


@pytest.mark.parametrize(
    ("now", "beyond"),
    [
        # Received Tuesday 1 Dec 2026; the 14 days end with Tuesday 15 Dec, Helsinki time.
        (datetime(2026, 12, 15, 23, 59, tzinfo=HELSINKI), False),
        (datetime(2026, 12, 16, 0, 0, tzinfo=HELSINKI), True),
        (datetime(2026, 12, 30, 12, 0, tzinfo=HELSINKI), True),
    ],
)
def test_the_law_s_period_ends_at_midnight_after_its_last_day(now: datetime, beyond: bool) -> None:
    rules = ReturnRules(time_zone="Europe/Helsinki", country="FI", shop_window_days=30)
    checked = check_return(facts(datetime(2026, 12, 1, 14, 0, tzinfo=HELSINKI)), rules, now)
    assert checked.statutory_deadline is not None
    assert checked.statutory_deadline.last_day.isoformat() == "2026-12-15"
    assert checked.beyond_statutory(now) is beyond
    # The shop's 30 days still let the customer return.
    assert checked.lines[0].returnable


def test_an_order_still_arriving_is_within_the_law_s_period() -> None:
    order = OrderFacts(
        order_id="o-1",
        customer_key="",
        placed_at=datetime(2026, 11, 1, tzinfo=HELSINKI),
        lines=(LineFacts("l-1", "p-1", "Takit", 1),),
    )
    rules = ReturnRules(time_zone="Europe/Helsinki", country="FI", shop_window_days=30)
    now = datetime(2026, 12, 30, tzinfo=HELSINKI)
    checked = check_return(order, rules, now)
    assert checked.statutory_deadline is None and not checked.beyond_statutory(now)


# -- what a return keeps of the terms --------------------------------------------------------


def test_no_fee_within_the_law_s_14_days(terms: Store) -> None:
    case = whole(received(terms, 13))
    assert case.restocking_fee_percent == 0
    assert amounts(case).fee == 0
    # The whole order back: its total, delivery included.
    assert refund_amount(case) == Decimal("129.90")


def test_the_fee_after_the_law_s_14_days_comes_off_the_items_price(terms: Store) -> None:
    case = whole(received(terms, 20))
    assert case.restocking_fee_percent == Decimal("10")
    # 10 % of the items' 124.90, not of the delivery.
    assert amounts(case).fee == Decimal("12.49")
    assert refund_amount(case) == Decimal("129.90") - Decimal("12.49")
    # Store credit carries the bonus and no fee.
    assert amounts(case).credit == Decimal("142.89")


def test_a_part_of_the_order_pays_the_fee_on_its_own_price(terms: Store) -> None:
    order = received(terms, 20)
    case = request_return(order, items=[item(order, "l-2", 1)], actor=SYSTEM)
    assert amounts(case).fee == Decimal("1.25")
    assert refund_amount(case) == Decimal("11.25")
    assert amounts(case).credit == Decimal("13.75")


def test_terms_changed_later_do_not_change_a_return_already_asked_for(terms: Store) -> None:
    case = whole(received(terms, 20))
    save_return_settings(
        terms, actor=SYSTEM, restocking_fee_percent=Decimal("25"), store_credit_bonus_percent=0
    )
    case.refresh_from_db()
    assert (case.restocking_fee_percent, case.credit_bonus_percent) == (10, 10)
    assert refund_amount(case) == Decimal("117.41")


def test_without_store_credit_there_is_no_bonus(store: Store) -> None:
    save_return_settings(store, actor=SYSTEM, store_credit_bonus_percent=Decimal("15"))
    case = whole(received(store, 3))
    assert case.credit_bonus_percent == 0
    assert amounts(case).credit == Decimal("129.90")


# -- settling with the terms -----------------------------------------------------------------


@pytest.fixture
def actor(owner: Agent) -> Actor:
    return Actor.for_agent(owner)


def test_a_late_refund_is_less_the_fee_and_the_customer_is_told_why(
    terms: Store, actor: Actor
) -> None:
    case = at(whole(received(terms, 20)), S.RECEIVED)
    settled = resolve_return(case, actor=actor)
    assert settled.amount == Decimal("117.41")
    email = Message.objects.filter(conversation=case.conversation, automatic=True).last()
    assert email is not None
    with translation.override("fi"):
        why = gettext(
            "As the return was made after the 14-day statutory period, under our own longer "
            "return period, a restocking fee of %(percent)s %% of the items' price was deducted."
        ) % {"percent": "10"}
    assert why in email.body_text and "117,41" in email.body_text


def test_a_refund_within_the_law_s_period_says_nothing_of_a_fee(terms: Store, actor: Actor) -> None:
    case = at(whole(received(terms, 3)), S.RECEIVED)
    settled = resolve_return(case, actor=actor)
    assert settled.amount == Decimal("129.90")
    email = Message.objects.filter(conversation=case.conversation, automatic=True).last()
    assert email is not None and "%" not in email.body_text


def test_store_credit_is_settled_with_its_bonus(terms: Store, actor: Actor) -> None:
    case = at(whole(received(terms, 3), resolution=Resolution.STORE_CREDIT), S.RECEIVED)
    settled = resolve_return(case, actor=actor)
    assert settled.amount == Decimal("142.89")
    # An agent may give up to the bonus on what is left, not more.
    other = at(whole(stored_again(terms), resolution=Resolution.STORE_CREDIT), S.RECEIVED)
    with pytest.raises(ActionError) as refused:
        resolve_return(other, actor=actor, amount=Decimal("142.90"))
    assert refused.value.field == "amount"
    other.refresh_from_db()
    assert other.status == S.RECEIVED


def stored_again(store: Store) -> Order:
    return stored(
        store,
        id="o-2",
        number="10235",
        language="fi",
        fulfillment_status="fulfilled",
        fulfillments=delivered(3),
    )


def test_the_panel_shows_the_fee_and_both_amounts(terms: Store) -> None:
    case = at(whole(received(terms, 20)), S.RECEIVED)
    with translation.override("en"):
        panel = build_panel(case)
    assert panel.suggested_amount == Decimal("117.41")
    assert (panel.amount_text, panel.credit_text) == ("117.41 €", "142.89 €")
    assert "12.49 €" in panel.fee_text and panel.fee_percent == "10"
    within = at(whole(stored_again(terms)), S.RECEIVED)
    assert build_panel(within).fee_text == ""


def test_percentages_are_written_as_people_write_them() -> None:
    with translation.override("fi"):
        assert (percent(Decimal("10.0")), percent(Decimal("12.5"))) == ("10", "12,5")
    with translation.override("en"):
        assert percent(Decimal("12.5")) == "12.5"


# -- what the portal says --------------------------------------------------------------------


def test_the_portal_announces_the_fee_only_after_the_law_s_period(
    client: Client, terms: Store
) -> None:
    late = received(terms, 20)
    page = client.get(f"/returns/{terms.slug}/items/", {"t": order_token(late), "lang": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="restocking-fee"' in html and "a restocking fee of 10 %" in html
    assert "less the 10 % restocking fee" in html
    early = stored_again(terms)
    page = client.get(f"/returns/{terms.slug}/items/", {"t": order_token(early), "lang": "en"})
    assert 'id="restocking-fee"' not in page.content.decode()
