"""The public help center's reads: what a customer's page needs, in few queries.

Every list loads only the columns a page prints (never a body it does not show) and its
article with it, so building links (``links.article_path`` reads ``article.policy``)
costs no query per row. Only published translations ever leave this module.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery

from tiski.helpcenter import generation
from tiski.helpcenter.models import (
    ArticleStatus,
    ArticleTranslation,
    CategoryTranslation,
    PolicyKind,
)

# What a list of articles shows: a title, a link and the line under it.
MOST_VIEWED_SECONDS = 300
LIST_FIELDS = ("pk", "article_id", "language", "title", "slug", "summary", "article__policy")


def _published(store_id: int, language: str) -> QuerySet[ArticleTranslation]:
    return ArticleTranslation.objects.filter(
        store_id=store_id, language=language, status=ArticleStatus.PUBLISHED
    ).select_related("article")


def _published_in(category_ids: list[int], language: str) -> QuerySet[ArticleTranslation]:
    """Published translations in categories (already known to be the store's).

    Without the store in the filter the database walks the categories' articles and
    looks each translation up, instead of scanning every article of the language.
    """
    return ArticleTranslation.objects.filter(
        article__category_id__in=category_ids,
        article__policy="",
        language=language,
        status=ArticleStatus.PUBLISHED,
    ).select_related("article")


@dataclass
class CategoryListing:
    category: CategoryTranslation
    articles: list[ArticleTranslation] = field(default_factory=list)
    total: int = 0


def home_categories(store_id: int, language: str, per_category: int = 6) -> list[CategoryListing]:
    """The categories named in ``language`` that have published articles, each with its
    first ``per_category`` articles and how many it has in all.

    Counting reads a row per published article (40 ms at 5,000), so the listing is
    cached until the store's help center next changes (``generation``)."""
    key = generation.cached_key(store_id, f"home:{language}:{per_category}")
    listings: list[CategoryListing] | None = cache.get(key)
    if listings is None:
        listings = _home_categories(store_id, language, per_category)
        cache.set(key, listings, generation.CACHE_SECONDS)
    return listings


def _home_categories(store_id: int, language: str, per_category: int) -> list[CategoryListing]:
    categories = list(
        CategoryTranslation.objects.filter(store_id=store_id, language=language)
        .select_related("category")
        .only("pk", "category_id", "language", "name", "slug", "description", "category__position")
        .order_by("category__position", "category_id")
    )
    if not categories:
        return []
    # One narrow row per article gives both the counts and each category's first few
    # (a window function would sort every article of the language in the database).
    rows = _published_in([c.category_id for c in categories], language).values_list(
        "article__category_id", "article__position", "article_id", "pk"
    )
    totals: dict[int, int] = {}
    firsts: dict[int, list[tuple[int, int, int]]] = {}
    for category_id, position, article_id, pk in rows:
        totals[category_id] = totals.get(category_id, 0) + 1
        firsts.setdefault(category_id, []).append((position, article_id, pk))
    chosen = [
        pk for found in firsts.values() for _p, _a, pk in heapq.nsmallest(per_category, found)
    ]
    first = (
        _published_in([c.category_id for c in categories], language)
        .filter(pk__in=chosen)
        .only(*LIST_FIELDS, "article__category_id", "article__position")
        .order_by("article__position", "article_id")
        if chosen
        else []
    )
    listings = {
        c.category_id: CategoryListing(c, total=totals.get(c.category_id, 0)) for c in categories
    }
    for translation in first:
        listing = listings.get(translation.article.category_id or 0)
        if listing is not None:
            listing.articles.append(translation)
    return [listing for listing in listings.values() if listing.total]


def category_translations(
    store_id: int, language: str, slug: str
) -> tuple[CategoryTranslation | None, list[CategoryTranslation]]:
    """The category at ``slug`` in ``language`` and its names in every language (one query)."""
    rows = list(
        CategoryTranslation.objects.filter(
            store_id=store_id,
            category__translations__language=language,
            category__translations__slug=slug,
        ).only("pk", "category_id", "language", "name", "slug", "description")
    )
    current = next((row for row in rows if row.language == language), None)
    return current, rows


def category_articles(language: str, category_id: int) -> QuerySet[ArticleTranslation]:
    return (
        _published_in([category_id], language)
        .only(*LIST_FIELDS)
        .order_by("article__position", "article_id")
    )


def published_article(store_id: int, language: str, article_id: int) -> ArticleTranslation | None:
    """One published translation with its body, article and its category's name and slug
    in the same language (``category_name``/``category_slug``, None without one)."""
    names = CategoryTranslation.objects.filter(
        category_id=OuterRef("article__category_id"), language=language
    )
    return (
        _published(store_id, language)
        .filter(article_id=article_id)
        .annotate(
            category_name=Subquery(names.values("name")[:1]),
            category_slug=Subquery(names.values("slug")[:1]),
        )
        .first()
    )


def published_policy(store_id: int, language: str, kind: str) -> ArticleTranslation | None:
    # "policy <> ''" lets the database use the partial unique index on (store, policy).
    return (
        _published(store_id, language)
        .filter(article__store_id=store_id, article__policy=kind)
        .exclude(article__policy="")
        .first()
    )


def translations_of(article_id: int) -> list[ArticleTranslation]:
    """Every published language of an article, for hreflang and the language switcher."""
    return list(
        ArticleTranslation.objects.filter(article_id=article_id, status=ArticleStatus.PUBLISHED)
        .select_related("article")
        .only("pk", "article_id", "language", "title", "slug", "article__policy")
    )


def policy_pages(store_id: int, language: str) -> dict[str, ArticleTranslation]:
    """The store's published policy pages in ``language``, by kind."""
    rows = (
        _published(store_id, language)
        .filter(article__store_id=store_id, article__policy__in=PolicyKind.values)
        .exclude(article__policy="")
        .only(*LIST_FIELDS)
    )
    return {row.article.policy: row for row in rows}


def most_viewed(store_id: int, language: str, limit: int = 5) -> list[ArticleTranslation]:
    """The most read articles. Ranking them reads every article of the language, so the
    ranking is kept a few minutes; the rows are read fresh (an article unpublished since
    drops out at once)."""
    key = f"help:most-viewed:{store_id}:{language}:{limit}"
    ids: list[int] | None = cache.get(key)
    if ids is None:
        ids = list(
            _published(store_id, language)
            .filter(views__gt=0, article__policy="")
            .order_by("-views", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        cache.set(key, ids, MOST_VIEWED_SECONDS)
    if not ids:
        return []
    rows = {
        row.pk: row for row in _published(store_id, language).filter(pk__in=ids).only(*LIST_FIELDS)
    }
    return [rows[pk] for pk in ids if pk in rows]


@dataclass(frozen=True)
class SitemapRow:
    article_id: int
    policy: str
    language: str
    slug: str
    updated_at: datetime


def sitemap_rows(store_id: int) -> list[SitemapRow]:
    """Every published translation of a store, grouped by article (one query, cached
    until the help center next changes)."""
    key = generation.cached_key(store_id, "sitemap")
    rows: list[SitemapRow] | None = cache.get(key)
    if rows is None:
        rows = _sitemap_rows(store_id)
        cache.set(key, rows, generation.CACHE_SECONDS)
    return rows


def _sitemap_rows(store_id: int) -> list[SitemapRow]:
    return [
        SitemapRow(*row)
        for row in ArticleTranslation.objects.filter(
            store_id=store_id, status=ArticleStatus.PUBLISHED
        )
        .order_by("article__position", "article_id", "language")
        .values_list("article_id", "article__policy", "language", "slug", "updated_at")
    ]
