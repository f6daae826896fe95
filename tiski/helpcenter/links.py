"""Where a store's help center lives, for links that leave the page: sitemaps,
canonical and hreflang links, links agents paste into replies, widget suggestions.

A store with ``help_domain`` serves its help center at ``https://<domain>/<lang>/…``;
every other store at ``<TISKI_BASE_URL>/help/<store slug>/<lang>/…``. Paths inside a
page are built from the same parts (``prefix``), so both shapes stay consistent.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from tiski.helpcenter.models import Article, ArticleTranslation, CategoryTranslation
from tiski.stores.models import Store


def origin(store: Store, request: HttpRequest | None = None) -> str:
    """Scheme and host the help center is published under: the shop's own domain, else
    the desk, as the request reached it (answers to a browser) or as configured
    (``TISKI_BASE_URL``: sitemaps and canonical links, which must not vary)."""
    if store.help_domain:
        return f"https://{store.help_domain}"
    return _desk(request)


def _desk(request: HttpRequest | None) -> str:
    """The desk's own origin: as the request reached it, else as configured."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return str(settings.BASE_URL)


def prefix(store: Store, request: HttpRequest | None = None) -> str:
    """The path before ``/<lang>/``: empty on the store's own domain."""
    on_own_domain = request is not None and getattr(request, "help_domain_store", None) == store.pk
    if on_own_domain or (request is None and store.help_domain):
        return ""
    return f"/help/{store.slug}"


def home_path(store: Store, language: str, request: HttpRequest | None = None) -> str:
    return f"{prefix(store, request)}/{language}/"


def article_path(
    store: Store, translation: ArticleTranslation, request: HttpRequest | None = None
) -> str:
    article: Article = translation.article
    if article.policy:
        return f"{prefix(store, request)}/{translation.language}/policies/{article.policy}/"
    return f"{prefix(store, request)}/{translation.language}/a/{article.pk}/{translation.slug}/"


def category_path(
    store: Store, category: CategoryTranslation, request: HttpRequest | None = None
) -> str:
    return f"{prefix(store, request)}/{category.language}/c/{category.slug}/"


def absolute(store: Store, path: str, request: HttpRequest | None = None) -> str:
    """``path`` (built with ``request=None``) as a full URL."""
    return origin(store, request) + path


def article_url(
    store: Store, translation: ArticleTranslation, request: HttpRequest | None = None
) -> str:
    return absolute(store, article_path(store, translation), request)


def suggest_url(store: Store, language: str, request: HttpRequest | None = None) -> str:
    """The search-as-you-type endpoint the widget calls: on the desk itself (where the
    widget's script comes from), whatever domain the help center is published on."""
    return f"{_desk(request)}/help/{store.slug}/{language}/suggest/"
