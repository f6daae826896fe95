"""A customer's search text as engine-neutral term groups.

A query is a list of groups; an article matches when it matches every group (strict)
or any group (relaxed). A group holds the alternatives of one query word: its stem,
as a prefix when long enough (so "palaut" from "palauttaa" finds "palautus", and a
half-typed word finds its article while the customer types), and spelling corrections
from the vocabulary when the word is not in it. Only stems the analyser made reach an
engine: they are letters and digits only, so no FTS or SQL syntax can pass through.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tiski.helpcenter.analysis import fold, is_stop_word, stem, words

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
# A prefix shorter than this matches half the vocabulary.
MIN_PREFIX = 3


@dataclass(frozen=True)
class Alternative:
    term: str
    prefix: bool = False


@dataclass
class Group:
    word: str
    alternatives: list[Alternative] = field(default_factory=list)

    def add(self, term: str, prefix: bool = False) -> None:
        if not term or not term.isalnum():
            return
        if prefix and len(term) < MIN_PREFIX:
            prefix = False
        candidate = Alternative(term, prefix)
        if candidate not in self.alternatives:
            self.alternatives.append(candidate)

    def matches(self, term: str) -> bool:
        return any(
            term.startswith(a.term) if a.prefix else term == a.term for a in self.alternatives
        )


def parse(text: str, language: str) -> list[Group]:
    """Groups for ``text``; empty when nothing searchable is left."""
    found = words(text[:MAX_QUERY_CHARS])
    meaningful = [w for w in found if not is_stop_word(w, language)] or found
    groups: list[Group] = []
    for word in meaningful[:MAX_QUERY_WORDS]:
        group = Group(word)
        stemmed = stem(word, language)
        group.add(stemmed, prefix=True)
        # A half-typed word stems oddly ("palau" is not a word); its folded text as a
        # prefix still finds what it is the start of.
        group.add(fold(word), prefix=True)
        if any(g.alternatives == group.alternatives for g in groups):
            continue
        groups.append(group)
    return [g for g in groups if g.alternatives]


def relaxed(groups: list[Group]) -> list[Group]:
    """Groups with each long stem shortened by two letters, as a prefix: Finnish and
    Polish derive words from one root ("palautus", "palauttaa"; "zwrot", "zwracać")."""
    loose: list[Group] = []
    for group in groups:
        copy = Group(group.word, list(group.alternatives))
        for alternative in group.alternatives:
            if len(alternative.term) >= 7:
                copy.add(alternative.term[: max(5, len(alternative.term) - 2)], prefix=True)
        loose.append(copy)
    return loose
