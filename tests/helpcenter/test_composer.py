"""The composer's article picker: articles in the conversation's language, with the
link and the text a button puts into the reply."""

from __future__ import annotations

import html as htmllib
import re

from django.test import Client

from tests.conftest import SYSTEM, logged_in
from tests.helpcenter.conftest import publish
from tiski.agents.models import Agent
from tiski.conversations.models import Conversation
from tiski.helpcenter import links
from tiski.helpcenter.actions import ArticleText, save_article
from tiski.helpcenter.models import ArticleTranslation
from tiski.stores.models import Store


def picker(conversation: Conversation) -> str:
    return f"/conversations/{conversation.pk}/articles/"


def inserts(html: str, kind: str) -> list[str]:
    return [
        htmllib.unescape(value)
        for value in re.findall(rf'data-insert="([^"]*)" data-help-insert="{kind}"', html)
    ]


def test_search_in_the_conversations_language_gives_link_and_text(
    help_store: Store,
    owner_client: Client,
    conversation: Conversation,
    finnish_articles: dict[str, ArticleTranslation],
) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(language="fi")
    returns = finnish_articles["returns"]
    response = owner_client.get(picker(conversation), {"q": "palautukset"})
    assert response.status_code == 200
    html = response.content.decode()
    url = links.article_url(help_store, returns)
    assert url.startswith("http") and f"/fi/a/{returns.article_id}/" in url
    assert inserts(html, "link")[0] == url
    assert inserts(html, "text")[0] == returns.body_text
    assert "<mark>" in html  # the matched words are highlighted


def test_the_language_falls_back_and_can_be_switched(
    help_store: Store,
    owner_client: Client,
    conversation: Conversation,
    finnish_articles: dict[str, ArticleTranslation],
) -> None:
    swedish = publish(help_store, "sv", "Så returnerar du en vara", "Returnera inom 30 dagar.")
    # A customer writing in a language the store does not serve: the store's default (fi).
    Conversation.objects.filter(pk=conversation.pk).update(language="de")
    html = owner_client.get(picker(conversation), {"panel": "1"}).content.decode()
    assert '<option value="fi" selected>' in html
    assert 'id="help-q"' in html  # the whole panel, with its search box
    assert "Lahjakortit" in html  # nothing typed yet: the latest Finnish articles

    Conversation.objects.filter(pk=conversation.pk).update(language="sv")
    html = owner_client.get(picker(conversation), {"q": "returnera"}).content.decode()
    assert inserts(html, "link") == [links.article_url(help_store, swedish)]
    assert 'id="help-q"' not in html  # only the results
    # The agent switches to Finnish by hand.
    html = owner_client.get(picker(conversation), {"q": "palautus", "lang": "fi"}).content.decode()
    assert inserts(html, "link")[0] == links.article_url(help_store, finnish_articles["returns"])
    # A language the store does not serve is the conversation's again.
    html = owner_client.get(picker(conversation), {"q": "returnera", "lang": "pl"}).content.decode()
    assert inserts(html, "link") == [links.article_url(help_store, swedish)]


def test_drafts_are_not_offered(
    help_store: Store, owner_client: Client, conversation: Conversation
) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(language="fi")
    save_article(
        help_store,
        language="fi",
        text=ArticleText("Lahjapaperi", "Paketoimme lahjat."),
        actor=SYSTEM,
    )
    html = owner_client.get(picker(conversation), {"q": "lahjapaperi"}).content.decode()
    assert inserts(html, "link") == []
    assert "No published article" in html
    html = owner_client.get(picker(conversation)).content.decode()
    assert "Lahjapaperi" not in html


def test_hostile_input_is_safe(
    owner_client: Client,
    conversation: Conversation,
    finnish_articles: dict[str, ArticleTranslation],
) -> None:
    for q in ['"<script>alert(1)</script>', "palautus OR 1=1; --", "*" * 5000, "NEAR(a b)"]:
        response = owner_client.get(picker(conversation), {"q": q})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()


def test_only_agents_of_the_conversations_store(
    conversation: Conversation, outsider: Agent, teammate: Agent
) -> None:
    assert logged_in(outsider).get(picker(conversation), {"q": "x"}).status_code == 404
    # Any member answers customers, so any member may insert articles.
    assert logged_in(teammate).get(picker(conversation), {"q": "x"}).status_code == 200


def test_the_composer_has_the_button(owner_client: Client, conversation: Conversation) -> None:
    html = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'data-help-picker aria-expanded="false" aria-controls="help-picker"' in html
    assert f'data-url="{picker(conversation)}?panel=1"' in html
    assert "tiski/help-composer.js" in html
    assert 'href="/helpcenter/"' in html
