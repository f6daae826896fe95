"""Reads behind the agents' help center pages: the article list grouped by category,
one article's translations side by side, and the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, QuerySet

from tiski.helpcenter.models import (
    Article,
    ArticleStatus,
    ArticleTranslation,
    Category,
    CategoryTranslation,
    PolicyKind,
    SearchQuery,
)
from tiski.stores.models import Store

MISSING = "missing"
STATES = (ArticleStatus.PUBLISHED.value, ArticleStatus.DRAFT.value, MISSING)
REPORT_LIMIT = 50


def helpful_percent(translation: ArticleTranslation) -> int | None:
    votes = translation.helpful + translation.not_helpful
    return round(100 * translation.helpful / votes) if votes else None


@dataclass
class LanguageCell:
    language: str
    translation: ArticleTranslation | None

    @property
    def state(self) -> str:
        return self.translation.status if self.translation else MISSING

    @property
    def helpful(self) -> int | None:
        return helpful_percent(self.translation) if self.translation else None


@dataclass
class ArticleRow:
    article: Article
    title: str
    cells: list[LanguageCell]


@dataclass
class CategorySection:
    category: Category | None
    name: str
    rows: list[ArticleRow] = field(default_factory=list)


@dataclass
class PolicyRow:
    kind: str
    label: str
    row: ArticleRow | None


def title_of(translations: dict[str, ArticleTranslation], languages: list[str]) -> str:
    """An article's name in the first language it has, in the store's order."""
    for language in languages:
        if language in translations:
            return translations[language].title
    return next(iter(translations.values())).title if translations else "—"


def category_names(store: Store, languages: list[str]) -> dict[int, str]:
    """Each category's name in the first of ``languages`` it has one in."""
    names: dict[int, str] = {}
    rank = {language: i for i, language in enumerate(languages)}
    best: dict[int, int] = {}
    for t in CategoryTranslation.objects.filter(store=store).only(
        "category_id", "language", "name"
    ):
        r = rank.get(t.language, len(rank))
        if t.category_id not in best or r < best[t.category_id]:
            best[t.category_id], names[t.category_id] = r, t.name
    return names


def _keep(row: ArticleRow, language: str, state: str) -> bool:
    cells = [c for c in row.cells if not language or c.language == language]
    return not state or any(c.state == state for c in cells)


def article_sections(
    store: Store, *, language: str = "", state: str = ""
) -> tuple[list[CategorySection], list[PolicyRow]]:
    """The store's articles by category (in the categories' order, uncategorised last)
    and its policy pages, each with its translations in every served language."""
    languages = store.served_languages()
    shown = [language] if language else languages
    by_article: dict[int, dict[str, ArticleTranslation]] = {}
    for t in ArticleTranslation.objects.filter(store=store).only(
        "pk",
        "article_id",
        "language",
        "title",
        "status",
        "updated_at",
        "views",
        "helpful",
        "not_helpful",
    ):
        by_article.setdefault(t.article_id, {})[t.language] = t
    names = category_names(store, languages)
    sections = {
        c.pk: CategorySection(c, names.get(c.pk, f"#{c.pk}"))
        for c in Category.objects.filter(store=store)
    }
    loose = CategorySection(None, "")
    policies: dict[str, ArticleRow] = {}
    for article in Article.objects.filter(store=store):
        translations = by_article.get(article.pk, {})
        row = ArticleRow(
            article,
            title_of(translations, languages),
            [LanguageCell(lang, translations.get(lang)) for lang in shown],
        )
        if article.policy:
            policies[article.policy] = row
            continue
        if not _keep(row, language, state):
            continue
        section = sections.get(article.category_id or 0, loose)
        section.rows.append(row)
    result = list(sections.values())
    if loose.rows:
        result.append(loose)
    policy_rows = [
        PolicyRow(kind.value, str(kind.label), policies.get(kind.value)) for kind in PolicyKind
    ]
    return result, policy_rows


def translations_of(article: Article) -> dict[str, ArticleTranslation]:
    return {t.language: t for t in article.translations.all()}


def unanswered_searches(store: Store, language: str = "") -> QuerySet[SearchQuery]:
    """What customers searched for and did not find, most often missed first."""
    rows = SearchQuery.objects.filter(store=store, without_results__gt=0)
    if language:
        rows = rows.filter(language=language)
    return rows.order_by("-without_results", "-searches", "-last_searched_at", "query")[
        :REPORT_LIMIT
    ]


def top_articles(store: Store, language: str = "") -> QuerySet[ArticleTranslation]:
    """The most read translations, with their votes."""
    rows = ArticleTranslation.objects.filter(store=store, views__gt=0)
    if language:
        rows = rows.filter(language=language)
    return (
        rows.select_related("article")
        .annotate(votes=F("helpful") + F("not_helpful"))
        .order_by("-views", "-helpful", "pk")[:REPORT_LIMIT]
    )
