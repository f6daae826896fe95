"""In a real browser: an owner writes a Finnish help article with the live preview and
publishes it; then, answering a customer, finds it from the composer and inserts its
link into the reply."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, inbound, make_agent, make_store
from tiski.agents.models import Role
from tiski.helpcenter import links
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(live_desk: str) -> dict[str, Any]:
    store = make_store("revontuli", "RVT")
    agent = make_agent("aino@revontuli.example", "Aino Asiakaspalvelija", store, Role.OWNER)
    received = inbound(store, "Miten palautan liian pienet kengät?", subject="Palautus")
    return {"url": live_desk, "agent": agent, "store": store, "conversation": received.conversation}


def log_in(page: Any, desk: dict[str, Any]) -> None:
    page.goto(desk["url"] + "/")
    page.fill("input[name=email]", desk["agent"].email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/inbox/**")


def test_write_publish_and_insert_from_the_composer(page: Any, desk: dict[str, Any]) -> None:
    log_in(page, desk)
    page.click("text=Help center")
    page.wait_for_url("**/helpcenter/")
    page.click("text=New article")
    page.wait_for_url("**/helpcenter/new/**")

    page.fill("#id_title", "Näin palautat tuotteen")
    page.fill("#id_summary", "Palautusaika, palautuslomake ja rahojen palautus.")
    body = page.locator("textarea[name=body]")
    body.click()
    # Typed key by key, as a person does: the preview follows after a short pause.
    body.press_sequentially("## Palautusaika\n\nVoit palauttaa tuotteet **30 päivän** kuluessa.")
    preview = page.locator("#hc-preview")
    expect(preview.locator("h2")).to_have_text("Palautusaika")
    expect(preview.locator("strong")).to_have_text("30 päivän")
    body.press_sequentially("\n\n<script>window.hacked = 1</script>")
    expect(preview).to_contain_text("<script>window.hacked = 1</script>")  # as text
    assert page.evaluate("window.hacked") is None

    page.click("button[value=publish]")
    page.wait_for_url("**/helpcenter/articles/*/fi/")
    expect(page.locator(".alert")).to_contain_text("Published")
    expect(page.locator("h1 .hc-state-published")).to_be_visible()
    translation = ArticleTranslation.objects.get(title="Näin palautat tuotteen")
    assert translation.status == ArticleStatus.PUBLISHED
    assert "<strong>30 päivän</strong>" in translation.body_html

    # Answering the customer: the article is one search away from the reply.
    page.goto(f"{desk['url']}/conversations/{desk['conversation'].pk}/")
    page.fill("#composer-text", "Hei! Ohjeet löydät täältä: ")
    page.click("[data-help-picker]")
    search = page.locator("#help-q")
    expect(search).to_be_focused()
    search.fill("palautukset")
    result = page.locator(".help-result", has_text="Näin palautat tuotteen")
    expect(result).to_be_visible()
    # Keyboard: from the search box down to the first button, Enter inserts the link.
    search.press("ArrowDown")
    expect(result.locator("button[data-help-insert=link]")).to_be_focused()
    page.keyboard.press("Enter")
    url = links.article_url(desk["store"], translation)
    expect(page.locator("#composer-text")).to_have_value(f"Hei! Ohjeet löydät täältä: {url}")
    expect(page.locator("#composer-text")).to_be_focused()

    # Escape closes the picker and gives the focus back to its button.
    page.click("[data-help-picker]")
    page.locator("#help-q").press("Escape")
    expect(page.locator("#help-picker")).to_be_hidden()
    expect(page.locator("[data-help-picker]")).to_be_focused()
