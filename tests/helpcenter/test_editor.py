"""The agents' help center editor: who may do what, and what saving, publishing and
previewing do."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import logged_in, make_agent
from tiski.agents.models import Agent, Membership
from tiski.helpcenter.models import (
    MAX_BODY_CHARS,
    Article,
    ArticleRevision,
    ArticleStatus,
    ArticleTranslation,
    Category,
    PolicyKind,
)
from tiski.helpcenter.search import search
from tiski.stores.models import Store


def editor(pk: int, language: str) -> str:
    return f"/helpcenter/articles/{pk}/{language}/"


def form(title: str, body: str, intent: str = "save", **extra: str) -> dict[str, str]:
    return {"title": title, "body": body, "intent": intent, "summary": "", "slug": "", **extra}


@pytest.fixture
def helper(help_store: Store) -> Agent:
    """A teammate the owner let edit the help center."""
    agent = make_agent("helper@revontuli.example", "Heikki Helppari", help_store)
    Membership.objects.filter(agent=agent, store=help_store).update(edits_help_center=True)
    return agent


@pytest.fixture
def article(finnish_articles: dict[str, ArticleTranslation]) -> ArticleTranslation:
    return finnish_articles["returns"]


# --- who may do what ---------------------------------------------------------------------


def test_owner_and_helper_edit_teammate_reads_outsider_sees_nothing(
    help_store: Store,
    article: ArticleTranslation,
    owner: Agent,
    teammate: Agent,
    helper: Agent,
    outsider: Agent,
) -> None:
    pk = article.article_id
    store_urls = [
        "/helpcenter/?store=revontuli",
        "/helpcenter/report/?store=revontuli",
    ]
    edit_urls = [
        editor(pk, "fi"),
        editor(pk, "sv"),
        f"{editor(pk, 'fi')}revisions/",
        f"{editor(pk, 'fi')}revisions/1/",
        "/helpcenter/new/?store=revontuli",
        "/helpcenter/categories/?store=revontuli",
    ]
    for agent in (owner, helper):
        client = logged_in(agent)
        for url in store_urls + edit_urls:
            assert client.get(url).status_code == 200, (agent.name, url)

    # A teammate without the right reads the list and the report, and edits nothing.
    client = logged_in(teammate)
    page = client.get("/helpcenter/")
    assert page.status_code == 200
    assert "Näin palautat tuotteen" in page.content.decode()
    assert "New article" not in page.content.decode()
    assert editor(pk, "fi") not in page.content.decode()
    assert client.get("/helpcenter/report/").status_code == 200
    for url in edit_urls:
        assert client.get(url).status_code == 403, url
    response = client.post(editor(pk, "fi"), form("Hijacked", "Hijacked"))
    assert response.status_code == 403
    assert client.post(f"/helpcenter/articles/{pk}/delete/").status_code == 403
    article.refresh_from_db()
    assert article.title == "Näin palautat tuotteen"

    # Someone from another store: every URL of this store is "not found", even the
    # ones that would change something.
    client = logged_in(outsider)
    for url in store_urls + edit_urls:
        assert client.get(url).status_code == 404, url
    assert client.post(editor(pk, "fi"), form("Przejęte", "Przejęte")).status_code == 404
    assert client.post(f"/helpcenter/articles/{pk}/delete/").status_code == 404
    assert client.post(f"{editor(pk, 'fi')}revisions/1/restore/").status_code == 404
    assert client.post("/helpcenter/preview/?store=revontuli", {"body": "x"}).status_code == 404
    assert Article.objects.filter(pk=pk).exists()
    # Their own help center is theirs, and it does not list the Finnish store.
    own = client.get("/helpcenter/")
    assert own.status_code == 200
    assert "revontuli" not in own.content.decode().lower()


def test_anonymous_visitors_are_sent_to_log_in(article: ArticleTranslation) -> None:
    response = Client().get(editor(article.article_id, "fi"))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_languages_the_store_does_not_serve_are_not_found(
    owner_client: Client, article: ArticleTranslation
) -> None:
    assert owner_client.get(editor(article.article_id, "pl")).status_code == 404
    assert owner_client.get(editor(article.article_id, "xx")).status_code == 404


def test_csrf_is_checked(owner: Agent, article: ArticleTranslation) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(editor(article.article_id, "fi"), form("Uusi", "Uusi teksti"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Näin palautat tuotteen"


# --- writing -----------------------------------------------------------------------------


def test_new_article_is_a_draft_with_a_first_revision(
    help_store: Store, owner_client: Client, owner: Agent
) -> None:
    category = Category.objects.create(store=help_store)
    response = owner_client.post(
        f"/helpcenter/new/?store=revontuli&lang=fi&category={category.pk}",
        form(
            "Maksutavat",
            "Hyväksymme **kortit** ja MobilePayn.",
            category=str(category.pk),
            summary="Miten voit maksaa.",
        ),
    )
    translation = ArticleTranslation.objects.get(title="Maksutavat")
    assert response.status_code == 302
    assert response["Location"] == editor(translation.article_id, "fi")
    assert translation.status == ArticleStatus.DRAFT
    assert translation.language == "fi"
    assert translation.article.category == category
    assert translation.summary == "Miten voit maksaa."
    assert "<strong>kortit</strong>" in translation.body_html
    [revision] = translation.revisions.all()
    assert (revision.number, revision.author_id, revision.status) == (1, owner.pk, "draft")
    # A draft is not searchable.
    assert search(help_store.pk, "fi", "maksutavat").hits == []
    page = owner_client.get(response["Location"])
    assert "Draft saved." in page.content.decode()


def test_saving_creates_a_revision_and_publish_unpublish_reach_search(
    help_store: Store, owner_client: Client, article: ArticleTranslation
) -> None:
    url = editor(article.article_id, "fi")
    assert [h.translation.pk for h in search(help_store.pk, "fi", "palautus").hits][:1] == [
        article.pk
    ]

    owner_client.post(url, form("Näin palautat tuotteen", "Palautusaika on 60 päivää."))
    article.refresh_from_db()
    assert article.revision == 2
    assert article.status == ArticleStatus.PUBLISHED  # saving keeps it published
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]
    assert [h.translation.pk for h in search(help_store.pk, "fi", "palautusaika").hits] == [
        article.pk
    ]

    response = owner_client.post(url, form(article.title, article.body, intent="unpublish"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert search(help_store.pk, "fi", "palautusaika").hits == []

    owner_client.post(url, form(article.title, article.body, intent="publish"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert [h.translation.pk for h in search(help_store.pk, "fi", "palautusaika").hits] == [
        article.pk
    ]
    assert article.revision == 4


def test_adding_a_translation_shows_the_source_beside_it(
    help_store: Store, owner_client: Client, article: ArticleTranslation
) -> None:
    page = owner_client.get(editor(article.article_id, "sv") + "?from=fi")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Add the Swedish translation" in html
    assert "Original (Finnish)" in html
    assert "Voit palauttaa tilatut tuotteet 30 päivän kuluessa." in html
    # The translations line: fi is there, sv is being added, en is missing.
    assert f'href="{editor(article.article_id, "fi")}"' in html
    assert f'href="{editor(article.article_id, "en")}?from=sv"' in html

    response = owner_client.post(
        editor(article.article_id, "sv"),
        form("Så returnerar du en vara", "Du kan returnera varor inom 30 dagar.", "publish"),
    )
    assert response.status_code == 302
    swedish = ArticleTranslation.objects.get(article=article.article, language="sv")
    assert swedish.is_published
    assert search(help_store.pk, "sv", "returnera").hits[0].translation == swedish
    html = owner_client.get(editor(article.article_id, "fi")).content.decode()
    assert f'href="{editor(article.article_id, "sv")}"' in html


def test_action_errors_show_at_their_field_and_nothing_is_saved(
    owner_client: Client, article: ArticleTranslation
) -> None:
    url = editor(article.article_id, "fi")
    response = owner_client.post(url, form("", "Teksti ilman otsikkoa"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_title-error"' in html or "The article needs a title." in html
    assert "The article needs a title." in html
    # What was typed stays in the form.
    assert "Teksti ilman otsikkoa" in html
    article.refresh_from_db()
    assert article.revision == 1


def test_an_oversize_body_is_refused_with_a_clear_message(
    owner_client: Client, help_store: Store, article: ArticleTranslation
) -> None:
    huge = "palautus " * (MAX_BODY_CHARS // 9 + 10)
    response = owner_client.post(editor(article.article_id, "fi"), form("Iso", huge, "publish"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "An article is at most 200,000 characters" in html
    assert 'id="body-error"' in html
    article.refresh_from_db()
    assert (article.title, article.revision) == ("Näin palautat tuotteen", 1)

    before = Article.objects.count()
    response = owner_client.post("/helpcenter/new/?store=revontuli&lang=fi", form("Iso", huge))
    assert response.status_code == 422
    assert Article.objects.count() == before
    assert not ArticleRevision.objects.filter(title="Iso").exists()


def test_a_category_of_another_store_is_refused(
    owner_client: Client, article: ArticleTranslation, other_store: Store
) -> None:
    foreign = Category.objects.create(store=other_store)
    response = owner_client.post(
        editor(article.article_id, "fi"),
        form("Näin palautat tuotteen", "Uusi teksti", category=str(foreign.pk)),
    )
    assert response.status_code == 422
    article.refresh_from_db()
    assert article.revision == 1


def test_policy_pages_are_listed_and_created_once(help_store: Store, owner_client: Client) -> None:
    html = owner_client.get("/helpcenter/").content.decode()
    assert "Store policies" in html
    assert "/helpcenter/new/?store=revontuli&amp;policy=returns&amp;lang=fi" in html
    url = "/helpcenter/new/?store=revontuli&policy=returns&lang=fi"
    response = owner_client.post(url, form("Palautusehdot", "Palautusaika on 30 päivää."))
    assert response.status_code == 302
    article = Article.objects.get(store=help_store, policy=PolicyKind.RETURNS)
    # The "create" link of an existing policy page leads to its editor instead.
    assert owner_client.get(url)["Location"] == editor(article.pk, "fi")
    html = owner_client.get("/helpcenter/").content.decode()
    assert "Palautusehdot" in html
    assert "/helpcenter/new/?store=revontuli&amp;policy=returns" not in html
    assert owner_client.get("/helpcenter/new/?store=revontuli&policy=nope").status_code == 404


def test_delete_an_article(
    help_store: Store, owner_client: Client, article: ArticleTranslation
) -> None:
    response = owner_client.post(f"/helpcenter/articles/{article.article_id}/delete/")
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.article_id).exists()
    hits = search(help_store.pk, "fi", "palautus").hits
    assert article.pk not in [hit.translation.pk for hit in hits]
    assert owner_client.get(editor(article.article_id, "fi")).status_code == 404


# --- the list ----------------------------------------------------------------------------


def test_list_groups_by_category_with_states_and_filters(
    help_store: Store, owner_client: Client, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    returns = finnish_articles["returns"]
    ArticleTranslation.objects.filter(pk=returns.pk).update(views=40, helpful=3, not_helpful=1)
    owner_client.post(editor(returns.article_id, "sv"), form("Returer", "Returnera inom 30 dagar."))
    html = owner_client.get("/helpcenter/").content.decode()
    assert "Tilaukset" in html  # the category
    assert "40 views" in html
    assert "75 % helpful" in html
    # sv and en of each of the four Finnish articles are missing, but for one Swedish draft.
    assert html.count("hc-cell-missing") == 4 * 2 - 1
    assert html.count("hc-cell-draft") == 1

    drafts = owner_client.get("/helpcenter/?language=sv&state=draft").content.decode()
    assert "Näin palautat tuotteen" in drafts
    assert "Toimitusajat ja toimitustavat" not in drafts
    published_sv = owner_client.get("/helpcenter/?language=sv&state=published").content.decode()
    assert "Näin palautat tuotteen" not in published_sv
    missing_sv = owner_client.get("/helpcenter/?language=sv&state=missing").content.decode()
    assert "Toimitusajat ja toimitustavat" in missing_sv
    assert "Näin palautat tuotteen" not in missing_sv
    # Nonsense filters are ignored, not errors.
    assert owner_client.get("/helpcenter/?language=xx&state=<b>").status_code == 200


def test_store_picker_for_agents_of_several_stores(
    help_store: Store, other_store: Store, owner: Agent, owner_client: Client
) -> None:
    from tests.conftest import SYSTEM
    from tiski.agents.actions import add_membership

    add_membership(owner, other_store, role="agent", actor=SYSTEM)
    html = owner_client.get("/helpcenter/?store=kubek").content.decode()
    assert 'name="store"' in html and 'value="revontuli"' in html
    assert 'value="kubek" selected' in html
    # An agent in Kubek may read its list but (no flag) not edit it.
    assert owner_client.get("/helpcenter/new/?store=kubek").status_code == 403
    assert owner_client.get("/helpcenter/?store=nowhere").status_code == 404


# --- the live preview --------------------------------------------------------------------


def test_preview_renders_markdown_and_strips_script(owner_client: Client) -> None:
    body = (
        "## Palautus\n\n**Tärkeää:** lue [ehdot](https://example.fi/ehdot).\n\n"
        "<script>alert(1)</script>\n\n[klikkaa](javascript:alert(1))\n\n"
        '<img src=x onerror="alert(1)">'
    )
    response = owner_client.post("/helpcenter/preview/?store=revontuli", {"body": body})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Palautus</h2>" in html
    assert "<strong>Tärkeää:</strong>" in html
    assert 'href="https://example.fi/ehdot"' in html
    # Raw HTML shows as text, and a javascript: link is no link at all.
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript' not in html.lower()
    assert html.count("<a ") == 1


def test_preview_of_an_oversize_body_says_so(owner_client: Client) -> None:
    response = owner_client.post(
        "/helpcenter/preview/?store=revontuli", {"body": "a" * (MAX_BODY_CHARS + 1)}
    )
    assert response.status_code == 200
    assert "longer than 200,000 characters" in response.content.decode()


def test_preview_needs_the_right_to_edit(help_store: Store, teammate: Agent) -> None:
    response = logged_in(teammate).post("/helpcenter/preview/?store=revontuli", {"body": "x"})
    assert response.status_code == 403
    assert logged_in(teammate).get("/helpcenter/preview/?store=revontuli").status_code == 405
