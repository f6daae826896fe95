"""What the help center does not answer yet, and what customers read most."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiski.helpcenter.editor_access import store_access
from tiski.helpcenter.editor_queries import (
    REPORT_LIMIT,
    helpful_percent,
    top_articles,
    unanswered_searches,
)
from tiski.helpcenter.editor_views import base_context, language_choices


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Readable by every member of the store; the numbers are no secret among its staff."""
    access = store_access(request)
    language = request.GET.get("language", "")
    if language not in access.languages:
        language = ""
    articles = [
        {
            "translation": t,
            "helpful_percent": helpful_percent(t),
        }
        for t in top_articles(access.store, language)
    ]
    context = {
        **base_context(access, "report"),
        "languages": language_choices(access.languages),
        "language": language,
        "searches": unanswered_searches(access.store, language),
        "articles": articles,
        "limit": REPORT_LIMIT,
    }
    return render(request, "helpcenter/editor/report.html", context)
