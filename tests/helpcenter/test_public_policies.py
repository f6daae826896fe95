"""Store policy pages, and the contact page's phone, email, hours and holidays."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.conftest import SYSTEM
from tiski.core import clock
from tiski.helpcenter.actions import ArticleText, save_article
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.stores.actions import update_store
from tiski.stores.models import Store

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEK = {
    **{day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
    "sun": [["10:00", "16:00"]],
}


def policy(
    store: Store, kind: str, language: str = "fi", title: str = "", body: str = ""
) -> ArticleTranslation:
    return save_article(
        store,
        language=language,
        text=ArticleText(title or f"{kind} {language}", body or "Ehdot tässä."),
        actor=SYSTEM,
        policy=kind,
        status=ArticleStatus.PUBLISHED,
    )


def get(store: Store, path: str) -> tuple[int, str]:
    response = Client().get(f"/help/{store.slug}{path}")
    return response.status_code, response.content.decode()


def test_published_policies_have_pages_and_links(help_store: Store) -> None:
    policy(help_store, "shipping", title="Toimitusehdot")
    terms = policy(help_store, "terms", title="Sopimusehdot")
    terms_draft_sv = save_article(
        help_store,
        language="sv",
        text=ArticleText("Villkor", "Utkast."),
        actor=SYSTEM,
        article=terms.article,
    )
    status, page = get(help_store, "/fi/policies/shipping/")
    assert status == 200 and "<h1>Toimitusehdot</h1>" in page
    footer = page.split("<footer>")[1]
    assert "/help/revontuli/fi/policies/shipping/" in footer
    assert "/help/revontuli/fi/policies/terms/" in footer
    assert "/help/revontuli/fi/policies/returns/" not in footer
    assert get(help_store, "/fi/policies/returns/")[0] == 404
    assert get(help_store, "/sv/policies/terms/")[0] == 404 and terms_draft_sv.status == "draft"
    assert get(help_store, "/fi/policies/cookies/")[0] == 404
    assert get(help_store, "/fi/policies/%3Cscript%3E/")[0] == 404


def test_a_policy_article_address_leads_to_its_policy_page(help_store: Store) -> None:
    shipping = policy(help_store, "shipping")
    response = Client().get(f"/help/revontuli/fi/a/{shipping.article_id}/{shipping.slug}/")
    assert response.status_code == 301
    assert response["Location"] == "/help/revontuli/fi/policies/shipping/"


@pytest.fixture
def open_store(help_store: Store) -> Store:
    return update_store(help_store, actor=SYSTEM, business_hours=WEEK, phone="+358 40 123 4567")


def test_contact_without_an_article_on_independence_day(open_store: Store) -> None:
    # Sunday 6 December 2026: open on Sundays, but closed on public holidays.
    with clock.frozen_at(datetime(2026, 12, 6, 11, 0, tzinfo=HELSINKI)):
        status, page = get(open_store, "/fi/policies/contact/")
    assert status == 200
    assert 'href="mailto:support@revontuli.example"' in page
    assert 'href="tel:+358401234567">+358 40 123 4567</a>' in page
    today = page.split('class="today-box"')[1].split("</p>")[0]
    assert "Suljettu tänään" in today or "Closed today" in today
    assert "Itsenäisyyspäivä" in today
    assert "<dt>Maanantai</dt>" in page and "9.00–17.00" in page
    holidays = page.split('id="holidays"')[1]
    assert holidays.index("Itsenäisyyspäivä") < holidays.index("Jouluaatto")


def test_contact_on_an_ordinary_day_in_swedish(open_store: Store) -> None:
    with clock.frozen_at(datetime(2026, 12, 7, 8, 0, tzinfo=HELSINKI)):
        status, page = get(open_store, "/sv/policies/contact/")
    assert status == 200 and '<html lang="sv">' in page
    today = page.split('class="today-box"')[1].split("</p>")[0]
    assert "09:00–17:00" in today
    assert "<dt>Tisdag</dt>" in page and "Självständighetsdagen" not in page
    assert "Julafton" in page


def test_a_store_open_on_holidays(open_store: Store) -> None:
    update_store(open_store, actor=SYSTEM, closed_on_holidays=False)
    with clock.frozen_at(datetime(2026, 12, 6, 11, 0, tzinfo=HELSINKI)):
        _status, page = get(open_store, "/en/policies/contact/")
    today = page.split('class="today-box"')[1].split("</p>")[0]
    assert "Open today 10:00–16:00" in today and "Independence Day" in today
    assert "closed on public holidays" not in page


def test_the_contact_article_comes_above_the_facts(open_store: Store) -> None:
    contact = policy(open_store, "contact", title="Ota yhteyttä", body="Vastaamme arkisin.")
    with clock.frozen_at(datetime(2026, 12, 7, 12, 0, tzinfo=HELSINKI)):
        status, page = get(open_store, "/fi/policies/contact/")
    assert status == 200
    assert page.index("Vastaamme arkisin.") < page.index('id="hours"')
    assert "<title>Ota yhteyttä – Revontuli</title>" in page
    contact.refresh_from_db()
    assert contact.views == 1


def test_a_polish_store_has_polish_holidays(other_store: Store) -> None:
    update_store(other_store, actor=SYSTEM, business_hours=WEEK)
    with clock.frozen_at(datetime(2026, 12, 20, 12, 0, tzinfo=HELSINKI)):
        status, page = get(other_store, "/pl/policies/contact/")
    assert status == 200 and "Wigilia Bożego Narodzenia" in page
