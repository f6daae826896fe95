"""The search-as-you-type endpoint the help center and the widget call."""

from __future__ import annotations

from django.test import Client

from tests.conftest import SYSTEM
from tiski.helpcenter.models import ArticleTranslation, SearchQuery
from tiski.stores.actions import update_store
from tiski.stores.models import Store


def suggest(store: Store, language: str, q: str, **extra: str) -> tuple[int, dict]:
    response = Client().get(f"/help/{store.slug}/{language}/suggest/", {"q": q, **extra})
    return response.status_code, response.json()


def test_suggestions_are_titles_links_and_excerpts(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    response = Client().get(f"/help/{help_store.slug}/fi/suggest/", {"q": "palautuks"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    first = data["results"][0]
    article = finnish_articles["returns"]
    assert first["title"] == "Näin palautat tuotteen"
    assert first["url"].endswith(
        f"/help/{help_store.slug}/fi/a/{article.article_id}/{article.slug}/"
    )
    assert first["excerpt"].startswith("Voit palauttaa tilatut tuotteet")


def test_only_final_searches_are_counted(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    suggest(help_store, "fi", "avaruus")
    assert not SearchQuery.objects.exists()
    suggest(help_store, "fi", "Avaruusasema", final="1")
    suggest(help_store, "fi", "avaruusasema ", final="1")
    suggest(help_store, "fi", "palautus", final="1")
    missed = SearchQuery.objects.get(query="avaruusasema")
    assert (missed.searches, missed.without_results, missed.language) == (2, 2, "fi")
    found = SearchQuery.objects.get(query="palautus")
    assert (found.searches, found.without_results, found.last_results) == (1, 0, 1)


def test_unknown_language_and_store(help_store: Store) -> None:
    status, data = suggest(help_store, "pl", "zwrot")
    assert status == 404 and data == {"error": "unknown language"}
    assert Client().get("/help/no-such-shop/fi/suggest/", {"q": "x"}).status_code == 404


def test_empty_and_hostile_queries(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    for q in ["", "   ", '"', "NEAR(", "' OR 1=1 --", "x" * 10_000, "\x00"]:
        status, data = suggest(help_store, "fi", q, final="1")
        assert status == 200 and isinstance(data["results"], list)
    # Counted under their words; nothing is left of blanks, punctuation and garbage.
    assert sorted(SearchQuery.objects.values_list("query", flat=True)) == ["near", "or 1 1"]


def test_links_point_where_the_request_came_from_or_to_the_shops_domain(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    path = f"/fi/a/{article.article_id}/{article.slug}/"
    _status, data = suggest(help_store, "fi", "palautus")
    assert data["results"][0]["url"] == f"http://testserver/help/{help_store.slug}{path}"
    update_store(help_store, actor=SYSTEM, help_domain="apua.revontuli.example")
    _status, data = suggest(help_store, "fi", "palautus")
    assert data["results"][0]["url"] == f"https://apua.revontuli.example{path}"
