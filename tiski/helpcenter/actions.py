"""Every write to the help center: categories, articles and their translations,
revisions, the search index, and the counters customers move (views, votes, searches).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tiski.core import clock
from tiski.core.actors import Actor, ActorKind
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.helpcenter import engines, generation, vocabulary
from tiski.helpcenter.analysis import fold, terms, words
from tiski.helpcenter.events import ArticleDeleted, ArticleSaved, CategoryDeleted, CategorySaved
from tiski.helpcenter.models import (
    MAX_BODY_CHARS,
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
    Article,
    ArticleRevision,
    ArticleStatus,
    ArticleTranslation,
    Category,
    CategoryTranslation,
    PolicyKind,
    SearchDocument,
    SearchQuery,
)
from tiski.helpcenter.query import MAX_QUERY_CHARS
from tiski.helpcenter.rendering import html_to_text, render_markdown
from tiski.stores.models import Store

MAX_SLUG = 120


def _language_name(code: str) -> str:
    """The language's name in the reader's language; an unknown code as typed."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code[:8]


def _language(store: Store, language: str) -> str:
    if language not in store.served_languages():
        raise ActionError(
            _("%(store)s does not serve customers in “%(language)s”.")
            % {"store": store.name, "language": _language_name(language)},
            field="language",
        )
    return language


def _unique_slug(model: type, store: Store, language: str, wanted: str, own_pk: int | None) -> str:
    base = (slugify(wanted, allow_unicode=True) or "article")[: MAX_SLUG - 6].strip("-")
    slug, n = base, 1
    taken = model.objects.filter(store=store, language=language)  # type: ignore[attr-defined]
    if own_pk is not None:
        taken = taken.exclude(pk=own_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def save_category(
    store: Store,
    *,
    names: dict[str, tuple[str, str]],
    actor: Actor,
    category: Category | None = None,
    position: int | None = None,
) -> Category:
    """Create or rename a category; ``names`` maps language to (name, description)."""
    if not names:
        raise ActionError(_("Give the category a name in at least one language."), field="name")
    if category is None:
        category = Category.objects.create(store=store, position=position or 0)
    elif category.store_id != store.pk:
        raise ActionError(_("That category belongs to another store."))
    elif position is not None:
        category.position = position
        category.save(update_fields=["position"])
    for language, (name, description) in names.items():
        _language(store, language)
        name = " ".join(name.split())
        if not name or len(name) > 120:
            raise ActionError(_("A category name is 1 to 120 characters."), field="name")
        existing = CategoryTranslation.objects.filter(category=category, language=language).first()
        slug = _unique_slug(
            CategoryTranslation, store, language, name, existing.pk if existing else None
        )
        CategoryTranslation.objects.update_or_create(
            category=category,
            language=language,
            defaults={
                "store": store,
                "name": name,
                "slug": slug,
                "description": " ".join(description.split())[:300],
            },
        )
    generation.changed(store.pk)
    publish(
        CategorySaved(
            store_id=store.pk, actor=actor, category_id=category.pk, languages=sorted(names)
        )
    )
    return category


@transaction.atomic
def delete_category(category: Category, *, actor: Actor) -> None:
    """Delete an empty category. One with articles stays: deleting it would silently
    move them out of their place in the help center, so the editor moves them first."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    if category.articles.exists():
        raise ActionError(
            _("Move or delete the articles in this category before deleting it."),
            code="not_empty",
        )
    store_id, pk = category.store_id, category.pk
    category.delete()
    generation.changed(store_id)
    publish(CategoryDeleted(store_id=store_id, actor=actor, category_id=pk))


@dataclass(frozen=True)
class ArticleText:
    """What an editor writes for one language of an article."""

    title: str
    body: str
    summary: str = ""
    slug: str = ""

    def cleaned(self) -> ArticleText:
        title = " ".join(self.title.split())
        summary = " ".join(self.summary.split())
        if not title:
            raise ActionError(_("The article needs a title."), field="title")
        if len(title) > MAX_TITLE_CHARS:
            raise ActionError(
                _("A title is at most %(n)d characters.") % {"n": MAX_TITLE_CHARS}, field="title"
            )
        if len(summary) > MAX_SUMMARY_CHARS:
            raise ActionError(
                _("A summary is at most %(n)d characters.") % {"n": MAX_SUMMARY_CHARS},
                field="summary",
            )
        if not self.body.strip():
            raise ActionError(_("The article needs some text."), field="body")
        if len(self.body) > MAX_BODY_CHARS:
            raise ActionError(
                _("An article is at most %(n)s characters; split this one in two.")
                % {"n": number_format(MAX_BODY_CHARS, force_grouping=True)},
                field="body",
            )
        if "\x00" in self.body or "\x00" in title:
            raise ActionError(_("The text contains a NUL character."), field="body")
        return ArticleText(title, self.body.replace("\r\n", "\n"), summary, self.slug.strip())


@transaction.atomic
def save_article(
    store: Store,
    *,
    language: str,
    text: ArticleText,
    actor: Actor,
    article: Article | None = None,
    category: Category | None = None,
    policy: str = "",
    status: str | None = None,
) -> ArticleTranslation:
    """Create or change one language of an article, keeping every version as a revision.

    A new article takes ``category`` and ``policy``; ``status`` publishes or unpublishes
    at the same time (None keeps the current state; new translations start as drafts).
    """
    _language(store, language)
    clean = text.cleaned()
    if category is not None and category.store_id != store.pk:
        raise ActionError(_("That category belongs to another store."), field="category")
    if status is not None and status not in ArticleStatus.values:
        raise ActionError(_("Unknown article status."), field="status")
    if article is None:
        if policy and policy not in PolicyKind.values:
            raise ActionError(_("Unknown policy page."), field="policy")
        if policy and Article.objects.filter(store=store, policy=policy).exists():
            raise ActionError(_("This store already has that policy page."), field="policy")
        article = Article.objects.create(store=store, category=category, policy=policy)
    elif article.store_id != store.pk:
        raise ActionError(_("That article belongs to another store."))
    elif category is not None and article.category_id != category.pk:
        article.category = category
        article.save(update_fields=["category"])

    translation = (
        ArticleTranslation.objects.select_for_update()
        .filter(article=article, language=language)
        .first()
    )
    now = clock.now()
    new_status = status or (translation.status if translation else ArticleStatus.DRAFT)
    slug = _unique_slug(
        ArticleTranslation,
        store,
        language,
        clean.slug or (translation.slug if translation else clean.title),
        translation.pk if translation else None,
    )
    changed_text = translation is None or (
        translation.title,
        translation.body,
        translation.summary,
    ) != (clean.title, clean.body, clean.summary)
    if translation is None:
        translation = ArticleTranslation(
            article=article, store=store, language=language, updated_at=now, revision=0
        )
    if not changed_text and translation.status == new_status and translation.slug == slug:
        return translation
    body_html = render_markdown(clean.body) if changed_text else translation.body_html
    translation.title = clean.title
    translation.summary = clean.summary
    translation.body = clean.body
    translation.body_html = body_html
    translation.body_text = html_to_text(body_html) if changed_text else translation.body_text
    translation.slug = slug
    if changed_text:
        translation.updated_at = now
    if new_status == ArticleStatus.PUBLISHED and translation.status != new_status:
        translation.published_at = translation.published_at or now
    translation.status = new_status
    translation.revision += 1
    try:
        with transaction.atomic():
            translation.save()
    except IntegrityError as exc:
        # Two editors adding the same language at once: the second one is told.
        raise ActionError(_("Someone else just saved this article; reload it.")) from exc
    ArticleRevision.objects.create(
        translation=translation,
        number=translation.revision,
        title=translation.title,
        summary=translation.summary,
        body=translation.body,
        status=translation.status,
        author_id=actor.id if actor.kind is ActorKind.AGENT else None,
        author_name=actor.name,
        created_at=now,
    )
    _reindex(translation)
    publish(
        ArticleSaved(
            store_id=store.pk,
            actor=actor,
            article_id=article.pk,
            translation_id=translation.pk,
            language=language,
            revision=translation.revision,
            status=translation.status,
        )
    )
    return translation


def _forget_vocabulary(store_id: int, language: str) -> None:
    # Now, for this thread's next search, and again on commit, in case another thread
    # rebuilt it from what it could see before the commit.
    vocabulary.forget(store_id, language)
    transaction.on_commit(lambda: vocabulary.forget(store_id, language))
    generation.changed(store_id)


def _reindex(translation: ArticleTranslation) -> None:
    """Published translations are searchable, drafts are not."""
    if translation.status != ArticleStatus.PUBLISHED:
        SearchDocument.objects.filter(translation=translation).delete()
        engines.unindex(translation.pk)
        _forget_vocabulary(translation.store_id, translation.language)
        return
    language = translation.language
    title = " ".join(terms(translation.title, language))
    body = " ".join(terms(f"{translation.summary}\n{translation.body_text}", language))
    SearchDocument.objects.update_or_create(
        translation=translation,
        defaults={
            "store_id": translation.store_id,
            "language": language,
            "title_terms": title,
            "body_terms": body,
            "indexed_at": clock.now(),
        },
    )
    engines.index(translation.pk, translation.store_id, language, title, body)
    _forget_vocabulary(translation.store_id, language)


def set_status(translation: ArticleTranslation, status: str, *, actor: Actor) -> ArticleTranslation:
    """Publish or unpublish one language of an article."""
    text = ArticleText(translation.title, translation.body, translation.summary, translation.slug)
    return save_article(
        translation.article.store,
        language=translation.language,
        text=text,
        actor=actor,
        article=translation.article,
        status=status,
    )


def restore_revision(
    translation: ArticleTranslation, number: int, *, actor: Actor
) -> ArticleTranslation:
    """Make an earlier revision's text the current one (itself a new revision)."""
    revision = ArticleRevision.objects.filter(translation=translation, number=number).first()
    if revision is None:
        raise ActionError(_("There is no such revision."), code="not_found")
    text = ArticleText(revision.title, revision.body, revision.summary, translation.slug)
    return save_article(
        translation.article.store,
        language=translation.language,
        text=text,
        actor=actor,
        article=translation.article,
    )


@transaction.atomic
def delete_article(article: Article, *, actor: Actor) -> None:
    """Delete an article in every language, with its revisions and search entries."""
    for pk in article.translations.values_list("pk", flat=True):
        engines.unindex(pk)
    store_id, pk = article.store_id, article.pk
    article.delete()
    generation.changed(store_id)
    publish(ArticleDeleted(store_id=store_id, actor=actor, article_id=pk))


def record_view(translation_id: int) -> None:
    """One customer read the article. A single UPDATE: no read, no lock held."""
    ArticleTranslation.objects.filter(pk=translation_id).update(views=F("views") + 1)


def record_vote(translation_id: int, *, helpful: bool) -> None:
    field = "helpful" if helpful else "not_helpful"
    ArticleTranslation.objects.filter(pk=translation_id).update(**{field: F(field) + 1})


def normalize_query(text: str) -> str:
    """The form searches are counted under: folded words, one space, no punctuation."""
    return " ".join(fold(w) for w in words(text[:MAX_QUERY_CHARS]))[:200]


def record_search(store: Store, language: str, text: str, *, results: int) -> None:
    """Count a customer's search; the report lists the ones that found nothing."""
    query = normalize_query(text)
    if not query or language not in store.served_languages():
        return
    now = clock.now()
    missed = 1 if results == 0 else 0
    updated = SearchQuery.objects.filter(store=store, language=language, query=query).update(
        searches=F("searches") + 1,
        without_results=F("without_results") + missed,
        last_results=results,
        last_searched_at=now,
    )
    if updated:
        return
    try:
        with transaction.atomic():
            SearchQuery.objects.create(
                store=store,
                language=language,
                query=query,
                searches=1,
                without_results=missed,
                last_results=results,
                last_searched_at=now,
            )
    except IntegrityError:
        # The same query counted by another request in between: count it there.
        record_search(store, language, text, results=results)
