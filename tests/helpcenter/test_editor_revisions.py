"""An article's history in the editor: the list, one revision against the current
text, and restoring an old one."""

from __future__ import annotations

from django.test import Client

from tests.conftest import logged_in
from tiski.agents.models import Agent
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.helpcenter.revision_views import diff_lines
from tiski.helpcenter.search import search
from tiski.stores.models import Store


def history(translation: ArticleTranslation) -> str:
    return f"/helpcenter/articles/{translation.article_id}/{translation.language}/revisions/"


def edit(client: Client, translation: ArticleTranslation, title: str, body: str) -> None:
    response = client.post(
        f"/helpcenter/articles/{translation.article_id}/{translation.language}/",
        {"title": title, "body": body, "intent": "save"},
    )
    assert response.status_code == 302


def test_history_lists_every_saved_version_with_its_author(
    owner_client: Client, owner: Agent, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    edit(owner_client, article, "Palautukset", "Palauta 60 päivässä.")
    page = owner_client.get(history(article))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<tr>") == 3  # the header and two revisions
    assert owner.name in html  # revision 2
    assert "tests" in html  # revision 1, saved by the fixtures' system actor
    assert f"{history(article)}2/" in html and f"{history(article)}1/" in html


def test_a_revision_shows_what_changed_since(
    owner_client: Client, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["giftcard"]
    edit(
        owner_client,
        article,
        "Lahjakortit ja saldo",
        "Lahjakortti on voimassa kaksi vuotta.\n\nSaldo näkyy kassalla.",
    )
    html = owner_client.get(f"{history(article)}1/").content.decode()
    assert "Restore this revision" in html
    assert "<del>Lahjakortit</del> → <ins>Lahjakortit ja saldo</ins>" in html
    assert 'class="hc-diff-add">+ Lahjakortti on voimassa kaksi vuotta.' in html
    assert 'class="hc-diff-remove">- Lahjakortti on voimassa vuoden' in html
    current = owner_client.get(f"{history(article)}2/").content.decode()
    assert "This is the current text." in current
    assert "Restore this revision" not in current
    assert owner_client.get(f"{history(article)}9/").status_code == 404


def test_restoring_an_old_revision_makes_it_current_as_a_new_one(
    help_store: Store,
    owner_client: Client,
    owner: Agent,
    finnish_articles: dict[str, ArticleTranslation],
) -> None:
    article = finnish_articles["returns"]
    edit(owner_client, article, "Palautukset", "Kaikki palautukset maksavat 5 euroa.")
    assert search(help_store.pk, "fi", "euroa").hits

    # Restoring is a POST; a GET of the restore URL changes nothing.
    assert owner_client.get(f"{history(article)}1/restore/").status_code == 405
    response = owner_client.post(f"{history(article)}1/restore/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.revision == 3
    assert article.title == "Näin palautat tuotteen"
    assert article.body.startswith("Voit palauttaa tilatut tuotteet 30 päivän kuluessa.")
    assert article.status == ArticleStatus.PUBLISHED
    newest = article.revisions.first()
    assert newest is not None and newest.author_id == owner.pk
    # The search index follows the restored text.
    assert search(help_store.pk, "fi", "euroa").hits == []
    page = owner_client.get(response["Location"])
    assert "Revision 1 is the current text again (saved as revision 3)." in page.content.decode()
    assert owner_client.post(f"{history(article)}42/restore/").status_code == 404


def test_a_teammate_without_the_right_cannot_restore(
    teammate: Agent, owner_client: Client, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    article = finnish_articles["returns"]
    edit(owner_client, article, "Palautukset", "Uusi teksti.")
    client = logged_in(teammate)
    assert client.get(history(article)).status_code == 403
    assert client.post(f"{history(article)}1/restore/").status_code == 403
    article.refresh_from_db()
    assert article.revision == 2


def test_diff_lines_mark_added_and_removed_lines() -> None:
    lines = diff_lines("a\nb\nc", "a\nB\nc\nd")
    assert [(line.kind, line.text) for line in lines if line.kind != "hunk"] == [
        ("context", "a"),
        ("remove", "b"),
        ("add", "B"),
        ("context", "c"),
        ("add", "d"),
    ]
    assert diff_lines("same", "same") == []
