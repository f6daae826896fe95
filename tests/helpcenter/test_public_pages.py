"""The public help center's reading pages: the entry redirect, home, categories,
articles, the "Was this helpful?" vote and the search page, with hostile input."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape
from django.utils.translation import ngettext, override

from tests.conftest import SYSTEM
from tiski.helpcenter.actions import ArticleText, save_article, set_status
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation, SearchQuery
from tiski.helpcenter.pages import VOTES_COOKIE
from tiski.stores.models import Store

from .conftest import publish


def base(store: Store) -> str:
    return f"/help/{store.slug}"


def article_url(store: Store, translation: ArticleTranslation) -> str:
    return f"{base(store)}/{translation.language}/a/{translation.article_id}/{translation.slug}/"


def html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# --- entry and languages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("sv-FI,sv;q=0.9,en;q=0.5", "sv"), ("de-DE,en;q=0.8", "en"), ("de, pl", "fi"), ("", "fi")],
)
def test_the_entry_picks_a_served_language_from_the_browser(
    help_store: Store, accept: str, expected: str
) -> None:
    response = Client().get(f"{base(help_store)}/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"{base(help_store)}/{expected}/"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("language", ["pl", "de", "xx", "fi-FI", "<script>", "en%00"])
def test_a_language_the_store_does_not_serve_is_a_branded_404(
    help_store: Store, language: str
) -> None:
    response = Client().get(f"{base(help_store)}/{language}/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 404
    page = html(response)
    assert help_store.name in page and 'lang="sv"' in page
    assert "<script>" not in page.replace('<script src="/static/tiski/help.js"', "")
    assert Client().get("/help/no-such-shop/fi/").status_code == 404


# --- home and categories ----------------------------------------------------------------


def test_home_lists_categories_articles_policies_and_the_most_read(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    draft = save_article(
        help_store,
        language="fi",
        text=ArticleText("Salainen luonnos", "Ei vielä julki."),
        actor=SYSTEM,
        category=finnish_articles["returns"].article.category,
    )
    shipping = save_article(
        help_store,
        language="fi",
        text=ArticleText("Toimitusehdot", "Toimitamme Suomeen."),
        actor=SYSTEM,
        policy="shipping",
        status=ArticleStatus.PUBLISHED,
    )
    for _ in range(3):
        Client().get(article_url(help_store, finnish_articles["giftcard"]))
    response = Client().get(f"{base(help_store)}/fi/")
    assert response.status_code == 200
    assert response["Content-Language"] == "fi"
    page = html(response)
    assert '<html lang="fi">' in page
    assert 'href="/help/revontuli/fi/c/tilaukset/">Tilaukset</a>' in page
    for translation in finnish_articles.values():
        assert f'href="{article_url(help_store, translation)}">{translation.title}</a>' in page
    assert draft.title not in page
    # Policies are links of their own, not articles of a category.
    assert f'href="{base(help_store)}/fi/policies/shipping/">{shipping.title}</a>' in page
    assert f'href="{base(help_store)}/fi/policies/contact/"' in page
    popular = page.split('id="popular-title"')[1]
    assert popular.index("Lahjakortit") < popular.index("</section>")
    assert 'role="search"' in page and 'action="/help/revontuli/fi/search/"' in page


def test_home_in_a_language_without_articles(help_store: Store, finnish_articles: dict) -> None:
    response = Client().get(f"{base(help_store)}/sv/")
    assert response.status_code == 200
    assert "Näin palautat" not in html(response)


def test_a_category_page_and_its_errors(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    response = Client().get(f"{base(help_store)}/fi/c/tilaukset/")
    assert response.status_code == 200
    page = html(response)
    assert "<h1>Tilaukset</h1>" in page
    assert all(t.title in page for t in finnish_articles.values())
    assert Client().get(f"{base(help_store)}/fi/c/ei-ole/").status_code == 404
    # The Finnish slug does not name a Swedish category.
    assert Client().get(f"{base(help_store)}/sv/c/tilaukset/").status_code == 404
    for page_number in ["2", "0", "x" * 500]:
        url = f"{base(help_store)}/fi/c/tilaukset/?page={page_number}"
        assert Client().get(url).status_code == 404


# --- articles ---------------------------------------------------------------------------


def test_an_article_page(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    response = Client().get(article_url(help_store, article))
    assert response.status_code == 200
    page = html(response)
    assert f"<h1>{article.title}</h1>" in page
    assert "Voit palauttaa tilatut tuotteet 30 päivän kuluessa." in page
    # The date in Finnish, in the store's time zone.
    assert "6. joulukuuta 2026" in page
    crumbs = page.split('class="crumbs"')[1].split("</nav>")[0]
    assert "/help/revontuli/fi/c/tilaukset/" in crumbs and article.title in crumbs
    assert f'action="{base(help_store)}/fi/a/{article.article_id}/vote/"' in page
    article.refresh_from_db()
    assert article.views == 1


def test_a_wrong_slug_moves_permanently_to_the_right_one(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    response = Client().get(f"{base(help_store)}/fi/a/{article.article_id}/vanha-nimi/")
    assert response.status_code == 301
    assert response["Location"] == (
        f"{base(help_store)}/fi/a/{article.article_id}/n%C3%A4in-palautat-tuotteen/"
    )
    article.refresh_from_db()
    assert article.views == 0


def test_drafts_missing_and_foreign_articles_are_not_found(
    help_store: Store,
    finnish_articles: dict[str, ArticleTranslation],
    polish_articles: dict[str, ArticleTranslation],
) -> None:
    returns = finnish_articles["returns"]
    set_status(returns, ArticleStatus.DRAFT, actor=SYSTEM)
    assert Client().get(article_url(help_store, returns)).status_code == 404
    delivery = finnish_articles["delivery"]
    assert Client().get(f"{base(help_store)}/sv/a/{delivery.article_id}/x/").status_code == 404
    assert Client().get(f"{base(help_store)}/fi/a/999999/x/").status_code == 404
    polish = polish_articles["returns"]
    assert Client().get(f"{base(help_store)}/fi/a/{polish.article_id}/x/").status_code == 404
    returns.refresh_from_db()
    assert returns.views == 0


def test_markdown_with_html_shows_it_as_text(help_store: Store) -> None:
    translation = publish(
        help_store,
        "fi",
        "<script>alert(1)</script> otsikko",
        "Teksti <script>alert('x')</script> ja [linkki](javascript:alert(1)) "
        '<img src=x onerror="alert(1)">',
    )
    page = html(Client().get(article_url(help_store, translation)))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; otsikko" in page
    assert 'href="javascript:' not in page and "<img" not in page
    # The meta description is the body's start, as text.
    assert '<meta name="description" content="Teksti &lt;script&gt;' in page


# --- votes ------------------------------------------------------------------------------


def vote_url(store: Store, translation: ArticleTranslation) -> str:
    return f"{base(store)}/{translation.language}/a/{translation.article_id}/vote/"


def test_a_vote_counts_once_per_browser_and_says_thank_you(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    browser = Client()
    response = browser.post(vote_url(help_store, article), {"helpful": "yes"})
    assert response.status_code == 303
    assert (
        response["Location"]
        == article_url(help_store, article).replace("näin", "n%C3%A4in") + "?voted=yes#feedback"
    )
    cookie = response.cookies[VOTES_COOKIE]
    assert cookie["path"] == "/help/revontuli/" and cookie["httponly"]
    browser.post(vote_url(help_store, article), {"helpful": "no"})
    article.refresh_from_db()
    assert (article.helpful, article.not_helpful) == (1, 0)
    # Back on the page (without ?voted): the form is gone, the thanks is there.
    page = html(browser.get(article_url(help_store, article)))
    assert "Kiitos palautteestasi!" in page or "Thank you for your feedback!" in page
    assert 'name="helpful"' not in page
    # Another browser's vote counts.
    Client().post(vote_url(help_store, article), {"helpful": "no"})
    article.refresh_from_db()
    assert (article.helpful, article.not_helpful) == (1, 1)


def test_a_vote_from_the_script_gets_json(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["delivery"]
    response = Client().post(
        vote_url(help_store, article), {"helpful": "no"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json()["message"]
    article.refresh_from_db()
    assert article.not_helpful == 1


def test_forged_votes_count_nothing(
    help_store: Store,
    finnish_articles: dict[str, ArticleTranslation],
    polish_articles: dict[str, ArticleTranslation],
) -> None:
    article = finnish_articles["returns"]
    url = vote_url(help_store, article)
    for data in [{}, {"helpful": "maybe"}, {"helpful": "yes" * 1000}, {"helpful": ""}]:
        assert Client().post(url, data).status_code == 400
    polish = polish_articles["returns"]
    assert (
        Client()
        .post(vote_url(help_store, polish).replace("/pl/", "/fi/"), {"helpful": "yes"})
        .status_code
        == 404
    )
    assert (
        Client()
        .post(f"{base(help_store)}/pl/a/{article.article_id}/vote/", {"helpful": "yes"})
        .status_code
        == 404
    )
    set_status(finnish_articles["warranty"], ArticleStatus.DRAFT, actor=SYSTEM)
    warranty_url = vote_url(help_store, finnish_articles["warranty"])
    assert Client().post(warranty_url, {"helpful": "yes"}).status_code == 404
    # Without the CSRF token a post from another site is refused.
    assert Client(enforce_csrf_checks=True).post(url, {"helpful": "yes"}).status_code == 403
    article.refresh_from_db()
    assert (article.helpful, article.not_helpful) == (0, 0)
    polish.refresh_from_db()
    assert polish.helpful == 0


def test_a_forged_votes_cookie_is_ignored(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    browser = Client()
    browser.cookies[VOTES_COOKIE] = str(article.article_id)
    assert 'name="helpful"' in html(browser.get(article_url(help_store, article)))
    browser.post(vote_url(help_store, article), {"helpful": "yes"})
    article.refresh_from_db()
    assert article.helpful == 1


def test_the_vote_address_read_leads_to_the_article(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    response = Client().get(vote_url(help_store, article))
    assert response.status_code == 301
    assert response["Location"].endswith("/n%C3%A4in-palautat-tuotteen/")
    # An article whose slug is "vote" is at that address.
    vote = publish(help_store, "fi", "Vote", "Äänestä.")
    assert vote.slug == "vote"
    assert Client().get(vote_url(help_store, vote)).status_code == 200


# --- search -----------------------------------------------------------------------------


def search(store: Store, q: str, language: str = "fi", **extra: str) -> tuple[int, str]:
    response = Client().get(f"{base(store)}/{language}/search/", {"q": q, **extra})
    return response.status_code, html(response)


def test_search_results_are_highlighted_and_counted(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    status, page = search(help_store, "palautukset")
    assert status == 200
    assert 'name="robots" content="noindex"' in page
    with override("fi"):
        count = ngettext(
            "%(n)s article found for “%(query)s”", "%(n)s articles found for “%(query)s”", 1
        ) % {"n": 1, "query": "palautukset"}
    assert re.search(r'id="result-count">\s*' + re.escape(escape(count)), page)
    returns = finnish_articles["returns"]
    assert f'href="{article_url(help_store, returns)}">Näin <mark>palautat</mark>' in page
    assert "<mark>Palautukset</mark> käsitellään" in page
    counted = SearchQuery.objects.get(query="palautukset")
    assert (counted.searches, counted.without_results) == (1, 0)
    # Counted already by the search box's script: not again.
    search(help_store, "palautukset", counted="1")
    counted.refresh_from_db()
    assert counted.searches == 1


def test_no_results_suggest_contacting_the_shop(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    status, page = search(help_store, "avaruusasema")
    assert status == 200
    assert 'id="no-results"' in page
    assert f'href="{base(help_store)}/fi/policies/contact/"' in page.split('id="no-results"')[1]
    missed = SearchQuery.objects.get(query="avaruusasema")
    assert missed.without_results == 1


@pytest.mark.parametrize(
    "q",
    ['"', "NEAR(", "' OR 1=1 --", "x" * 10_000, "\x00", "*", "palautus AND OR NOT", "<b>x</b>"],
)
def test_hostile_searches_are_answered_safely(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation], q: str
) -> None:
    status, page = search(help_store, q)
    assert status == 200
    assert "<b>x</b>" not in page


def test_an_empty_search_shows_the_box_and_counts_nothing(help_store: Store) -> None:
    status, page = search(help_store, "   ")
    assert status == 200 and 'id="no-results"' not in page
    assert not SearchQuery.objects.exists()


# --- queries ----------------------------------------------------------------------------


def test_pages_take_few_queries(
    help_store: Store,
    finnish_articles: dict[str, ArticleTranslation],
    django_assert_max_num_queries: object,
) -> None:
    for key in ["delivery", "warranty", "giftcard"]:
        save_article(
            help_store,
            language="sv",
            text=ArticleText(f"Svensk {key}", "Text på svenska."),
            actor=SYSTEM,
            article=finnish_articles[key].article,
            status=ArticleStatus.PUBLISHED,
        )
    article = finnish_articles["delivery"]
    client = Client()
    # Warm: the custom-domain map is read once per process every half minute.
    client.get(f"{base(help_store)}/fi/")
    # Store, policy links, the article, its languages, the view count.
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        assert client.get(article_url(help_store, article)).status_code == 200
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert client.get(f"{base(help_store)}/fi/").status_code == 200
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        assert client.get(f"{base(help_store)}/fi/c/tilaukset/").status_code == 200
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        assert client.get(f"{base(help_store)}/sitemap.xml").status_code == 200
