"""Help center search: one interface over SQLite FTS5 and PostgreSQL full-text search.

``search(store, language, text)`` answers in up to three passes (with every word as its
known stems and their most common completions, see ``query.expand``), each only when the
one before found too little:

1. every query word must match (its stem, or what it is the start of);
   (words the store's articles never use, nor begin with, are replaced by the known
   words one or two typing slips away: spelling corrections);
2. long stems are shortened to their root, then any word may match (a question with a
   word no article has still finds the articles about its other words).

Earlier passes rank first. Only published translations are indexed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from tiski.helpcenter import engines
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.helpcenter.query import Group, expand, parse, relaxed
from tiski.helpcenter.snippets import highlight, snippet
from tiski.helpcenter.vocabulary import vocabulary

DEFAULT_LIMIT = 10
MAX_LIMIT = 50


@dataclass
class Hit:
    translation: ArticleTranslation
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class Results:
    query: str
    hits: list[Hit]


def find_ids(store_id: int, language: str, text: str, limit: int) -> tuple[list[int], list[Group]]:
    groups = parse(text, language)
    if not groups:
        return [], []
    known = vocabulary(store_id, language)
    expand(groups, known)
    for group in groups:
        if any(known.knows(term) for term in group.terms):
            continue
        # A word no article uses, nor begins: perhaps a typo.
        for alternative in list(group.alternatives):
            for term in known.corrections(alternative.term):
                group.add(term)
                group.terms.append(term)
    ids = engines.match(store_id, language, groups, every=True, limit=limit)
    if len(ids) < limit:
        loose = relaxed(groups)
        expand(loose, known)
        for group, original in zip(loose, groups, strict=True):
            group.terms = list(dict.fromkeys(original.terms + group.terms))
        ids = _merge(ids, engines.match(store_id, language, loose, every=True, limit=limit))
        if len(ids) < limit and len(groups) > 1:
            ids = _merge(ids, engines.match(store_id, language, loose, every=False, limit=limit))
        groups = loose
    return ids[:limit], groups


def _merge(first: list[int], then: list[int]) -> list[int]:
    seen = set(first)
    return first + [i for i in then if i not in seen]


def search(
    store_id: int,
    language: str,
    text: str,
    *,
    limit: int = DEFAULT_LIMIT,
    snippets: bool = True,
) -> Results:
    """Published articles of one store and language matching ``text``, best first."""
    limit = max(1, min(limit, MAX_LIMIT))
    ids, groups = find_ids(store_id, language, text, limit)
    if not ids:
        return Results(text, [])
    fields = ["pk", "article_id", "language", "title", "slug", "summary", "updated_at"]
    if snippets:
        fields.append("body_text")
    rows = {
        t.pk: t
        for t in ArticleTranslation.objects.filter(pk__in=ids, status=ArticleStatus.PUBLISHED)
        .select_related("article")
        .only(*fields, "article__policy", "article__category_id")
    }
    hits = []
    for pk in ids:
        translation = rows.get(pk)
        if translation is None:
            continue
        hits.append(
            Hit(
                translation,
                highlight(translation.title, groups, language),
                snippet(translation.body_text, groups, language) if snippets else SafeString(""),
            )
        )
    return Results(text, hits)
