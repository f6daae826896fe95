"""Help center fixtures: a few real-sounding articles per language in the Finnish
store (which serves fi, sv and en) and the Polish one (pl, en)."""

from __future__ import annotations

import pytest

from tests.conftest import SYSTEM
from tiski.helpcenter.actions import ArticleText, save_article, save_category
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.stores.actions import update_store
from tiski.stores.models import Store

FINNISH = {
    "returns": (
        "Näin palautat tuotteen",
        "Voit palauttaa tilatut tuotteet 30 päivän kuluessa. Tulosta palautuslomake, "
        "pakkaa tuote alkuperäiseen pakkaukseen ja vie paketti Postiin. Palautukset "
        "käsitellään viikon kuluessa, ja rahat palautetaan samalle maksutavalle.",
    ),
    "delivery": (
        "Toimitusajat ja toimitustavat",
        "Toimitamme tilaukset Postin ja Matkahuollon kautta. Toimitus kestää yleensä "
        "1–3 arkipäivää. Seuraa pakettia seurantakoodilla, jonka saat sähköpostiin.",
    ),
    "warranty": (
        "Takuu ja viallinen tuote",
        "Jos tuote on viallinen, tee reklamaatio. Kaikilla tuotteillamme on vähintään "
        "vuoden takuu, ja kuluttajansuojalain mukaiset oikeudet ovat aina voimassa.",
    ),
    "giftcard": (
        "Lahjakortit",
        "Lahjakortti on voimassa vuoden ostopäivästä. Lahjakortin saldo näkyy "
        "kassalla, kun syötät koodin.",
    ),
}
POLISH = {
    "returns": (
        "Jak zwrócić towar",
        "Masz 14 dni na odstąpienie od umowy. Zwroty przyjmujemy w oryginalnym "
        "opakowaniu. Pieniądze oddamy w ciągu 14 dni na konto, z którego zapłaciłeś.",
    ),
    "delivery": (
        "Dostawa i czas wysyłki",
        "Wysyłamy kurierem InPost i do paczkomatów. Dostawa trwa zwykle 1–2 dni "
        "robocze. Numer przesyłki wyślemy e-mailem.",
    ),
    "complaint": (
        "Reklamacja wadliwego produktu",
        "Jeśli produkt jest wadliwy, złóż reklamację przez formularz. Odpowiemy na "
        "reklamację w ciągu 14 dni.",
    ),
}


def publish(store: Store, language: str, title: str, body: str) -> ArticleTranslation:
    return save_article(
        store,
        language=language,
        text=ArticleText(title, body),
        actor=SYSTEM,
        status=ArticleStatus.PUBLISHED,
    )


@pytest.fixture
def help_store(store: Store) -> Store:
    return update_store(store, actor=SYSTEM, languages=["fi", "sv", "en"])


@pytest.fixture
def finnish_articles(help_store: Store) -> dict[str, ArticleTranslation]:
    category = save_category(help_store, names={"fi": ("Tilaukset", "")}, actor=SYSTEM)
    return {
        key: save_article(
            help_store,
            language="fi",
            text=ArticleText(title, body),
            actor=SYSTEM,
            category=category,
            status=ArticleStatus.PUBLISHED,
        )
        for key, (title, body) in FINNISH.items()
    }


@pytest.fixture
def polish_articles(other_store: Store) -> dict[str, ArticleTranslation]:
    return {key: publish(other_store, "pl", *text) for key, text in POLISH.items()}
