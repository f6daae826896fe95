"""Highlighted titles and snippets: the words a query matched, marked in the original
text (the index only has stems, so matching is redone here on the few results shown)."""

from __future__ import annotations

import re
from collections import Counter

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tiski.helpcenter.analysis import WORD, fold, stem
from tiski.helpcenter.query import Group

SNIPPET_WORDS = 28
# Snippets come from the start of long articles: customers read the first match anyway,
# and stemming a whole 200 KB article for one line would cost more than the search.
SNIPPET_SCAN_CHARS = 2500


class _Matcher:
    """Which query group a word of the text matches. One regular expression over every
    group rejects most words in one step; answers are memoised, since articles repeat
    their words and a snippet looks at hundreds of them."""

    def __init__(self, groups: list[Group], language: str) -> None:
        self.language = language
        self.seen: dict[str, int | None] = {}
        parts = [f"(?P<g{i}>{group.pattern()})" for i, group in enumerate(groups)]
        self.any = re.compile("|".join(parts)) if parts else None

    def __call__(self, word: str) -> int | None:
        lower = word.lower()
        if lower in self.seen:
            return self.seen[lower]
        found = None
        if self.any is not None:
            match = self.any.match(stem(lower, self.language)) or self.any.match(fold(lower))
            if match is not None and match.lastgroup:
                found = int(match.lastgroup[1:])
        self.seen[lower] = found
        return found


def highlight(
    text: str, groups: list[Group], language: str, matcher: _Matcher | None = None
) -> SafeString:
    """All of ``text``, escaped, with matched words in ``<mark>``."""
    matched = matcher or _Matcher(groups, language)
    out: list[str] = []
    last = 0
    for m in WORD.finditer(text):
        if matched(m.group()) is not None:
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
    matcher = _Matcher(groups, language)
    hits = [(i, g) for i, m in enumerate(found) if (g := matcher(m.group())) is not None]
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
    body = highlight(scanned[begin_at:end_at], groups, language, matcher)
    prefix = "… " if begin_at > 0 else ""
    suffix = " …" if end_at < len(text.rstrip()) else ""
    return mark_safe(escape(prefix) + body + escape(suffix))  # noqa: S308 - escaped
