"""A store's help center on the shop's own domain (``Store.help_domain``).

A request whose host is a store's help domain is served that store's help center at
``/``: the path is rewritten to ``/help/<slug>/…`` before URL resolution and the request
remembers the store (``request.help_domain_store``), so ``links.prefix`` drops
``/help/<slug>`` from links in the page. Only the path Django resolves changes:
``request.path`` keeps what the browser asked for, so redirects (a missing slash, for
example) go where the browser expects. Other hosts pass untouched.

The host is trusted only after ``request.get_host()`` checked it against ALLOWED_HOSTS,
where the operator puts each help domain.

The domain → store map is read in one query and kept in the process for a short while;
a store saving a new domain clears it, and other processes notice within ``REFRESH``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from tiski.events import Event, subscribe
from tiski.stores.events import StoreUpdated
from tiski.stores.models import Store

REFRESH = 30.0  # seconds

_lock = threading.Lock()
_map: dict[str, tuple[int, str]] = {}
_loaded_at = float("-inf")


def forget() -> None:
    """Read the map again on the next request (a store's help domain changed)."""
    global _loaded_at
    with _lock:
        _loaded_at = float("-inf")


def stores_by_domain() -> dict[str, tuple[int, str]]:
    """``{"help.example.fi": (store id, store slug)}`` for every store with a domain."""
    global _map, _loaded_at
    now = time.monotonic()
    if now - _loaded_at < REFRESH:
        return _map
    with _lock:
        if now - _loaded_at >= REFRESH:
            _map = {
                domain.lower(): (pk, slug)
                for domain, pk, slug in Store.objects.exclude(help_domain="").values_list(
                    "help_domain", "pk", "slug"
                )
            }
            _loaded_at = time.monotonic()
    return _map


def _on_event(event: Event) -> None:
    if isinstance(event, StoreUpdated) and "help_domain" in event.changed:
        forget()


subscribe(_on_event)


def _untouched(path: str) -> bool:
    # Static files are served by WhiteNoise under their own path on every host.
    return path.startswith(str(settings.STATIC_URL))


class HelpDomainMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        try:
            host, _port = split_domain_port(request.get_host())
        except DisallowedHost:
            # Django answers 400 for it later, as for any other path.
            return self.get_response(request)
        found = stores_by_domain().get(host.lower()) if host else None
        if found is not None and not _untouched(request.path_info):
            pk, slug = found
            request.help_domain_store = pk  # type: ignore[attr-defined]
            request.path_info = f"/help/{slug}{request.path_info}"
        response: HttpResponse = self.get_response(request)
        return response
