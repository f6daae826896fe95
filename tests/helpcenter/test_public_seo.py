"""What search engines read: title, description, canonical and hreflang links, the
sitemap and robots.txt, checked against the published translations (drafts never show)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext

from tests.conftest import SYSTEM
from tiski.helpcenter import links
from tiski.helpcenter.actions import ArticleText, save_article
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.stores.models import Store

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture
def translated(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> dict[str, ArticleTranslation]:
    """The returns article in Finnish and Swedish (published) and English (a draft)."""
    article = finnish_articles["returns"].article
    sv = save_article(
        help_store,
        language="sv",
        text=ArticleText(
            "Så returnerar du en vara",
            "Du kan returnera varor inom 30 dagar.",
            summary="Returer på 30 dagar.",
        ),
        actor=SYSTEM,
        article=article,
        status=ArticleStatus.PUBLISHED,
    )
    en = save_article(
        help_store,
        language="en",
        text=ArticleText("How to return", "Not finished."),
        actor=SYSTEM,
        article=article,
    )
    return {"fi": finnish_articles["returns"], "sv": sv, "en": en}


def url_of(store: Store, translation: ArticleTranslation) -> str:
    return iri_to_uri(links.article_url(store, translation))


def head_links(page: str) -> tuple[str, dict[str, str]]:
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    return (canonical.group(1) if canonical else ""), alternates


def test_an_article_names_its_published_languages(
    help_store: Store, translated: dict[str, ArticleTranslation]
) -> None:
    fi, sv = translated["fi"], translated["sv"]
    page = Client().get(links.article_path(help_store, sv)).content.decode()
    assert '<html lang="sv">' in page
    assert "<title>Så returnerar du en vara – Revontuli</title>" in page
    assert '<meta name="description" content="Returer på 30 dagar.">' in page
    canonical, alternates = head_links(page)
    assert canonical == url_of(help_store, sv) and canonical.startswith(ORIGIN)
    # The English draft is nowhere; x-default is the store's own language (Finnish).
    assert alternates == {
        "fi": url_of(help_store, fi),
        "sv": url_of(help_store, sv),
        "x-default": url_of(help_store, fi),
    }
    # The language switcher goes to the same article where it exists, else home.
    switcher = page.split('class="langs"')[1].split("</ul>")[0]
    assert f'href="{links.article_path(help_store, fi)}"' in switcher
    assert 'href="/help/revontuli/en/"' in switcher
    with translation.override("sv"):
        assert gettext("Also in:") in page


def test_the_description_falls_back_to_the_start_of_the_body(
    help_store: Store, translated: dict[str, ArticleTranslation]
) -> None:
    page = Client().get(links.article_path(help_store, translated["fi"])).content.decode()
    assert '<meta name="description" content="Voit palauttaa tilatut tuotteet 30 päivän' in page


def test_home_pages_link_every_served_language(help_store: Store) -> None:
    page = Client().get("/help/revontuli/en/").content.decode()
    canonical, alternates = head_links(page)
    assert canonical == f"{ORIGIN}/help/revontuli/en/"
    assert alternates == {
        "fi": f"{ORIGIN}/help/revontuli/fi/",
        "sv": f"{ORIGIN}/help/revontuli/sv/",
        "en": f"{ORIGIN}/help/revontuli/en/",
        "x-default": f"{ORIGIN}/help/revontuli/",
    }


def test_the_sitemap_lists_exactly_the_published_translations(
    help_store: Store,
    translated: dict[str, ArticleTranslation],
    polish_articles: dict[str, ArticleTranslation],
) -> None:
    shipping = save_article(
        help_store,
        language="fi",
        text=ArticleText("Toimitusehdot", "Postitse."),
        actor=SYSTEM,
        policy="shipping",
        status=ArticleStatus.PUBLISHED,
    )
    response = Client().get("/help/revontuli/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    urls = {u.findtext("s:loc", "", NS): u for u in root.findall("s:url", NS)}
    published = ArticleTranslation.objects.filter(
        store=help_store, status=ArticleStatus.PUBLISHED
    ).select_related("article")
    expected = {url_of(help_store, t) for t in published}
    homes = {f"{ORIGIN}/help/revontuli/{code}/" for code in ("fi", "sv", "en")}
    assert set(urls) == expected | homes
    assert url_of(help_store, translated["en"]) not in urls
    assert f"{ORIGIN}/help/revontuli/fi/policies/shipping/" in urls and shipping.is_published
    assert not any("kubek" in u for u in urls)
    returns = urls[url_of(help_store, translated["sv"])]
    alternates = {a.get("hreflang"): a.get("href") for a in returns.findall("x:link", NS)}
    assert alternates == {
        "fi": url_of(help_store, translated["fi"]),
        "sv": url_of(help_store, translated["sv"]),
        "x-default": url_of(help_store, translated["fi"]),
    }
    assert (
        returns.findtext("s:lastmod", namespaces=NS)
        == translated["sv"].updated_at.date().isoformat()
    )


def test_robots_points_at_the_sitemap(help_store: Store) -> None:
    response = Client().get("/help/revontuli/robots.txt")
    assert response.status_code == 200
    assert f"Sitemap: {ORIGIN}/help/revontuli/sitemap.xml" in response.content.decode()
    assert Client().get("/help/no-such-shop/sitemap.xml").status_code == 404
