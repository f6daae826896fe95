"""Highlighted titles and snippets: the words a query matched, marked in the original
text (the index only has stems, so matching is redone here on the few results shown)."""

from __future__ import annotations

from collections import Counter

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tiski.helpcenter.analysis import WORD, fold, stem
from tiski.helpcenter.query import Group

SNIPPET_WORDS = 28
# Snippets come from the start of long articles: customers read the first match anyway,
# and stemming a whole 200 KB article for one line would cost more than the search.
SNIPPET_SCAN_CHARS = 6000


def _matched(word: str, groups: list[Group], language: str) -> int | None:
    lower = word.lower()
    term, folded = stem(lower, language), fold(lower)
    for index, group in enumerate(groups):
        if group.matches(term) or group.matches(folded):
            return index
    return None


def highlight(text: str, groups: list[Group], language: str) -> SafeString:
    """All of ``text``, escaped, with matched words in ``<mark>``."""
    out: list[str] = []
    last = 0
    for m in WORD.finditer(text):
        if _matched(m.group(), groups, language) is not None:
            out.append(escape(text[last : m.start()]))
            out.append(f"<mark>{escape(m.group())}</mark>")
            last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def snippet(text: str, groups: list[Group], language: str) -> SafeString:
    """About ``SNIPPET_WORDS`` words around the densest run of matches, highlighted."""
    scanned = text[:SNIPPET_SCAN_CHARS]
    found = list(WORD.finditer(scanned))
    if not found:
        return mark_safe("")
    hits = [
        (i, g)
        for i, m in enumerate(found)
        if (g := _matched(m.group(), groups, language)) is not None
    ]
    start = max(0, hits[0][0] - 4) if hits else 0
    # Sliding window over the hits: the first run of SNIPPET_WORDS words that matches
    # the most different query words wins.
    counts: Counter[int] = Counter()
    best, right = 0, 0
    for left, (i, _g) in enumerate(hits):
        while right < len(hits) and hits[right][0] < i + SNIPPET_WORDS:
            counts[hits[right][1]] += 1
            right += 1
        if len(counts) > best:
            best, start = len(counts), max(0, i - 4)
        counts[hits[left][1]] -= 1
        if not counts[hits[left][1]]:
            del counts[hits[left][1]]
    end = min(len(found), start + SNIPPET_WORDS)
    begin_at = found[start].start() if start else 0
    end_at = found[end - 1].end() if end < len(found) else len(scanned)
    body = highlight(scanned[begin_at:end_at], groups, language)
    prefix = "… " if begin_at > 0 else ""
    suffix = " …" if end_at < len(text.rstrip()) else ""
    return mark_safe(escape(prefix) + body + escape(suffix))  # noqa: S308 - escaped
