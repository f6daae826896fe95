"""Spelling correction for search: the terms a store's articles in one language use.

A word the vocabulary does not know gets the known terms within one delete of it on
either side (symmetric delete: one wrong, missing, extra or swapped letter), the most
common first. The vocabulary is built from the search documents the first time a
correction is needed and kept per process until the index changes (its count and
newest ``indexed_at`` are the version, one indexed query per search).
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from tiski.helpcenter.models import SearchDocument

MIN_CORRECTABLE = 4
MAX_CORRECTIONS = 3


@dataclass
class Vocabulary:
    frequency: Counter[str]
    by_delete: dict[str, list[str]]
    ordered: list[str]

    @classmethod
    def build(cls, documents: list[tuple[str, str]]) -> Vocabulary:
        frequency: Counter[str] = Counter()
        for title, body in documents:
            frequency.update(set(title.split()) | set(body.split()))
        by_delete: dict[str, list[str]] = defaultdict(list)
        for term in frequency:
            if len(term) < MIN_CORRECTABLE - 1 or term.isdigit():
                continue
            for key in _deletes(term) | {term}:
                by_delete[key].append(term)
        return cls(frequency, dict(by_delete), sorted(frequency))

    def knows(self, term: str) -> bool:
        return term in self.frequency

    def knows_prefix(self, term: str) -> bool:
        at = bisect.bisect_left(self.ordered, term)
        return at < len(self.ordered) and self.ordered[at].startswith(term)

    def corrections(self, term: str) -> list[str]:
        if len(term) < MIN_CORRECTABLE or term.isdigit():
            return []
        found: set[str] = set()
        for key in _deletes(term) | {term}:
            found.update(self.by_delete.get(key, ()))
        found.discard(term)
        close = [t for t in found if _distance_at_most_two(term, t)]
        close.sort(key=lambda t: (-self.frequency[t], t))
        return close[:MAX_CORRECTIONS]


def _deletes(term: str) -> set[str]:
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def _distance_at_most_two(a: str, b: str) -> bool:
    """Symmetric deletes can pair words two edits apart (a delete on each side); keep
    those, but not pairs that only share a deleted letter in different places."""
    if abs(len(a) - len(b)) > 1:
        return False
    edits = sum(1 for x, y in zip(a, b, strict=False) if x != y)
    if len(a) == len(b):
        return edits <= 2
    # One letter more or less: some single deletion of the longer makes the shorter.
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return shorter in _deletes(longer) or edits <= 2


_cache: dict[tuple[int, str], tuple[tuple[int, datetime | None], Vocabulary]] = {}
_lock = threading.Lock()


def vocabulary(store_id: int, language: str) -> Vocabulary:
    docs = SearchDocument.objects.filter(store_id=store_id, language=language)
    state = docs.aggregate(n=Count("pk"), newest=Max("indexed_at"))
    version = (state["n"], state["newest"])
    key = (store_id, language)
    cached = _cache.get(key)
    if cached and cached[0] == version:
        return cached[1]
    built = Vocabulary.build(list(docs.values_list("title_terms", "body_terms")))
    with _lock:
        _cache[key] = (version, built)
    return built
