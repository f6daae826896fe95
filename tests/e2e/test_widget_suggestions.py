"""Deflection in a real browser: while a customer writes a question in the chat widget,
matching help center articles are offered above the composer, before anything is sent."""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error, expect

from tests.conftest import SYSTEM
from tests.e2e.shops import FI, WAIT, Shop, open_widget
from tests.e2e.test_widget import expect_status, stored, wait_until
from tiski.helpcenter import links
from tiski.helpcenter.actions import ArticleText, normalize_query, save_article
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation, SearchQuery

pytestmark = pytest.mark.browser

QUESTION = "miten palautan kengät"
SUGGEST = re.compile(r"/suggest/\?q=")


@pytest.fixture
def articles(shop: Shop, live_desk: str, settings: Any) -> dict[str, ArticleTranslation]:
    # The help center's links point at this desk (the server thread shares the settings).
    settings.BASE_URL = live_desk
    texts = {
        "returns": (
            "Kenkien ja vaatteiden palautus",
            "Voit palauttaa tilatut kengät ja vaatteet 30 päivän kuluessa. Tulosta "
            "palautuslomake ja vie paketti Postiin.",
        ),
        "delivery": (
            "Toimitusajat",
            "Toimitamme tilaukset Postin kautta. Toimitus kestää yleensä 1–3 arkipäivää.",
        ),
    }
    return {
        key: save_article(
            shop.store,
            language="fi",
            text=ArticleText(title, body),
            actor=SYSTEM,
            status=ArticleStatus.PUBLISHED,
        )
        for key, (title, body) in texts.items()
    }


def composer(chat: Any) -> Any:
    return chat.locator(".comp textarea")


def searches(page: Any) -> list[str]:
    """The URLs of every suggestion request the page makes from now on."""
    urls: list[str] = []

    def seen(request: Any) -> None:
        if SUGGEST.search(request.url):
            urls.append(request.url)

    page.on("request", seen)
    return urls


def suggestions(chat: Any) -> Any:
    return chat.get_by_role("region", name=FI["suggest_title"])


def test_an_article_is_offered_opened_and_the_search_counted_once(
    page: Any, shop: Shop, live_desk: str, articles: dict[str, ArticleTranslation]
) -> None:
    asked = searches(page)
    chat = open_widget(page, shop)
    help_center = chat.locator(".head a")
    expect(help_center).to_have_text(FI["help_center"])
    expect(help_center).to_have_attribute("href", f"{live_desk}/help/{shop.store.slug}/fi/")

    composer(chat).press_sequentially(QUESTION, delay=20)
    region = suggestions(chat)
    expect(region).to_be_visible(timeout=WAIT)
    returns = articles["returns"]
    link = region.get_by_role("link")
    expect(link).to_have_count(1)  # the delivery article does not match
    expect(link).to_have_text(returns.title)
    url = links.article_url(shop.store, returns)
    assert url.startswith(f"{live_desk}/help/{shop.store.slug}/fi/a/{returns.article_id}/")
    expect(link).to_have_attribute("href", url)
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    expect(chat.locator(".sr[aria-live=polite]")).to_have_text(FI["suggest_1"])

    # Reachable from the keyboard; it opens in a new tab, the chat stays where it was.
    link.focus()
    with page.context.expect_page() as opened:
        link.press("Enter")
    tab = opened.value
    tab.wait_for_url(url)
    tab.close()
    expect(composer(chat)).to_have_value(QUESTION)

    # Sending hides the suggestions; the message goes to the desk as any other.
    composer(chat).press("Enter")
    expect(region).to_be_hidden()
    expect_status(chat, QUESTION, FI["sent"])
    assert stored(QUESTION) == 1
    assert shop.conversation().messages.filter(body_text=QUESTION).exists()

    # Counted for the report once, whether the click or the pause said so first.
    wait_until(page, lambda: SearchQuery.objects.filter(store=shop.store).exists(), "the count")
    counted = SearchQuery.objects.get(store=shop.store)
    assert (counted.language, counted.searches) == ("fi", 1)
    assert counted.query == normalize_query(QUESTION)
    assert counted.without_results == 0
    [final] = [url for url in asked if "final=1" in url]
    assert parse_qs(urlsplit(final).query)["q"] == [QUESTION]


def test_no_match_hides_the_list_and_the_pause_still_counts_it(
    page: Any, shop: Shop, articles: dict[str, ArticleTranslation]
) -> None:
    asked = searches(page)
    chat = open_widget(page, shop)
    box = composer(chat)
    box.fill("palautus")
    expect(suggestions(chat)).to_be_visible(timeout=WAIT)
    # Words no article has: the list goes, and after the pause the miss is counted.
    box.fill("avaruusasema kuussa")
    expect(suggestions(chat)).to_be_hidden()
    wait_until(
        page,
        lambda: SearchQuery.objects.filter(query="avaruusasema kuussa").exists(),
        "the unanswered search",
    )
    assert SearchQuery.objects.get(query="avaruusasema kuussa").without_results == 1
    # Cleared text hides the list; fewer than three letters ask nothing, even after a
    # pause longer than the one that counts a search.
    box.fill("palautus")
    expect(suggestions(chat)).to_be_visible(timeout=WAIT)
    box.fill("")
    expect(suggestions(chat)).to_be_hidden()
    box.fill("ok 12")
    page.wait_for_timeout(2000)
    expect(suggestions(chat)).to_be_hidden()
    assert not [url for url in asked if "q=ok" in url]
    assert not SearchQuery.objects.filter(query__startswith="ok").exists()


def test_dismissed_suggestions_stay_away_until_the_message_is_sent(
    page: Any, shop: Shop, articles: dict[str, ArticleTranslation]
) -> None:
    asked = searches(page)
    chat = open_widget(page, shop)
    box = composer(chat)
    box.fill("palautus")
    region = suggestions(chat)
    expect(region).to_be_visible(timeout=WAIT)
    region.get_by_role("button", name=FI["suggest_hide"]).click()
    expect(region).to_be_hidden()
    expect(box).to_be_focused()
    before = len(asked)
    box.press_sequentially(" kengät", delay=50)
    page.wait_for_timeout(2000)
    expect(region).to_be_hidden()
    assert len(asked) == before  # no searching once the customer said no
    box.press("Enter")
    expect_status(chat, "palautus kengät", FI["sent"])
    # The next message is a new question: suggestions are back.
    box.fill("toimitusajat")
    expect(region).to_be_visible(timeout=WAIT)
    expect(region.get_by_role("link")).to_have_text("Toimitusajat")


def test_an_older_answer_never_replaces_a_newer_one(
    page: Any, shop: Shop, articles: dict[str, ArticleTranslation]
) -> None:
    held: list[Any] = []

    def hold_deliveries(route: Any) -> None:
        if "toimitus" in route.request.url and "final=1" not in route.request.url:
            held.append(route)  # never answered while the customer goes on typing
        else:
            route.continue_()

    page.route(SUGGEST, hold_deliveries)
    chat = open_widget(page, shop)
    box = composer(chat)
    with page.expect_request(re.compile(r"q=toimitus")):
        box.fill("toimitus")
    with page.expect_event("requestfailed") as failed:
        box.fill("palautus")
    assert "q=toimitus" in failed.value.url  # aborted as soon as the text changed
    region = suggestions(chat)
    expect(region.get_by_role("link")).to_have_text(articles["returns"].title, timeout=WAIT)
    for route in held:
        # Answered late, if the browser still listens: it must not show.
        with contextlib.suppress(Error):
            route.fulfill(
                json={
                    "query": "toimitus",
                    "results": [{"title": "Vanha", "url": "https://x.example/"}],
                }
            )
    expect(region.get_by_role("link")).to_have_text(articles["returns"].title)


def test_a_failing_help_center_never_breaks_the_chat(
    page: Any, shop: Shop, articles: dict[str, ArticleTranslation]
) -> None:
    page.route(SUGGEST, lambda route: route.abort("connectionrefused"))
    chat = open_widget(page, shop)
    box = composer(chat)
    with page.expect_event("requestfailed"):
        box.fill("miten palautan")
    expect(suggestions(chat)).to_be_hidden()
    box.press("Enter")
    expect_status(chat, "miten palautan", FI["sent"])
    # The page fixture fails the test on any JavaScript error.
