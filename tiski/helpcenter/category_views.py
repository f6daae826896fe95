"""Help center categories: names per language, their order, and deleting empty ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.helpcenter.actions import delete_category, save_category
from tiski.helpcenter.editor_access import (
    StoreAccess,
    category_access,
    current_agent,
    store_access,
)
from tiski.helpcenter.editor_forms import CategoryForm
from tiski.helpcenter.editor_views import base_context, language_choices, store_query
from tiski.helpcenter.models import Category


def _list_url(access: StoreAccess) -> str:
    return reverse("helpcenter-categories") + store_query(access)


def _initial(category: Category) -> dict[str, Any]:
    initial: dict[str, Any] = {"position": category.position}
    for t in category.translations.all():
        initial[f"name_{t.language}"] = t.name
        initial[f"description_{t.language}"] = t.description
    return initial


def _page(
    request: HttpRequest,
    access: StoreAccess,
    *,
    new_form: CategoryForm,
    failed: tuple[int, CategoryForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    languages = language_choices(access.languages)
    rows = []
    categories = (
        Category.objects.filter(store=access.store)
        .prefetch_related("translations")
        .annotate(article_count=Count("articles"))
    )
    for category in categories:
        if failed and failed[0] == category.pk:
            form = failed[1]
        else:
            form = CategoryForm(
                initial=_initial(category), languages=languages, prefix=f"c{category.pk}"
            )
        rows.append((category, form))
    context = {
        **base_context(access, "categories"),
        "rows": rows,
        "new_form": new_form,
    }
    return render(request, "helpcenter/editor/categories.html", context, status=status)


def _save(
    request: HttpRequest, access: StoreAccess, form: CategoryForm, category: Category | None
) -> bool:
    if not form.is_valid():
        return False
    try:
        save_category(
            access.store,
            names=form.names(),
            actor=Actor.for_agent(current_agent(request)),
            category=category,
            position=form.cleaned_data["position"],
        )
    except ActionError as error:
        form.add_action_error(error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest) -> HttpResponse:
    """The list, with a form per category and one to add a category."""
    access = store_access(request)
    access.require_edit()
    languages = language_choices(access.languages)
    if request.method == "POST":
        form = CategoryForm(request.POST, languages=languages, prefix="new")
        if _save(request, access, form, None):
            flash.success(request, _("Category added."))
            return redirect(_list_url(access))
        return _page(request, access, new_form=form, status=422)
    return _page(request, access, new_form=CategoryForm(languages=languages, prefix="new"))


@login_required
@require_POST
def edit_category(request: HttpRequest, pk: int) -> HttpResponse:
    access, category = category_access(request, pk)
    access.require_edit()
    languages = language_choices(access.languages)
    form = CategoryForm(request.POST, languages=languages, prefix=f"c{category.pk}")
    if _save(request, access, form, category):
        flash.success(request, _("Category saved."))
        return redirect(_list_url(access))
    new_form = CategoryForm(languages=languages, prefix="new")
    return _page(request, access, new_form=new_form, failed=(category.pk, form), status=422)


@login_required
@require_POST
def remove_category(request: HttpRequest, pk: int) -> HttpResponse:
    access, category = category_access(request, pk)
    access.require_edit()
    try:
        delete_category(category, actor=Actor.for_agent(current_agent(request)))
    except ActionError as error:
        flash.error(request, error.message)
        new_form = CategoryForm(languages=language_choices(access.languages), prefix="new")
        return _page(request, access, new_form=new_form, status=409)
    flash.success(request, _("Category deleted."))
    return redirect(_list_url(access))
