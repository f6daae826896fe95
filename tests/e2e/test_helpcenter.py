"""The public help center in a real browser, on a phone: search as you type in Finnish
with an inflected word, the keyboard through the suggestions, an article, a vote and
the switch to Swedish.

Set TISKI_SCREENSHOTS to a folder to keep a picture of each screen."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.conftest import SYSTEM, make_store
from tests.e2e.shops import WAIT
from tiski.helpcenter.actions import ArticleText, save_article, save_category
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation, SearchQuery
from tiski.stores.actions import update_store

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def snap(page: Any, name: str, *, full_page: bool = False) -> None:
    folder = os.environ.get("TISKI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def said(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_a_customer_finds_an_answer_on_a_phone(live_desk: str, browser: Any) -> None:
    store = make_store("revontuli", "RVT")
    update_store(store, actor=SYSTEM, languages=["fi", "sv", "en"], brand_color="#0b5d4b")
    category = save_category(
        store, names={"fi": ("Tilaukset", ""), "sv": ("Beställningar", "")}, actor=SYSTEM
    )
    returns = save_article(
        store,
        language="fi",
        text=ArticleText(
            "Näin palautat tuotteen",
            "Voit **palauttaa** tilatut tuotteet 30 päivän kuluessa. Palautukset käsitellään "
            "viikon kuluessa.",
        ),
        actor=SYSTEM,
        category=category,
        status=ArticleStatus.PUBLISHED,
    )
    save_article(
        store,
        language="sv",
        text=ArticleText("Så returnerar du en vara", "Du kan returnera varor inom 30 dagar."),
        actor=SYSTEM,
        article=returns.article,
        status=ArticleStatus.PUBLISHED,
    )
    save_article(
        store,
        language="fi",
        text=ArticleText("Toimitusajat", "Toimitus kestää 1–3 arkipäivää."),
        actor=SYSTEM,
        category=category,
        status=ArticleStatus.PUBLISHED,
    )

    context = browser.new_context(viewport=PHONE, locale="fi-FI", has_touch=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_desk}/help/revontuli/")
        expect(page).to_have_url(re.compile(r"/help/revontuli/fi/$"))
        expect(page.locator("html")).to_have_attribute("lang", "fi")
        snap(page, "help-home-390", full_page=True)

        box = page.get_by_role("combobox", name=said("fi", "Search the help center"))
        box.click()
        box.press_sequentially("palautukset", delay=30)
        listbox = page.get_by_role("listbox")
        option = listbox.get_by_role("option").first
        expect(option).to_contain_text("Näin palautat tuotteen", timeout=WAIT)
        expect(box).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("ArrowDown")
        expect(option).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
        snap(page, "help-suggestions-390")
        # The pause counted the search once, for the report.
        deadline_ok = False
        for _ in range(50):
            if SearchQuery.objects.filter(query="palautukset").exists():
                deadline_ok = True
                break
            page.wait_for_timeout(100)
        assert deadline_ok
        page.keyboard.press("Enter")

        expect(page).to_have_url(
            re.compile(rf"/help/revontuli/fi/a/{returns.article_id}/"), timeout=WAIT
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("Näin palautat tuotteen")
        expect(page.locator(".body strong")).to_have_text("palauttaa")
        snap(page, "help-article-390", full_page=True)

        page.get_by_role("button", name=said("fi", "Yes"), exact=True).click()
        expect(page.locator("#feedback")).to_contain_text(
            said("fi", "Thank you for your feedback!"), timeout=WAIT
        )
        returns.refresh_from_db()
        assert (returns.helpful, returns.not_helpful, returns.views) == (1, 0, 1)
        # Reloaded, the page remembers the vote.
        page.reload()
        expect(page.locator("#feedback")).to_contain_text(
            said("fi", "Thank you for your feedback!")
        )
        expect(page.get_by_role("button", name=said("fi", "Yes"), exact=True)).to_have_count(0)

        page.get_by_role("navigation", name=said("fi", "Language")).get_by_role(
            "link", name="Svenska"
        ).click()
        expect(page).to_have_url(re.compile(rf"/help/revontuli/sv/a/{returns.article_id}/"))
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        expect(page.get_by_role("heading", level=1)).to_have_text("Så returnerar du en vara")
        snap(page, "help-article-sv-390")

        # Escape closes the suggestions; without a choice, Enter goes to the results page.
        box = page.get_by_role("combobox")
        box.fill("returnera")
        expect(page.get_by_role("listbox")).to_be_visible(timeout=WAIT)
        page.keyboard.press("Escape")
        expect(page.get_by_role("listbox")).to_be_hidden()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/help/revontuli/sv/search/\?q=returnera"))
        expect(page.locator("mark").first).to_be_visible()
        assert errors == []
    finally:
        context.close()
    assert ArticleTranslation.objects.filter(store=store).count() == 3
