"""The composer's article picker: an agent finds a help article in the conversation's
language and puts its link or its text into the reply (inbox.js inserts whatever a
``data-insert`` button carries, at the cursor)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.views.decorators.http import require_GET

from tiski.conversations import queries
from tiski.conversations.models import Conversation
from tiski.core.errors import NotFound
from tiski.helpcenter import links
from tiski.helpcenter.editor_access import current_agent
from tiski.helpcenter.editor_views import language_choices
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.helpcenter.query import MAX_QUERY_CHARS
from tiski.helpcenter.rendering import summarize
from tiski.helpcenter.search import search

RESULTS = 8


def conversation_language(conversation: Conversation) -> str:
    """The customer's language if the store serves it, else the store's first language."""
    store = conversation.store
    served = store.served_languages()
    for language in (conversation.language, store.default_language):
        if language in served:
            return language
    return served[0]


@login_required
@require_GET
def articles(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        conversation = queries.conversation_for(current_agent(request), pk)
    except NotFound as exc:
        raise Http404 from exc
    store = conversation.store
    language = request.GET.get("lang") or conversation_language(conversation)
    if language not in store.served_languages():
        language = conversation_language(conversation)
    text = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    rows = []
    if text.strip():
        for hit in search(store.pk, language, text, limit=RESULTS).hits:
            rows.append((hit.translation, hit.title_html, hit.snippet_html))
    else:
        # Nothing typed yet: the latest articles, so the picker is never an empty box.
        latest = (
            ArticleTranslation.objects.filter(
                store=store, language=language, status=ArticleStatus.PUBLISHED
            )
            .select_related("article")
            .order_by("-updated_at", "-pk")[:RESULTS]
        )
        for t in latest:
            summary = t.summary or summarize(t.body_text)
            rows.append((t, escape(t.title), escape(summary)))
    results = [
        {
            "title_html": title_html,
            "snippet_html": snippet_html,
            # The configured public address (TISKI_BASE_URL), not the one the agent
            # reached the desk by: the link goes to a customer.
            "url": links.article_url(store, translation),
            "text": translation.body_text,
        }
        for translation, title_html, snippet_html in rows
    ]
    context = {
        "conversation": conversation,
        "results": results,
        "query": text,
        "language": language,
        "languages": language_choices(store.served_languages()),
        # The whole panel the first time it opens; then only the results.
        "panel": request.GET.get("panel") == "1",
    }
    return render(request, "helpcenter/editor/_composer_articles.html", context)
