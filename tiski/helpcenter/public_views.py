"""The public help center's frame: finding the store and the language, the branded page
around every view, the language switcher, hreflang links and the 404 page.

The pages themselves live in ``pages.py`` (home, categories, articles, votes, search),
``policies.py`` (shipping, returns, privacy, terms, contact) and ``sitemap.py``. Each is
written as ``view(request, store, language, …)`` and wrapped by :func:`help_page`, which
turns ``/help/<store slug>/<lang>/…`` into the store and an active language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.encoding import iri_to_uri
from django.views.decorators.http import require_safe

from tiski.helpcenter import links
from tiski.helpcenter.models import ArticleTranslation, PolicyKind
from tiski.helpcenter.queries import policy_pages
from tiski.shop.selfservice import store_zone
from tiski.shop.selfservice_views import ink, page_language
from tiski.stores.models import Store

DEFAULT_BRAND = "#1f6feb"
# Nav order of the policy pages; contact is always there (it has facts without an article).
POLICY_ORDER = [
    PolicyKind.SHIPPING,
    PolicyKind.RETURNS,
    PolicyKind.TERMS,
    PolicyKind.PRIVACY,
    PolicyKind.CONTACT,
]

PageView = Callable[..., HttpResponse]


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    # False: this page has no text in that language and the link goes to its home page.
    same_page: bool


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    href: str  # absolute


@dataclass(frozen=True)
class PolicyLink:
    kind: str
    title: str
    href: str


def load_store(slug: str) -> Store:
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        raise Http404("no such store")
    return store


def help_page(view: PageView) -> PageView:
    """Run ``view(request, store, language, …)`` in the visitor's language and the
    store's time zone; a language the store does not serve, or an ``Http404`` from the
    view, answers the store's own 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, language: str, **kwargs: Any) -> HttpResponse:
        store = load_store(slug)
        if language not in store.served_languages():
            response = not_found(request, store, page_language(request, store))
        else:
            with translation.override(language), timezone.override(store_zone(store)):
                try:
                    response = view(request, store, language, **kwargs)
                except Http404:
                    response = not_found(request, store, language)
            response.headers.setdefault("Content-Language", language)
        return response

    return wrapper


def brand(store: Store) -> tuple[str, str]:
    color = store.brand_color if len(store.brand_color) == 7 else DEFAULT_BRAND
    return color, ink(color)


def policy_links(
    request: HttpRequest, store: Store, language: str, published: dict[str, ArticleTranslation]
) -> list[PolicyLink]:
    found = []
    for kind in POLICY_ORDER:
        page = published.get(kind)
        if page is None and kind != PolicyKind.CONTACT:
            continue
        title = page.title if page else str(PolicyKind(kind).label)
        found.append(PolicyLink(kind, title, policy_path(store, language, kind, request)))
    return found


def policy_path(store: Store, language: str, kind: str, request: HttpRequest | None) -> str:
    return f"{links.prefix(store, request)}/{language}/policies/{kind}/"


def search_path(store: Store, language: str, request: HttpRequest | None) -> str:
    return f"{links.prefix(store, request)}/{language}/search/"


def entry_path(store: Store, request: HttpRequest | None) -> str:
    return f"{links.prefix(store, request)}/"


def frame(
    request: HttpRequest,
    store: Store,
    language: str,
    *,
    same_page: dict[str, str] | None = None,
    alternates: Iterable[Alternate] = (),
    canonical: str = "",
    policies: dict[str, ArticleTranslation] | None = None,
) -> dict[str, Any]:
    """The context every public page's template gets.

    ``same_page`` maps languages to this page's path in them (the switcher links there,
    else to that language's home page).
    """
    color, brand_ink = brand(store)
    if policies is None:
        policies = policy_pages(store.pk, language)
    same_page = same_page or {}
    languages = []
    for code in store.served_languages():
        href = same_page.get(code) or links.home_path(store, code, request)
        name = translation.get_language_info(code)["name_local"] if code else code
        languages.append(LanguageLink(code, name, href, code in same_page))
    return {
        "store": store,
        "language": language,
        "languages": languages,
        "other_languages": [link for link in languages if link.same_page and link.code != language],
        "brand": color,
        "brand_ink": brand_ink,
        "home_path": links.home_path(store, language, request),
        "search_path": search_path(store, language, request),
        "suggest_path": f"{links.prefix(store, request)}/{language}/suggest/",
        "policy_links": policy_links(request, store, language, policies),
        # Unicode slugs are percent-encoded where a crawler reads the URL.
        "alternates": [Alternate(a.hreflang, iri_to_uri(a.href)) for a in alternates],
        "canonical": iri_to_uri(canonical),
    }


def home_alternates(store: Store) -> list[Alternate]:
    found = [
        Alternate(code, links.absolute(store, links.home_path(store, code)))
        for code in store.served_languages()
    ]
    # The entry picks a language from the browser: what x-default is for.
    found.append(Alternate("x-default", links.absolute(store, entry_path(store, None))))
    return found


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"helpcenter/public/{template}", context, status=status)


def not_found(request: HttpRequest, store: Store, language: str) -> HttpResponse:
    with translation.override(language):
        context = frame(request, store, language)
        response = render_page(request, "not_found.html", context, status=404)
    response.headers["Content-Language"] = language
    return response


@require_safe
def entry(request: HttpRequest, slug: str) -> HttpResponse:
    """``/help/<store>/``: on to the help center in the browser's language."""
    store = load_store(slug)
    language = page_language(request, store)
    response = HttpResponseRedirect(links.home_path(store, language, request))
    patch_vary_headers(response, ["Accept-Language"])
    return response
