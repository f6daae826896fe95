"""The help center in Django's admin: for looking things up. Articles and categories are
written in the help center editor (/helpcenter/), whose actions keep revisions, the
rendered HTML and the search index in step; here they are read-only, and deleting an
article goes through the same action."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tiski.core.actors import Actor
from tiski.helpcenter.actions import delete_article
from tiski.helpcenter.models import (
    Article,
    ArticleTranslation,
    Category,
    CategoryTranslation,
    SearchQuery,
)


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_agent(request.user)  # type: ignore[arg-type]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CategoryTranslationInline(ReadOnlyInline):
    model = CategoryTranslation
    fields = ["language", "name", "slug", "description"]


class ArticleTranslationInline(ReadOnlyInline):
    model = ArticleTranslation
    fields = ["language", "title", "slug", "status", "updated_at", "revision", "views", "editor"]
    readonly_fields = ["editor"]

    @admin.display(description=_("editor"))
    def editor(self, obj: ArticleTranslation) -> SafeString:
        url = reverse("helpcenter-article", args=[obj.article_id, obj.language])
        return format_html('<a href="{}">{}</a>', url, _("Edit"))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "store", "position"]
    list_filter = ["store"]
    inlines = [CategoryTranslationInline]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "store", "category", "policy", "created_at"]
    list_filter = ["store", "policy"]
    search_fields = ["translations__title"]
    inlines = [ArticleTranslationInline]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_superuser)

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        delete_article(obj, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            delete_article(article, actor=_actor(request))


@admin.register(SearchQuery)
class SearchQueryAdmin(ReadOnlyAdmin):
    list_display = ["query", "store", "language", "searches", "without_results", "last_searched_at"]
    list_filter = ["store", "language"]
    search_fields = ["query"]
    ordering = ["-without_results", "-searches"]
