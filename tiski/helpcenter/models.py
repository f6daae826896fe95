"""The help center: categories, articles in several languages, their revisions, the
search index and what customers searched for.

An :class:`Article` is the language-independent thing ("how returns work"); each
:class:`ArticleTranslation` is one language's text of it, with its own slug, state and
counters, so the Finnish text can be published while the Polish one is still a draft.
Translations of one article are linked through the article, which is what ``hreflang``
and the language switcher follow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiski.stores.models import Store

# A long article is a few thousand words; this is far beyond it and still renders fast.
MAX_BODY_CHARS = 200_000
MAX_TITLE_CHARS = 200
MAX_SUMMARY_CHARS = 300


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PolicyKind(models.TextChoices):
    """Store policies are articles with a fixed place in the help center."""

    SHIPPING = "shipping", pgettext_lazy("policy page", "Shipping")
    RETURNS = "returns", _("Returns and refunds")
    PRIVACY = "privacy", _("Privacy")
    TERMS = "terms", _("Terms and conditions")
    CONTACT = "contact", _("Contact")


class Category(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="help_categories")
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("help category")
        verbose_name_plural = _("help categories")

    def __str__(self) -> str:
        first = self.translations.first()
        return first.name if first else f"#{self.pk}"


class CategoryTranslation(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="translations")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "language"], name="help_category_language"),
            models.UniqueConstraint(
                fields=["store", "language", "slug"], name="help_category_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="help_articles")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    policy = models.CharField(_("policy"), max_length=20, choices=PolicyKind.choices, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "policy"],
                condition=~models.Q(policy=""),
                name="help_one_policy_page_per_kind",
            )
        ]
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")

    def __str__(self) -> str:
        first = self.translations.first()
        return first.title if first else f"#{self.pk}"


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=MAX_TITLE_CHARS)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    # The meta description and the line under the title in lists; empty = from the body.
    summary = models.CharField(_("summary"), max_length=MAX_SUMMARY_CHARS, blank=True)
    body = models.TextField(_("text (Markdown)"))
    # Rendered and sanitised once, when saved: pages only print it.
    body_html = models.TextField(editable=False)
    # The body as plain text, for snippets and the agent's "insert text".
    body_text = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # When the text last changed: the "updated on" date customers see.
    updated_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)
    views = models.PositiveIntegerField(default=0)
    helpful = models.PositiveIntegerField(default=0)
    not_helpful = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="help_article_language"),
            models.UniqueConstraint(fields=["store", "language", "slug"], name="help_article_slug"),
        ]
        indexes = [models.Index(fields=["store", "language", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class ArticleRevision(models.Model):
    """Every saved version of a translation, so an editor can see and undo a change."""

    translation = models.ForeignKey(
        ArticleTranslation, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=MAX_TITLE_CHARS)
    summary = models.CharField(max_length=MAX_SUMMARY_CHARS, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=ArticleStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["translation", "number"], name="help_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} (#{self.number})"


class SearchDocument(models.Model):
    """A published translation as the search engine sees it: stemmed, folded terms.

    The same table backs both engines: on SQLite an FTS5 table mirrors it (rowid =
    translation id), on PostgreSQL a generated ``tsvector`` column with a GIN index
    (both created by migration 0001). ``tiski.helpcenter.search`` is the one interface.
    """

    translation = models.OneToOneField(
        ArticleTranslation, primary_key=True, on_delete=models.CASCADE, related_name="search"
    )
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    title_terms = models.TextField()
    body_terms = models.TextField()
    indexed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["store", "language", "indexed_at"])]

    def __str__(self) -> str:
        return f"search document {self.translation_id}"


class SearchQuery(models.Model):
    """What customers searched for, counted per store, language and normalised query,
    so the shop sees which questions its help center does not answer yet."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    without_results = models.PositiveIntegerField(default=0)
    last_results = models.PositiveIntegerField(default=0)
    last_searched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "language", "query"], name="help_search_query")
        ]
        indexes = [models.Index(fields=["store", "language", "-without_results"])]

    def __str__(self) -> str:
        return self.query
