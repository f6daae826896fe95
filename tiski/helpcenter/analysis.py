"""Words to search terms, the same way for articles and for queries.

Finnish and Polish inflect heavily ("palautukset", "palautuksen"; "zwrotu", "zwroty"),
so a term is the word's Snowball stem, lower-cased and with diacritics folded ("zwróć"
and a customer's "zwroc" meet). Snowball's Finnish stemmer keeps the -ks- of the
inflected stem of -us nouns ("palautuks" from "palautukset" but "palautus" from
"palautus"); :func:`stem` folds those together. Stop words are dropped from queries and
documents: "miten palautan" must not require an article to contain "miten".

A full lemmatiser (simplemma) was measured here: 8 s to load and 850 MB resident for the
four languages, too much for a desk that must run on a small machine, so stems it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

STEMMERS = {"fi": "finnish", "pl": "polish", "sv": "swedish", "en": "english"}
WORD = re.compile(r"[^\W_]+")
# Longer "words" are hashes, URLs or garbage: indexing them only bloats the index.
MAX_WORD = 40

_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})
_FI_KS = re.compile(r"([aeiouyäö])ks$")


def _stop_words(listing: str) -> frozenset[str]:
    return frozenset(listing.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "fi": _stop_words(
        "ja on ei se että en olen ole oli ovat mitä miten miksi missä milloin kuinka kun jos "
        "mutta tai vai myös nyt voi voin voiko voinko saa saako saanko pitää täytyy minä mä "
        "sinä hän me te he tämä tuo nämä ne minun sinun meidän teidän mikä mitkä joka jotka "
        "kanssa kuin vielä jo sitten onko ettei siis hei moi kiitos"
    ),
    "pl": _stop_words(
        "i w na z do nie się to jest że o jak co czy a ale lub albo oraz by być mam ma mój "
        "moja moje jestem są był była dla po przez od przy ten ta te tego jak jaki jaka jakie "
        "kiedy gdzie dlaczego czemu można mogę może ile tak już jeszcze tylko też mi mnie "
        "ja ty on ona my wy oni u za pod nad bez dzień dobry witam proszę dziękuję"
    ),
    "sv": _stop_words(
        "och i att det som en ett är på för med av till den inte om har jag du han hon vi ni "
        "de man kan hur vad varför var när vilken vilket vilka min mitt mina din ditt eller "
        "men så också nu får ska skulle måste hej tack"
    ),
    "en": _stop_words(
        "a an the and or but if is are was were be been am do does did to of in on at for "
        "with from by as it its this that these those i me my we our you your he she they "
        "them what how why when where which who can could may might will would should "
        "not no yes there here have has had get please hi hello thanks"
    ),
}


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower-case, without diacritics: what a customer on any keyboard types."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    name = STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The search term of one lower-cased word (an unknown language only folds)."""
    stemmer = _stemmer(language)
    stemmed = stemmer.stemWord(word) if stemmer and not word.isdigit() else word
    if language == "fi":
        stemmed = _FI_KS.sub(r"\1s", stemmed)
    return fold(stemmed)


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased (NFKC, so ligatures and full-width forms count)."""
    normal = unicodedata.normalize("NFKC", text).lower()
    return [w for w in WORD.findall(normal) if len(w) <= MAX_WORD]


def is_stop_word(word: str, language: str) -> bool:
    stops = STOP_WORDS.get(language)
    return bool(stops) and (word in stops or fold(word) in stops)  # type: ignore[operator]


def terms(text: str, language: str) -> list[str]:
    """The indexable terms of ``text``: stems of its words, stop words left out."""
    return [stem(w, language) for w in words(text) if not is_stop_word(w, language)]
