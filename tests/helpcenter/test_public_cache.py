"""The home page's listing and the sitemap are cached; every write shows at once."""

from __future__ import annotations

from django.test import Client

from tests.conftest import SYSTEM
from tiski.helpcenter.actions import (
    ArticleText,
    delete_article,
    save_article,
    save_category,
    set_status,
)
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.stores.models import Store


def home(store: Store) -> str:
    return Client().get(f"/help/{store.slug}/fi/").content.decode()


def sitemap(store: Store) -> str:
    return Client().get(f"/help/{store.slug}/sitemap.xml").content.decode()


def test_writes_show_on_the_cached_pages_at_once(
    help_store: Store,
    finnish_articles: dict[str, ArticleTranslation],
    django_assert_max_num_queries,
) -> None:
    assert "Lahjakortit" in home(help_store)
    with django_assert_max_num_queries(4):  # the listing came from the cache
        home(help_store)
    category = finnish_articles["giftcard"].article.category
    new = save_article(
        help_store,
        language="fi",
        text=ArticleText("Kierrätys", "Kierrätä pakkaus."),
        actor=SYSTEM,
        category=category,
    )
    assert "Kierrätys" not in home(help_store)  # a draft
    set_status(new, ArticleStatus.PUBLISHED, actor=SYSTEM)
    assert "Kierrätys" in home(help_store)
    assert f"/a/{new.article_id}/" in sitemap(help_store)
    save_category(
        help_store, names={"fi": ("Tilaukset ja lahjat", "")}, actor=SYSTEM, category=category
    )
    assert "Tilaukset ja lahjat" in home(help_store)
    delete_article(new.article, actor=SYSTEM)
    assert "Kierrätys" not in home(help_store)
    assert f"/a/{new.article_id}/" not in sitemap(help_store)
