"""The help center's reading pages: home, a category, an article with its "Was this
helpful?" vote, and search results. Wrapped by ``public_views.help_page``: each runs in
the visitor's language with the store's time zone active.
"""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST, require_safe

from tiski.agents.views import client_address
from tiski.core.ratelimit import allow
from tiski.helpcenter import links, queries
from tiski.helpcenter.actions import record_search, record_view, record_vote
from tiski.helpcenter.models import ArticleTranslation
from tiski.helpcenter.public_views import (
    Alternate,
    frame,
    help_page,
    home_alternates,
    render_page,
)
from tiski.helpcenter.query import MAX_QUERY_CHARS
from tiski.helpcenter.rendering import summarize
from tiski.helpcenter.search import search
from tiski.stores.models import Store

PER_PAGE = 50
SEARCH_RESULTS = 20
SEARCHES_PER_MINUTE = 120
VOTES_COOKIE = "tiski_help_votes"
VOTES_SALT = "tiski.helpcenter.votes"
# Enough for every article a person would ever rate; the oldest are forgotten first.
MAX_REMEMBERED_VOTES = 200
ONE_YEAR = 365 * 24 * 3600


@require_safe
@help_page
def home(request: HttpRequest, store: Store, language: str) -> HttpResponse:
    context = frame(
        request,
        store,
        language,
        same_page={
            code: links.home_path(store, code, request) for code in store.served_languages()
        },
        alternates=home_alternates(store),
        canonical=links.absolute(store, links.home_path(store, language)),
    )
    context["categories"] = [
        (
            listing,
            links.category_path(store, listing.category, request),
            [(a, links.article_path(store, a, request)) for a in listing.articles],
        )
        for listing in queries.home_categories(store.pk, language)
    ]
    context["popular"] = [
        (a, links.article_path(store, a, request)) for a in queries.most_viewed(store.pk, language)
    ]
    return render_page(request, "home.html", context)


@require_safe
@help_page
def category(request: HttpRequest, store: Store, language: str, category_slug: str) -> HttpResponse:
    current, names = queries.category_translations(store.pk, language, category_slug)
    if current is None:
        raise Http404("no such category")
    paginator = Paginator(queries.category_articles(language, current.category_id), PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", "1"))
    except InvalidPage as exc:
        raise Http404("no such page") from exc
    same_page = {name.language: links.category_path(store, name, request) for name in names}
    alternates = [
        Alternate(name.language, links.absolute(store, links.category_path(store, name)))
        for name in names
        if name.language in store.served_languages()
    ]
    path = links.category_path(store, current)
    context = frame(
        request,
        store,
        language,
        same_page=same_page,
        alternates=_with_default(store, alternates),
        canonical=links.absolute(store, path if page.number == 1 else f"{path}?page={page.number}"),
    )
    context.update(
        category=current,
        page=page,
        articles=[(a, links.article_path(store, a, request)) for a in page.object_list],
    )
    return render_page(request, "category.html", context)


def _with_default(store: Store, alternates: list[Alternate]) -> list[Alternate]:
    """``x-default``: the store's own language if the page has it, else its first."""
    if not alternates:
        return alternates
    default = next((a for a in alternates if a.hreflang == store.default_language), alternates[0])
    return [*alternates, Alternate("x-default", default.href)]


def article_frame(
    request: HttpRequest, store: Store, translation: ArticleTranslation
) -> dict[str, object]:
    """The frame of an article or policy page, with its other languages."""
    siblings = queries.translations_of(translation.article_id)
    served = store.served_languages()
    siblings = [s for s in siblings if s.language in served]
    alternates = [
        Alternate(s.language, links.absolute(store, links.article_path(store, s))) for s in siblings
    ]
    context = frame(
        request,
        store,
        translation.language,
        same_page={s.language: links.article_path(store, s, request) for s in siblings},
        alternates=_with_default(store, alternates),
        canonical=links.absolute(store, links.article_path(store, translation)),
    )
    context.update(
        article=translation,
        description=translation.summary or summarize(translation.body_text),
    )
    return context


@require_safe
@help_page
def article(
    request: HttpRequest, store: Store, language: str, article_id: int, article_slug: str
) -> HttpResponse:
    translation = queries.published_article(store.pk, language, article_id)
    if translation is None:
        raise Http404("no such article")
    if translation.article.policy or article_slug != translation.slug:
        return HttpResponsePermanentRedirect(links.article_path(store, translation, request))
    context = article_frame(request, store, translation)
    category_slug = getattr(translation, "category_slug", None)
    if category_slug:
        context["category_link"] = (
            translation.category_name,  # type: ignore[attr-defined]
            f"{links.prefix(store, request)}/{language}/c/{category_slug}/",
        )
    context["voted"] = request.GET.get("voted") in {"yes", "no"} or (
        translation.article_id in _votes(request)
    )
    context["vote_path"] = _vote_path(store, translation, request)
    response = render_page(request, "article.html", context)
    if request.method == "GET":
        record_view(translation.pk)
    return response


def _vote_path(store: Store, translation: ArticleTranslation, request: HttpRequest) -> str:
    return f"{links.prefix(store, request)}/{translation.language}/a/{translation.article_id}/vote/"


def _votes(request: HttpRequest) -> list[int]:
    """Articles this browser already rated (a signed cookie: no session, no forging)."""
    raw = request.get_signed_cookie(VOTES_COOKIE, default="", salt=VOTES_SALT)
    return [int(part) for part in str(raw).split(",") if part.isdigit()]


def vote(request: HttpRequest, slug: str, language: str, article_id: int) -> HttpResponse:
    """``/a/<id>/vote/``: a vote when posted; read, the article whose slug is "vote"."""
    if request.method in {"GET", "HEAD"}:
        return article(
            request, slug=slug, language=language, article_id=article_id, article_slug="vote"
        )
    return _vote(request, slug=slug, language=language, article_id=article_id)


@require_POST
@csrf_protect
@help_page
def _vote(request: HttpRequest, store: Store, language: str, article_id: int) -> HttpResponse:
    """ "Was this helpful?": counted once per article per browser."""
    answer = request.POST.get("helpful", "")
    if answer not in {"yes", "no"}:
        return HttpResponse(
            _("Answer yes or no."), status=400, content_type="text/plain; charset=utf-8"
        )
    translation = queries.published_article(store.pk, language, article_id)
    if translation is None:
        raise Http404("no such article")
    voted = _votes(request)
    if article_id not in voted:
        record_vote(translation.pk, helpful=answer == "yes")
        voted = [*voted, article_id][-MAX_REMEMBERED_VOTES:]
    thanks = _("Thank you for your feedback!")
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse({"message": thanks})
    else:
        target = links.article_path(store, translation, request)
        response = redirect(f"{target}?voted={answer}#feedback")
        response.status_code = 303
    response.set_signed_cookie(
        VOTES_COOKIE,
        ",".join(str(pk) for pk in voted),
        salt=VOTES_SALT,
        max_age=ONE_YEAR,
        path=f"{links.prefix(store, request)}/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


@require_safe
@help_page
def search_page(request: HttpRequest, store: Store, language: str) -> HttpResponse:
    text = request.GET.get("q", "")[: MAX_QUERY_CHARS * 2]
    query = " ".join(text.split())[:MAX_QUERY_CHARS]
    context = frame(request, store, language)
    context.update(query=query, hits=[], searched=bool(query))
    if not query:
        return render_page(request, "search.html", context)
    if not allow(f"help-search:{client_address(request)}", SEARCHES_PER_MINUTE, 60):
        context.update(searched=False, limited=True)
        response = render_page(request, "search.html", context, status=429)
        response["Retry-After"] = "60"
        return response
    results = search(store.pk, language, query, limit=SEARCH_RESULTS)
    # The search box's script counted this text already when the customer paused.
    if request.GET.get("counted") != "1":
        record_search(store, language, query, results=len(results.hits))
    context["hits"] = [
        (hit, links.article_path(store, hit.translation, request)) for hit in results.hits
    ]
    return render_page(request, "search.html", context)
