"""Search as you type: ``GET <help center>/<lang>/suggest/?q=…`` answers JSON for the
help center's search box, the chat widget (deflection: articles offered before a
question is sent) and anyone else who embeds it.

    {"query": "palautus", "results": [{"title": …, "url": …, "excerpt": …}]}

Public and cross-origin (the widget runs on the shop's own domain), no cookies. A
search is counted for the report only when the client says the customer stopped typing
(``final=1``): counting every keystroke would fill the report with half-words.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from tiski.agents.views import client_address
from tiski.core.ratelimit import allow
from tiski.helpcenter import links
from tiski.helpcenter.actions import record_search
from tiski.helpcenter.rendering import summarize
from tiski.helpcenter.search import search
from tiski.stores.models import Store

SUGGESTIONS = 5
# A fast typist sends a few requests a second while typing; a page of them is fine.
PER_MINUTE = 240


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def suggest(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    store = get_object_or_404(
        Store.objects.only("pk", "slug", "help_domain", "languages", "default_language", "name"),
        slug=slug,
    )
    if language not in store.served_languages():
        return _cors(JsonResponse({"error": "unknown language"}, status=404))
    if not allow(f"help-suggest:{client_address(request)}", PER_MINUTE, 60):
        response = JsonResponse({"error": "too many requests"}, status=429)
        response["Retry-After"] = "60"
        return _cors(response)
    text = request.GET.get("q", "")
    results = (
        search(store.pk, language, text, limit=SUGGESTIONS, snippets=False)
        if text.strip()
        else None
    )
    hits = results.hits if results else []
    if text.strip() and request.GET.get("final") == "1":
        record_search(store, language, text, results=len(hits))
    payload = {
        "query": text[:200],
        "results": [
            {
                "title": hit.translation.title,
                "url": links.article_url(store, hit.translation, request),
                "excerpt": hit.translation.summary or summarize(hit.translation.body_text),
            }
            for hit in hits
        ],
    }
    response = JsonResponse(payload)
    response["Cache-Control"] = "public, max-age=30"
    return _cors(response)
