"""A customer's search text as engine-neutral term groups.

A query is a list of groups; an article matches when it matches every group (strict)
or any group (relaxed). A group holds the alternatives of one query word: its stem,
as a prefix when long enough (so "palaut" from "palauttaa" finds "palautus", and a
half-typed word finds its article while the customer types), and spelling corrections
from the vocabulary when the word is not in it.

Engines never see a prefix: ``expand`` turns each into the vocabulary's most common
words that start with it. An FTS prefix query over a common stem ("retur*" in a
Swedish help center of compound words) merges hundreds of posting lists and ranks
every article; eight known words cost a tenth of that and find the same articles
first. Only terms from the vocabulary or the analyser reach an engine: letters and
digits, so no FTS or SQL syntax can pass through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tiski.helpcenter.analysis import fold, is_stop_word, stem, words

if TYPE_CHECKING:
    from tiski.helpcenter.vocabulary import Vocabulary

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
# A prefix shorter than this matches half the vocabulary.
MIN_PREFIX = 3
# Known words searched for one prefix.
COMPLETIONS = 6


@dataclass(frozen=True)
class Alternative:
    term: str
    prefix: bool = False


@dataclass
class Group:
    word: str
    alternatives: list[Alternative] = field(default_factory=list)
    # What engines search for: exact, known terms (set by ``expand``).
    terms: list[str] = field(default_factory=list)

    def add(self, term: str, prefix: bool = False) -> None:
        if not term or not term.isalnum():
            return
        if prefix and len(term) < MIN_PREFIX:
            prefix = False
        candidate = Alternative(term, prefix)
        if candidate not in self.alternatives:
            self.alternatives.append(candidate)

    def pattern(self) -> str:
        """A regular expression matching the words this group finds: a prefix
        alternative matches what starts with it, any other only itself (highlighting)."""
        parts = [re.escape(a.term) + ("" if a.prefix else r"\Z") for a in self.alternatives]
        return "(?:" + "|".join(parts) + ")"


def expand(groups: list[Group], vocabulary: Vocabulary) -> None:
    """Give each group the known terms engines search for: its exact alternatives the
    vocabulary has, and the most common completions of its prefixes."""
    for group in groups:
        found: list[str] = []
        for alternative in group.alternatives:
            if alternative.prefix:
                found.extend(vocabulary.completions(alternative.term, COMPLETIONS))
            if not alternative.prefix or len(alternative.term) >= MIN_PREFIX + 2:
                # Searched even when the vocabulary does not know it (yet): another
                # process may have just published the article that has it.
                found.append(alternative.term)
        group.terms = list(dict.fromkeys(found))


def parse(text: str, language: str) -> list[Group]:
    """Groups for ``text``; empty when nothing searchable is left.

    Only the last word is taken as a prefix, and only while it may still be being
    typed (no space or punctuation after it): the words before it are whole, and
    searching "towar" as a prefix would also find "towarzysz".
    """
    text = text[:MAX_QUERY_CHARS]
    found = words(text)
    meaningful = [w for w in found if not is_stop_word(w, language)] or found
    meaningful = meaningful[:MAX_QUERY_WORDS]
    typing = bool(text) and text[-1].isalnum()
    groups: list[Group] = []
    for n, word in enumerate(meaningful):
        prefix = typing and n == len(meaningful) - 1 and word == found[-1]
        group = Group(word)
        group.add(stem(word, language), prefix=prefix)
        # A half-typed word stems oddly ("palau" is not a word); its folded text as a
        # prefix still finds what it is the start of.
        group.add(fold(word), prefix=prefix)
        if any(g.alternatives == group.alternatives for g in groups):
            continue
        groups.append(group)
    return [g for g in groups if g.alternatives]


def relaxed(groups: list[Group]) -> list[Group]:
    """Groups with each long stem shortened by two letters, as a prefix: Finnish and
    Polish derive words from one root ("palautus", "palauttaa"; "zwrot", "zwracać")."""
    loose: list[Group] = []
    for group in groups:
        copy = Group(group.word, list(group.alternatives), list(group.terms))
        for alternative in group.alternatives:
            if len(alternative.term) >= 7:
                copy.add(alternative.term[: max(5, len(alternative.term) - 2)], prefix=True)
        loose.append(copy)
    return loose
