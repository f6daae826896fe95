"""The help center's writes: revisions, states, slugs, refusals, events, counters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import SYSTEM
from tiski.core.errors import ActionError
from tiski.helpcenter.actions import (
    ArticleText,
    record_search,
    record_view,
    record_vote,
    restore_revision,
    save_article,
    save_category,
    set_status,
)
from tiski.helpcenter.models import (
    MAX_BODY_CHARS,
    Article,
    ArticleRevision,
    ArticleStatus,
    ArticleTranslation,
    SearchDocument,
    SearchQuery,
)
from tiski.stores.models import Store


def write(
    store: Store, title: str = "Toimitus", body: str = "Lähetämme arkisin.", **extra: Any
) -> ArticleTranslation:
    return save_article(
        store,
        language=extra.pop("language", "fi"),
        text=ArticleText(title, body),
        actor=SYSTEM,
        **extra,
    )


def test_a_new_article_is_a_draft_with_its_first_revision(help_store: Store) -> None:
    draft = write(help_store, body="**Lähetämme** arkisin.")
    assert draft.status == ArticleStatus.DRAFT and draft.published_at is None
    assert draft.body_html == "<p><strong>Lähetämme</strong> arkisin.</p>\n"
    assert draft.body_text == "Lähetämme arkisin."
    assert draft.slug == "toimitus"
    assert list(draft.revisions.values_list("number", "status")) == [(1, "draft")]
    assert not SearchDocument.objects.exists()


def test_every_change_is_a_revision_and_saving_the_same_text_is_not(help_store: Store) -> None:
    draft = write(help_store)
    first_updated = draft.updated_at
    again = write(help_store, article=draft.article)
    assert again.revision == 1  # nothing changed, nothing written
    changed = write(help_store, body="Lähetämme myös lauantaisin.", article=draft.article)
    assert changed.revision == 2 and changed.updated_at >= first_updated
    published = set_status(changed, ArticleStatus.PUBLISHED, actor=SYSTEM)
    assert published.revision == 3 and published.published_at is not None
    # Publishing is not an edit: customers' "updated on" stays.
    assert published.updated_at == changed.updated_at
    assert [r.body for r in ArticleRevision.objects.filter(translation=published)] == [
        "Lähetämme myös lauantaisin.",
        "Lähetämme myös lauantaisin.",
        "Lähetämme arkisin.",
    ]


def test_restoring_an_old_revision_keeps_the_history(help_store: Store) -> None:
    first = write(help_store, body="Vanha teksti.")
    write(help_store, body="Uusi teksti.", article=first.article)
    restored = restore_revision(first, 1, actor=SYSTEM)
    assert restored.body == "Vanha teksti." and restored.revision == 3
    assert ArticleRevision.objects.filter(translation=restored).count() == 3
    with pytest.raises(ActionError):
        restore_revision(first, 99, actor=SYSTEM)


def test_translations_share_the_article_and_slugs_stay_unique(help_store: Store) -> None:
    finnish = write(help_store, "Toimitus")
    swedish = write(
        help_store, "Leverans", "Vi skickar på vardagar.", language="sv", article=finnish.article
    )
    assert swedish.article_id == finnish.article_id
    assert set(finnish.article.translations.values_list("language", flat=True)) == {"fi", "sv"}
    other = write(help_store, "Toimitus!")
    assert other.slug == "toimitus-2"
    assert write(help_store, "Ääkköset ja Łódź").slug == "ääkköset-ja-łódź"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (ArticleText("", "Teksti."), "title"),
        (ArticleText("   ", "Teksti."), "title"),
        (ArticleText("x" * 201, "Teksti."), "title"),
        (ArticleText("Otsikko", "   "), "body"),
        (ArticleText("Otsikko", "x" * (MAX_BODY_CHARS + 1)), "body"),
        (ArticleText("Otsikko", "Teksti\x00"), "body"),
        (ArticleText("Otsikko", "Teksti.", summary="y" * 301), "summary"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(
    help_store: Store, text: ArticleText, field: str
) -> None:
    with pytest.raises(ActionError) as refused:
        save_article(help_store, language="fi", text=text, actor=SYSTEM)
    assert refused.value.field == field
    assert not Article.objects.exists() and not ArticleRevision.objects.exists()


def test_languages_policies_and_categories_are_checked(
    help_store: Store, other_store: Store
) -> None:
    with pytest.raises(ActionError) as refused:
        write(help_store, language="pl")
    assert refused.value.field == "language"
    with pytest.raises(ActionError):
        write(help_store, language="xx'; --")
    foreign = save_category(other_store, names={"pl": ("Zwroty", "")}, actor=SYSTEM)
    with pytest.raises(ActionError):
        write(help_store, category=foreign)
    write(help_store, "Palautusehdot", policy="returns")
    with pytest.raises(ActionError):
        write(help_store, "Toiset palautusehdot", policy="returns")
    with pytest.raises(ActionError):
        write(help_store, policy="cookies")
    assert Article.objects.count() == 1


def test_a_huge_article_within_the_limit_renders(help_store: Store) -> None:
    paragraph = "Palautus onnistuu helposti. " * 40 + "\n\n"
    body = (paragraph * (MAX_BODY_CHARS // len(paragraph)))[:MAX_BODY_CHARS]
    saved = write(help_store, body=body, status=ArticleStatus.PUBLISHED)
    assert saved.body_html.count("<p>") >= 100
    assert SearchDocument.objects.filter(translation=saved).exists()


def test_saving_publishes_an_event_for_subscribers_only(
    help_store: Store, record: Callable[[], Any]
) -> None:
    with record() as events:
        saved = write(help_store, status=ArticleStatus.PUBLISHED)
    assert [(e.type, e.translation_id, e.status) for e in events] == [
        ("help_article.saved", saved.pk, "published")
    ]
    assert events[0].groups() == []  # not pushed to every agent's inbox socket


def test_counters(help_store: Store, finnish_articles: dict[str, ArticleTranslation]) -> None:
    article = finnish_articles["returns"]
    record_view(article.pk)
    record_view(article.pk)
    record_vote(article.pk, helpful=True)
    record_vote(article.pk, helpful=False)
    record_vote(article.pk, helpful=False)
    article.refresh_from_db()
    assert (article.views, article.helpful, article.not_helpful) == (2, 1, 2)
    record_search(help_store, "fi", "  Avaruus-asema?! ", results=0)
    record_search(help_store, "fi", "avaruus asema", results=0)
    record_search(help_store, "pl", "zwrot", results=0)  # a language the store lacks
    assert list(SearchQuery.objects.values_list("query", "searches", "without_results")) == [
        ("avaruus asema", 2, 2)
    ]
