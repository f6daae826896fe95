"""The agents' help center: the article list, the article editor with its live
preview, and deleting an article. Thin views: access checks here, writes in actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.helpcenter import links
from tiski.helpcenter.actions import ArticleText, delete_article, save_article
from tiski.helpcenter.editor_access import (
    StoreAccess,
    article_access,
    current_agent,
    served_language,
    store_access,
)
from tiski.helpcenter.editor_forms import ArticleForm, Intent
from tiski.helpcenter.editor_queries import (
    STATES,
    article_sections,
    category_names,
    translations_of,
)
from tiski.helpcenter.models import (
    MAX_BODY_CHARS,
    Article,
    ArticleStatus,
    ArticleTranslation,
    Category,
    PolicyKind,
)
from tiski.helpcenter.rendering import render_markdown


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in codes]


def store_query(access: StoreAccess, **extra: str) -> str:
    return "?" + urlencode({"store": access.store.slug, **extra})


def editor_url(article: Article, language: str) -> str:
    return reverse("helpcenter-article", args=[article.pk, language])


def base_context(access: StoreAccess, section: str) -> dict[str, Any]:
    return {
        "access": access,
        "store": access.store,
        "stores": access.stores,
        "can_edit": access.can_edit,
        "section": section,
        "store_query": store_query(access),
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    access = store_access(request)
    language = request.GET.get("language", "")
    state = request.GET.get("state", "")
    if language not in access.languages:
        language = ""
    if state not in STATES:
        state = ""
    sections, policies = article_sections(access.store, language=language, state=state)
    context = {
        **base_context(access, "articles"),
        "sections": sections,
        "policies": policies,
        "languages": language_choices(access.languages),
        "shown_languages": [language] if language else access.languages,
        "language": language,
        "state": state,
        "states": [
            (ArticleStatus.PUBLISHED.value, _("Published")),
            (ArticleStatus.DRAFT.value, _("Draft")),
            ("missing", _("Missing")),
        ],
        "default_language": access.store.default_language
        if access.store.default_language in access.languages
        else access.languages[0],
    }
    return render(request, "helpcenter/editor/index.html", context)


def _categories(access: StoreAccess, language: str) -> list[tuple[int, str]]:
    names = category_names(access.store, [language, *access.languages])
    return [
        (c.pk, names.get(c.pk, f"#{c.pk}")) for c in Category.objects.filter(store=access.store)
    ]


def _status(intent: str) -> str | None:
    if intent == Intent.PUBLISH:
        return ArticleStatus.PUBLISHED
    if intent == Intent.UNPUBLISH:
        return ArticleStatus.DRAFT
    return None


def _save(
    request: HttpRequest,
    access: StoreAccess,
    form: ArticleForm,
    *,
    language: str,
    article: Article | None,
    policy: str = "",
) -> ArticleTranslation | None:
    """Run the form through ``save_article``; None (with the errors on the form) when refused."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    category = None
    if data["category"] is not None and not (article and article.policy) and not policy:
        category = Category.objects.filter(store=access.store, pk=data["category"]).first()
        if category is None:
            form.add_error("category", _("Pick one of this store's categories."))
            return None
    try:
        return save_article(
            access.store,
            language=language,
            text=ArticleText(data["title"], data["body"], data["summary"], data["slug"]),
            actor=Actor.for_agent(current_agent(request)),
            article=article,
            category=category,
            policy=policy,
            status=_status(data["intent"] or Intent.SAVE),
        )
    except ActionError as error:
        form.add_action_error(error)
        return None


def _saved_message(translation: ArticleTranslation, intent: str) -> str:
    if intent == Intent.PUBLISH:
        return _("Published. Customers see this version now.")
    if intent == Intent.UNPUBLISH:
        return _("Unpublished. Customers no longer see this language of the article.")
    if translation.is_published:
        return _("Saved. Customers see this version now.")
    return _("Draft saved.")


def _preview_html(form: ArticleForm, translation: ArticleTranslation | None) -> str:
    body = form.data.get("body") if form.is_bound else None
    if body is None:
        return translation.body_html if translation else ""
    return render_markdown(body) if len(body) <= MAX_BODY_CHARS else ""


def _editor(
    request: HttpRequest,
    access: StoreAccess,
    form: ArticleForm,
    *,
    language: str,
    article: Article | None,
    translation: ArticleTranslation | None,
    policy: str = "",
    status: int = 200,
) -> HttpResponse:
    translations = translations_of(article) if article else {}
    source = None
    if translation is None and translations:
        # A new translation: the text it is translated from, beside the form.
        wanted = request.GET.get("from", "")
        order = [wanted, access.store.default_language, *access.languages]
        source = next((translations[lang] for lang in order if lang in translations), None)
    policy_kind = (article.policy if article else policy) or ""
    context = {
        **base_context(access, "articles"),
        "form": form,
        "article": article,
        "language": language,
        "language_name": language_name(language),
        "translation": translation,
        "policy_label": PolicyKind(policy_kind).label if policy_kind else "",
        "source": source,
        "source_language_name": language_name(source.language) if source else "",
        "other_languages": [
            (code, name, translations.get(code))
            for code, name in language_choices(access.languages)
        ],
        "preview_html": mark_safe(_preview_html(form, translation)),  # noqa: S308 - sanitised
        "public_url": links.article_url(access.store, translation)
        if translation and translation.is_published
        else "",
        "preview_url": reverse("helpcenter-preview") + store_query(access),
        "max_body": MAX_BODY_CHARS,
    }
    return render(request, "helpcenter/editor/article.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_article(request: HttpRequest) -> HttpResponse:
    access = store_access(request)
    access.require_edit()
    language = request.GET.get("lang") or access.store.default_language
    if language not in access.languages:
        language = access.languages[0]
    policy = request.GET.get("policy", "")
    if policy and policy not in PolicyKind.values:
        raise Http404
    existing = Article.objects.filter(store=access.store, policy=policy).first() if policy else None
    if existing is not None:
        return redirect(editor_url(existing, language))
    categories = _categories(access, language)
    if request.method == "POST":
        form = ArticleForm(request.POST, categories=categories)
        translation = _save(request, access, form, language=language, article=None, policy=policy)
        if translation is not None:
            flash.success(request, _saved_message(translation, form.cleaned_data["intent"]))
            return redirect(editor_url(translation.article, language))
        return _editor(
            request,
            access,
            form,
            language=language,
            article=None,
            translation=None,
            policy=policy,
            status=422,
        )
    initial: dict[str, Any] = {}
    wanted_category = request.GET.get("category", "")
    if wanted_category.isdigit():
        initial["category"] = int(wanted_category)
    if policy:
        initial["title"] = PolicyKind(policy).label
    form = ArticleForm(initial=initial, categories=categories)
    return _editor(
        request, access, form, language=language, article=None, translation=None, policy=policy
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_article(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    access, article = article_access(request, pk)
    access.require_edit()
    served_language(access, language)
    translation = ArticleTranslation.objects.filter(article=article, language=language).first()
    categories = _categories(access, language)
    filed = {"uncategorised": article.category_id is None}
    if request.method == "POST":
        form = ArticleForm(request.POST, categories=categories, **filed)
        saved = _save(request, access, form, language=language, article=article)
        if saved is not None:
            flash.success(request, _saved_message(saved, form.cleaned_data["intent"]))
            return redirect(editor_url(article, language))
        return _editor(
            request,
            access,
            form,
            language=language,
            article=article,
            translation=translation,
            status=422,
        )
    initial: dict[str, Any] = {"category": article.category_id}
    if translation is not None:
        initial.update(
            title=translation.title,
            slug=translation.slug,
            summary=translation.summary,
            body=translation.body,
        )
    form = ArticleForm(initial=initial, categories=categories, **filed)
    return _editor(
        request, access, form, language=language, article=article, translation=translation
    )


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The Markdown as customers would see it: the same renderer and sanitiser as saving."""
    access = store_access(request)
    access.require_edit()
    body = request.POST.get("body", "")
    too_long = len(body) > MAX_BODY_CHARS
    html = "" if too_long else render_markdown(body)
    return render(
        request,
        "helpcenter/editor/_preview.html",
        {"preview_html": mark_safe(html), "too_long": too_long, "max_body": MAX_BODY_CHARS},  # noqa: S308
    )


@login_required
@require_POST
def remove_article(request: HttpRequest, pk: int) -> HttpResponse:
    access, article = article_access(request, pk)
    access.require_edit()
    delete_article(article, actor=Actor.for_agent(current_agent(request)))
    flash.success(request, _("The article was deleted in every language."))
    return redirect(reverse("helpcenter") + store_query(access))
