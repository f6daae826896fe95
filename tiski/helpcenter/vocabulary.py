"""Spelling correction for search: the terms a store's articles in one language use.

A word the vocabulary does not know gets the known terms within one delete of it on
either side (symmetric delete: one wrong, missing, extra or swapped letter), the most
common first. The vocabulary is built from the search documents the first time a
search needs it and kept per process until the index changes (its count and newest
``indexed_at`` are the version, checked at most every ``RECHECK_SECONDS``).
"""

from __future__ import annotations

import bisect
import heapq
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max

from tiski.helpcenter.models import SearchDocument

MIN_CORRECTABLE = 4
MAX_CORRECTIONS = 3
# Completions of a short prefix are chosen among this many words (in order).
MAX_COMPLETION_SCAN = 5000


@dataclass
class Vocabulary:
    frequency: Counter[str]
    by_delete: dict[str, list[str]]
    ordered: list[str]
    _completed: dict[tuple[str, int], list[str]] = field(default_factory=dict)

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

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The ``limit`` most common known words starting with ``prefix``."""
        key = (prefix, limit)
        if key not in self._completed:
            if len(self._completed) > 50_000:
                self._completed.clear()
            self._completed[key] = self._complete(prefix, limit)
        return self._completed[key]

    def _complete(self, prefix: str, limit: int) -> list[str]:
        at = bisect.bisect_left(self.ordered, prefix)
        candidates = []
        for term in self.ordered[at : at + MAX_COMPLETION_SCAN]:
            if not term.startswith(prefix):
                break
            candidates.append(term)
        if len(candidates) <= limit:
            return candidates
        # The word itself first: "retur" before "returrätt", however common that is.
        best = heapq.nlargest(limit, candidates, key=lambda t: (t == prefix, self.frequency[t]))
        return best

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


# A new article is searchable at once (the engine has it); only its words' part in
# completions and corrections waits this long, in each process.
RECHECK_SECONDS = 2.0
_cache: dict[tuple[int, str], tuple[tuple[int, datetime | None], float, Vocabulary]] = {}
_lock = threading.Lock()


def forget(store_id: int, language: str) -> None:
    """This process changed the index: the next search rebuilds the vocabulary."""
    with _lock:
        _cache.pop((store_id, language), None)


def vocabulary(store_id: int, language: str) -> Vocabulary:
    key = (store_id, language)
    cached = _cache.get(key)
    now = time.monotonic()
    if cached and now - cached[1] < RECHECK_SECONDS:
        return cached[2]
    docs = SearchDocument.objects.filter(store_id=store_id, language=language)
    state = docs.aggregate(n=Count("pk"), newest=Max("indexed_at"))
    version = (state["n"], state["newest"])
    if cached and cached[0] == version:
        built = cached[2]
    else:
        built = Vocabulary.build(list(docs.values_list("title_terms", "body_terms")))
    with _lock:
        _cache[key] = (version, now, built)
    return built
