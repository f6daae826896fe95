"""An article translation's history: every saved version, one version against the
current text, and making an old version current again."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.helpcenter.actions import restore_revision
from tiski.helpcenter.editor_access import (
    StoreAccess,
    article_access,
    current_agent,
    served_language,
)
from tiski.helpcenter.editor_views import base_context, editor_url, language_name
from tiski.helpcenter.models import Article, ArticleRevision, ArticleTranslation

# An article is at most 200,000 characters; a diff of two such is still quick, but a
# page of ten thousand changed lines helps no one.
MAX_DIFF_LINES = 2_000


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "context", "hunk"
    text: str


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """``old`` → ``new`` line by line, as a unified diff with three lines of context."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=3):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("remove", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
        if len(lines) >= MAX_DIFF_LINES:
            lines.append(DiffLine("hunk", _("(the rest of the changes are not shown)")))
            break
    return lines


def _translation(
    request: HttpRequest, pk: int, language: str
) -> tuple[StoreAccess, Article, ArticleTranslation]:
    access, article = article_access(request, pk)
    access.require_edit()
    served_language(access, language)
    translation = ArticleTranslation.objects.filter(article=article, language=language).first()
    if translation is None:
        raise Http404
    return access, article, translation


@login_required
@require_GET
def revisions(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    access, article, translation = _translation(request, pk, language)
    context = {
        **base_context(access, "articles"),
        "article": article,
        "translation": translation,
        "language": language,
        "language_name": language_name(language),
        "revisions": translation.revisions.select_related("author").only(
            "number", "title", "status", "author_name", "author__name", "created_at"
        ),
        "editor_url": editor_url(article, language),
    }
    return render(request, "helpcenter/editor/revisions.html", context)


@login_required
@require_GET
def revision(request: HttpRequest, pk: int, language: str, number: int) -> HttpResponse:
    access, article, translation = _translation(request, pk, language)
    old = get_object_or_404(ArticleRevision, translation=translation, number=number)
    is_current = old.number == translation.revision
    context = {
        **base_context(access, "articles"),
        "article": article,
        "translation": translation,
        "language": language,
        "language_name": language_name(language),
        "revision": old,
        "is_current": is_current,
        "title_changed": old.title != translation.title,
        "summary_changed": old.summary != translation.summary,
        "diff": diff_lines(old.body, translation.body),
        "editor_url": editor_url(article, language),
    }
    return render(request, "helpcenter/editor/revision.html", context)


@login_required
@require_POST
def restore(request: HttpRequest, pk: int, language: str, number: int) -> HttpResponse:
    _access, article, translation = _translation(request, pk, language)
    try:
        saved = restore_revision(translation, number, actor=Actor.for_agent(current_agent(request)))
    except ActionError as error:
        if error.code == "not_found":
            raise Http404 from error
        flash.error(request, error.message)
        return redirect("helpcenter-revisions", pk=article.pk, language=language)
    if saved.revision == translation.revision:
        flash.info(request, _("That revision is the current text already."))
    else:
        flash.success(
            request,
            _("Revision %(old)d is the current text again (saved as revision %(new)d).")
            % {"old": number, "new": saved.revision},
        )
    return redirect(editor_url(article, language))
