"""Search quality per language: inflected and misspelled queries find the article
written with other forms of the word; nothing typed can break the engine."""

from __future__ import annotations

import pytest

from tests.conftest import SYSTEM
from tiski.helpcenter.actions import ArticleText, delete_article, save_article, set_status
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.helpcenter.search import search
from tiski.stores.models import Store

from .conftest import publish


def titles(store: Store, language: str, query: str) -> list[str]:
    return [hit.translation.title for hit in search(store.pk, language, query).hits]


def first(store: Store, language: str, query: str) -> str | None:
    found = titles(store, language, query)
    return found[0] if found else None


@pytest.mark.parametrize(
    "query",
    ["palautus", "palautukset", "palautuksen", "palauttaa", "palautan", "Miten palautan?"],
)
def test_finnish_inflections_find_the_returns_article(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation], query: str
) -> None:
    assert first(help_store, "fi", query) == "Näin palautat tuotteen"


@pytest.mark.parametrize("query", ["toimitus", "toimituksen", "toimitusaika", "toimitukset"])
def test_finnish_delivery_forms(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation], query: str
) -> None:
    assert first(help_store, "fi", query) == "Toimitusajat ja toimitustavat"


@pytest.mark.parametrize(
    "query", ["zwrot", "zwrotu", "zwroty", "zwrócić", "zwrocic", "jak zwrócić buty"]
)
def test_polish_inflections_find_the_returns_article(
    other_store: Store, polish_articles: dict[str, ArticleTranslation], query: str
) -> None:
    assert first(other_store, "pl", query) == "Jak zwrócić towar"


@pytest.mark.parametrize("query", ["reklamacja", "reklamacji", "reklamację", "reklamacje"])
def test_polish_complaint_forms(
    other_store: Store, polish_articles: dict[str, ArticleTranslation], query: str
) -> None:
    assert first(other_store, "pl", query) == "Reklamacja wadliwego produktu"


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fi", "lahjakotti", "Lahjakortit"),  # a letter missing
        ("fi", "takuuu", "Takuu ja viallinen tuote"),  # a letter too many
        ("fi", "toimitsu", "Toimitusajat ja toimitustavat"),  # two letters swapped
    ],
)
def test_typos_are_forgiven(
    help_store: Store,
    finnish_articles: dict[str, ArticleTranslation],
    language: str,
    query: str,
    expected: str,
) -> None:
    results = search(help_store.pk, language, query)
    assert results.hits and results.hits[0].translation.title == expected


def test_polish_typo(other_store: Store, polish_articles: dict[str, ArticleTranslation]) -> None:
    assert first(other_store, "pl", "reklamcja") == "Reklamacja wadliwego produktu"


def test_swedish_and_english(help_store: Store) -> None:
    publish(help_store, "sv", "Returer och återbetalning", "Du kan returnera varan inom 30 dagar.")
    publish(help_store, "en", "Returns and refunds", "You can return an item within 30 days.")
    assert first(help_store, "sv", "returnera") == "Returer och återbetalning"
    assert first(help_store, "sv", "returen") == "Returer och återbetalning"
    assert first(help_store, "en", "returning") == "Returns and refunds"
    # Languages do not mix: the Finnish search does not offer the Swedish text.
    assert titles(help_store, "fi", "returnera") == []


def test_half_typed_word_finds_its_article(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    assert first(help_store, "fi", "lahjak") == "Lahjakortit"
    assert first(help_store, "fi", "palau") == "Näin palautat tuotteen"


def test_title_match_ranks_above_body_mention(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    # "reklamaatio" is in the warranty article's body only; "takuu" is in its title.
    publish(help_store, "fi", "Reklamaatio", "Näin teet reklamaation viallisesta tuotteesta.")
    assert titles(help_store, "fi", "reklamaatio")[0] == "Reklamaatio"


def test_every_word_must_match_before_any_word_may(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    found = titles(help_store, "fi", "lahjakortin saldo")
    assert found[0] == "Lahjakortit"
    # A question with a word no article has still finds the articles about the rest.
    assert first(help_store, "fi", "lahjakortin saldo avaruusasema") == "Lahjakortit"


def test_snippet_highlights_the_inflected_words(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    hit = search(help_store.pk, "fi", "palautus").hits[0]
    assert "<mark>Palautukset</mark>" in hit.snippet_html
    assert "<mark>" in hit.title_html  # "palautat" in the title


def test_snippet_escapes_article_text(help_store: Store) -> None:
    publish(help_store, "fi", "Koodi", "Kirjoita <script>alert(1)</script> koodi kenttään.")
    hit = search(help_store.pk, "fi", "koodi").hits[0]
    assert "<script>" not in hit.snippet_html
    assert "&lt;/script&gt;" in hit.snippet_html


def test_drafts_and_deleted_articles_are_not_found(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    draft = save_article(
        help_store, language="fi", text=ArticleText("Kierrätys", "Kierrätä pakkaus."), actor=SYSTEM
    )
    assert titles(help_store, "fi", "kierrätys") == []
    set_status(draft, ArticleStatus.PUBLISHED, actor=SYSTEM)
    assert titles(help_store, "fi", "kierrätys") == ["Kierrätys"]
    set_status(draft, ArticleStatus.DRAFT, actor=SYSTEM)
    assert titles(help_store, "fi", "kierrätys") == []
    delete_article(finnish_articles["giftcard"].article, actor=SYSTEM)
    assert titles(help_store, "fi", "lahjakortti") == []


def test_edits_are_searchable_at_once(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    giftcard = finnish_articles["giftcard"]
    save_article(
        help_store,
        language="fi",
        text=ArticleText("Lahjakortit", "Lahjakortin voi käyttää myös myymälässä."),
        actor=SYSTEM,
        article=giftcard.article,
    )
    assert first(help_store, "fi", "myymälä") == "Lahjakortit"
    assert titles(help_store, "fi", "saldo") == []


def test_stores_do_not_see_each_others_articles(
    help_store: Store,
    other_store: Store,
    finnish_articles: dict[str, ArticleTranslation],
) -> None:
    publish(other_store, "pl", "Karta podarunkowa", "Lahjakortti po polsku to karta.")
    assert titles(other_store, "pl", "lahjakortti") == ["Karta podarunkowa"]
    assert "Karta podarunkowa" not in titles(help_store, "fi", "lahjakortti")


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "palautus AND OR NOT",
        "palautus*",
        "title:palautus",
        "NEAR(palautus toimitus)",
        "'; DROP TABLE helpcenter_searchdocument; --",
        "%_%",
        "^palautus",
        "(((",
        "palautus:*",
        "a & b | !c",
        "\x00palautus",
        "ä" * 5000,
        "",
        "   ",
        "😀 palautus 😀",
        "-palautus",
        "palautus" * 100,
    ],
)
def test_query_syntax_is_just_text(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation], query: str
) -> None:
    results = search(help_store.pk, "fi", query)
    assert isinstance(results.hits, list)
    if "palautus" in query and "toimitus" not in query and len(query) < 300:
        assert results.hits and results.hits[0].translation.title == "Näin palautat tuotteen"


def test_unknown_language_searches_without_error(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    assert search(help_store.pk, "xx", "palautus").hits == []
    assert search(help_store.pk, "de'; --", "palautus").hits == []
