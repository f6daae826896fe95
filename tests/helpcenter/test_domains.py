"""A store's help center on its own domain: served at /, links without /help/<slug>."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from tests.conftest import SYSTEM
from tiski.helpcenter import domains
from tiski.helpcenter.models import ArticleTranslation
from tiski.stores.actions import update_store
from tiski.stores.models import Store

HOST = "apua.revontuli.example"


@pytest.fixture(autouse=True)
def _fresh_map() -> Iterator[None]:
    domains.forget()
    yield
    domains.forget()


@pytest.fixture
def own_domain(help_store: Store) -> Iterator[Store]:
    store = update_store(help_store, actor=SYSTEM, help_domain=HOST)
    with override_settings(ALLOWED_HOSTS=[HOST, "testserver", "other.example"]):
        yield store


def on_domain(host: str = HOST) -> Client:
    return Client(HTTP_HOST=host)


def test_the_help_center_at_the_root_of_its_domain(
    own_domain: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    response = on_domain().get("/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 302 and response["Location"] == "/sv/"
    response = on_domain().get("/fi/")
    assert response.status_code == 200
    page = response.content.decode()
    article = finnish_articles["returns"]
    assert f'href="/fi/a/{article.article_id}/{article.slug}/"' in page
    assert 'href="/fi/c/tilaukset/"' in page and 'action="/fi/search/"' in page
    assert 'data-suggest="/fi/suggest/"' in page
    assert "/help/revontuli" not in page
    assert f'<link rel="canonical" href="https://{HOST}/fi/">' in page
    assert '<script src="/static/tiski/help.js"' in page


def test_article_vote_and_suggest_on_the_domain(
    own_domain: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    browser = on_domain()
    response = browser.get(f"/fi/a/{article.article_id}/vanha/")
    assert response.status_code == 301
    assert response["Location"] == f"/fi/a/{article.article_id}/n%C3%A4in-palautat-tuotteen/"
    vote = browser.post(f"/fi/a/{article.article_id}/vote/", {"helpful": "yes"})
    assert vote.status_code == 303 and vote["Location"].startswith(f"/fi/a/{article.article_id}/")
    assert vote.cookies["tiski_help_votes"]["path"] == "/"
    data = browser.get("/fi/suggest/", {"q": "palautus"}).json()
    assert data["results"][0]["url"].startswith(f"https://{HOST}/fi/a/")


def test_robots_sitemap_and_a_missing_slash(own_domain: Store) -> None:
    robots = on_domain().get("/robots.txt").content.decode()
    assert f"Sitemap: https://{HOST}/sitemap.xml" in robots
    sitemap = on_domain().get("/sitemap.xml").content.decode()
    assert f"<loc>https://{HOST}/fi/</loc>" in sitemap
    response = on_domain().get("/fi")
    assert response.status_code == 301 and response["Location"] == "/fi/"


def test_the_domain_serves_only_the_help_center(own_domain: Store) -> None:
    assert on_domain().get("/admin/").status_code == 404
    assert on_domain().get("/help/revontuli/fi/").status_code == 404
    assert on_domain().get("/healthz", follow=True).status_code == 404


def test_other_hosts_are_untouched(own_domain: Store) -> None:
    assert on_domain("other.example").get("/fi/").status_code == 404
    response = Client().get("/help/revontuli/fi/")
    assert response.status_code == 200
    assert f"https://{HOST}/fi/" in response.content.decode()  # canonical: the own domain


def test_a_host_not_allowed_is_refused(own_domain: Store) -> None:
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        assert on_domain().get("/fi/").status_code == 400


def test_a_new_domain_is_noticed(help_store: Store) -> None:
    with override_settings(ALLOWED_HOSTS=["uusi.example", "testserver"]):
        assert on_domain("uusi.example").get("/fi/").status_code == 404
        update_store(help_store, actor=SYSTEM, help_domain="uusi.example")
        domains.forget()  # what the store.updated event does once the change commits
        assert on_domain("uusi.example").get("/fi/").status_code == 200
