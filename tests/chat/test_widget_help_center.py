"""The widget's way into the help center: the session tells it where to search while a
question is typed, and where the help center is, only when there is something to find
in the visitor's language."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.test.utils import override_settings

from tests.chat.test_chat_settings import session
from tests.chat.test_widget_file import WIDGET
from tests.conftest import SYSTEM
from tests.helpcenter.conftest import publish
from tiski.chat.strings import widget_strings
from tiski.helpcenter.actions import ArticleText, save_article, set_status
from tiski.helpcenter.models import ArticleStatus
from tiski.stores.actions import update_store
from tiski.stores.models import Store

HELP_KEYS = {"help_url", "suggest_url"}


@pytest.fixture
def help_store(store: Store) -> Store:
    return update_store(store, actor=SYSTEM, languages=["fi", "sv", "en"])


def store_config(store: Store, language: str) -> dict[str, object]:
    body = session(store, languages=[language])
    assert body["language"] == language
    return dict(body["store"])  # type: ignore[call-overload]


@override_settings(BASE_URL="https://configured.example")
def test_links_only_for_a_language_with_published_articles(
    help_store: Store, other_store: Store
) -> None:
    returns = publish(help_store, "fi", "Näin palautat tuotteen", "Palautus 30 päivän kuluessa.")
    save_article(help_store, language="sv", text=ArticleText("Returer", "Utkast."), actor=SYSTEM)
    update_store(other_store, actor=SYSTEM, languages=["pl", "en"])
    publish(other_store, "en", "Returns", "Another shop's article.")

    finnish = store_config(help_store, "fi")
    # On the desk as the widget reached it (its script's origin), whatever is configured.
    assert finnish["suggest_url"] == "http://testserver/help/revontuli/fi/suggest/"
    assert finnish["help_url"] == "http://testserver/help/revontuli/fi/"
    # A draft is not something to offer, nor is another shop's article.
    assert not HELP_KEYS & set(store_config(help_store, "sv"))
    assert not HELP_KEYS & set(store_config(help_store, "en"))

    set_status(returns, ArticleStatus.DRAFT, actor=SYSTEM)
    assert not HELP_KEYS & set(store_config(help_store, "fi"))


def test_a_help_center_on_its_own_domain(help_store: Store) -> None:
    store = update_store(help_store, actor=SYSTEM, help_domain="apua.revontuli.example")
    publish(store, "en", "Returning an item", "Return it within 30 days.")
    english = store_config(store, "en")
    # Searched on the desk, where the widget's script comes from; read on the shop's domain.
    assert english["suggest_url"] == "http://testserver/help/revontuli/en/suggest/"
    assert english["help_url"] == "https://apua.revontuli.example/en/"


def test_the_suggest_url_answers_with_the_article(help_store: Store) -> None:
    article = publish(help_store, "fi", "Näin palautat tuotteen", "Palautus 30 päivän kuluessa.")
    url = str(store_config(help_store, "fi")["suggest_url"])
    response = Client().get(urlsplit(url).path, {"q": "miten palautan"})
    assert response.status_code == 200
    [hit] = response.json()["results"]
    assert hit["title"] == article.title


def test_every_string_the_widget_shows_is_sent() -> None:
    source = WIDGET.read_text()
    used = set(re.findall(r"\bT\.(\w+)", source))
    assert {"help_center", "suggest_title", "suggest_hide"} <= used
    for language in ("fi", "pl", "sv", "en"):
        strings = widget_strings(language)
        assert used <= set(strings), (language, used - set(strings))
        # The screen reader's count, one string per number the widget can show.
        for count in (1, 2, 3):
            assert str(count) in strings[f"suggest_{count}"]
            assert "%(" not in strings[f"suggest_{count}"]
    english = widget_strings("en")
    assert (english["suggest_1"], english["suggest_3"]) == (
        "1 article might help",
        "3 articles might help",
    )


def test_the_return_portal_is_offered_in_the_visitors_language(help_store: Store) -> None:
    config = store_config(help_store, "sv")
    url = str(config["returns_url"])
    assert url == "http://testserver/returns/revontuli/?lang=sv"
    assert Client().get(urlsplit(url).path, {"lang": "sv"}).status_code == 200
    assert "return_items" in set(re.findall(r"\bT\.(\w+)", WIDGET.read_text()))
