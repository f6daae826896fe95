"""Reading a WooCommerce shop through its REST API v3, for a backfill.

GET <shop>/wp-json/wc/v3/<resource>?page=N&per_page=100&orderby=id&order=asc with HTTP
Basic auth (the consumer key and secret), page after page until X-WP-TotalPages says it
was the last (or a page comes back empty, where a proxy dropped the header). Customers
first, then products, then orders, so an order finds the customer and products it names.

Rate limits (429, with Retry-After) and the shop's bad moments (5xx, dropped
connections) are waited out a few times; anything an admin has to fix (the key, the
address) stops the backfill with a message saying what to fix.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from tiski.core import clock
from tiski.shop.connectors.base import BackfillFailed, BackfillPage, MalformedPayload
from tiski.shop.connectors.woocommerce_catalogue import customer_records, product_records
from tiski.shop.connectors.woocommerce_orders import ShopLinks, order_records
from tiski.shop.models import ShopConnection
from tiski.shop.records import Record

logger = logging.getLogger(__name__)

PHASES = ("customers", "products", "orders")
DONE = "done"
# WooCommerce's largest page.
PER_PAGE = 100
# Tries of one request before the backfill stops (it resumes there next time).
ATTEMPTS = 5
# Seconds before the 2nd, 3rd, ... try when the shop does not say how long to wait.
BACKOFF = (1.0, 2.0, 4.0, 8.0)
# A longer Retry-After than this stops the backfill instead of holding a worker.
MAX_WAIT = 300.0
TIMEOUT = 30.0

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class _Retry:
    reason: str
    # Seconds the shop asked to wait (Retry-After); None: our own backoff.
    wait: float | None


class _Refuse(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: the API key would go wherever the shop points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class ShopApi:
    """GET requests to one shop's REST API, retried where retrying helps."""

    def __init__(
        self, connection: ShopConnection, *, sleep: Sleep, timeout: float = TIMEOUT
    ) -> None:
        self.shop_url = shop_address(connection.shop_url)
        if not self.shop_url:
            raise BackfillFailed(_("The shop connection has no shop address."))
        if not connection.api_key or not connection.api_secret:
            raise BackfillFailed(
                _(
                    "Reading the shop needs a WooCommerce REST API key: add its consumer "
                    "key and consumer secret to the shop connection."
                )
            )
        token = base64.b64encode(f"{connection.api_key}:{connection.api_secret}".encode())
        self._auth = "Basic " + token.decode()
        self._sleep = sleep
        self._timeout = timeout
        self._opener = urllib.request.build_opener(_Refuse())

    def get(self, path: str, params: Mapping[str, Any]) -> tuple[Any, Message]:
        """The JSON at ``path`` and the response's headers."""
        url = f"{self.shop_url}/wp-json/wc/v3/{path}?{urlencode(params)}"
        retry = _Retry("", None)
        for attempt in range(ATTEMPTS):
            if attempt:
                self._sleep(retry.wait if retry.wait is not None else BACKOFF[attempt - 1])
            outcome = self._try(url)
            if not isinstance(outcome, _Retry):
                return outcome
            retry = outcome
        raise BackfillFailed(
            _(
                "The shop did not answer (%(why)s) after %(attempts)d tries; the backfill "
                "continues from here when it is run again."
            )
            % {"why": retry.reason, "attempts": ATTEMPTS}
        )

    def _try(self, url: str) -> tuple[Any, Message] | _Retry:
        """The body and headers; a _Retry when another try may work; BackfillFailed
        when it will not."""
        request = urllib.request.Request(  # noqa: S310 (the address is built on https/http)
            url,
            headers={
                "Authorization": self._auth,
                "Accept": "application/json",
                "User-Agent": "Tiski (shop backfill)",
            },
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                body = response.read()
                headers = response.headers
        except urllib.error.HTTPError as exc:
            with exc:
                return self._refused(url, exc)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ssl.SSLCertVerificationError):
                raise BackfillFailed(
                    _("The shop's HTTPS certificate could not be verified (%(why)s).")
                    % {"why": exc.reason.verify_message}
                ) from exc
            return _Retry(str(exc.reason), None)
        except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            return _Retry(type(exc).__name__, None)
        try:
            return json.loads(body), headers
        except ValueError as exc:
            raise BackfillFailed(
                _(
                    "The shop answered %(url)s with something other than JSON: a security "
                    "plugin, a firewall or a maintenance page may be in the way."
                )
                % {"url": url.split("?", 1)[0]}
            ) from exc

    def _refused(self, url: str, exc: urllib.error.HTTPError) -> _Retry:
        code = exc.code
        if code == 429:
            wait = retry_after(exc.headers.get("Retry-After"))
            if wait is not None and wait > MAX_WAIT:
                raise BackfillFailed(
                    _(
                        "The shop limits how fast it is read and asks to wait %(seconds)d "
                        "seconds; the backfill continues from here when it is run again."
                    )
                    % {"seconds": wait}
                )
            return _Retry(_("too many requests"), wait)
        if code >= 500:
            return _Retry(f"HTTP {code}", None)
        address = url.split("?", 1)[0]
        if code in (401, 403):
            hint = (
                _(" WooCommerce accepts API keys only over HTTPS.")
                if self.shop_url.startswith("http://")
                else ""
            )
            raise BackfillFailed(
                _(
                    "The shop refused the API key (HTTP %(code)d: %(message)s). Check the "
                    "consumer key and secret in the shop connection, and that the key has "
                    "Read access.%(hint)s"
                )
                % {"code": code, "message": _message(exc), "hint": hint}
            )
        if code == 404:
            raise BackfillFailed(
                _(
                    "The WooCommerce REST API was not found at %(url)s. Check the shop "
                    "address, that WooCommerce is active, and that WordPress permalinks are "
                    "not set to Plain."
                )
                % {"url": address}
            )
        if code in (301, 302, 303, 307, 308):
            raise BackfillFailed(
                _("The shop redirects %(url)s to %(location)s: use that shop address.")
                % {"url": address, "location": exc.headers.get("Location", "?")}
            )
        raise BackfillFailed(
            _("The shop refused %(url)s (HTTP %(code)d: %(message)s).")
            % {"url": address, "code": code, "message": _message(exc)}
        )

    def pages(self, path: str, first: int = 1) -> Iterator[tuple[int, list[Any], bool]]:
        """(page number, items, whether it is the last page) from page ``first`` on."""
        page = first
        while True:
            items, headers = self.get(
                path, {"page": page, "per_page": PER_PAGE, "orderby": "id", "order": "asc"}
            )
            if not isinstance(items, list):
                raise BackfillFailed(
                    _("The shop's %(path)s is not a list; is this a WooCommerce shop?")
                    % {"path": path}
                )
            if not items:
                return
            total = headers.get("X-WP-TotalPages", "")
            last = total.isdigit() and page >= int(total)
            yield page, items, last
            if last:
                return
            page += 1

    def every(self, path: str) -> list[Any]:
        return [item for _page, items, _last in self.pages(path) for item in items]


def backfill(connection: ShopConnection, *, sleep: Sleep) -> Iterator[BackfillPage]:
    """The shop's customers, products and orders, a page at a time, from where
    ``connection.backfill_state`` says."""
    api = ShopApi(connection, sleep=sleep)
    links = ShopLinks(shop_url=api.shop_url, admin_order_url=connection.admin_order_url)
    phase, first = _resume(connection.backfill_state)
    if phase == DONE:
        return
    for index in range(PHASES.index(phase), len(PHASES)):
        resource = PHASES[index]
        after = {"phase": PHASES[index + 1], "page": 1} if index + 1 < len(PHASES) else {}
        start = first if resource == phase else 1
        for page, items, last in api.pages(resource, start):
            records = _records(api, resource, items, links)
            state = (after or {"phase": DONE}) if last else {"phase": resource, "page": page + 1}
            yield BackfillPage(records, state)


def _records(api: ShopApi, resource: str, items: list[Any], links: ShopLinks) -> list[Record]:
    records: list[Record] = []
    for item in items:
        try:
            if resource == "customers":
                records += customer_records(item)
            elif resource == "products":
                variations = None
                if isinstance(item, Mapping) and item.get("type") == "variable":
                    variations = api.every(f"products/{int(item['id'])}/variations")
                records += product_records(item, variations)
            else:
                refunds = None
                if isinstance(item, Mapping) and item.get("refunds"):
                    # Only these have the refunds' dates.
                    refunds = api.every(f"orders/{int(item['id'])}/refunds")
                records += order_records(item, links, refunds)
        except (MalformedPayload, KeyError, TypeError, ValueError) as exc:
            # One odd record must not keep the shop's thousands of others out.
            logger.warning("skipped a WooCommerce %s in the backfill: %s", resource, exc)
    return records


def _resume(state: Mapping[str, Any]) -> tuple[str, int]:
    phase = state.get("phase") if isinstance(state, Mapping) else None
    page = state.get("page") if isinstance(state, Mapping) else None
    if phase == DONE:
        return DONE, 1
    if phase in PHASES and isinstance(page, int) and page >= 1:
        return str(phase), page
    return PHASES[0], 1


def shop_address(shop_url: str) -> str:
    """The shop's base address: "kauppa.fi/" → "https://kauppa.fi"."""
    url = shop_url.strip().rstrip("/")
    if not url:
        return ""
    return url if url.lower().startswith(("https://", "http://")) else f"https://{url}"


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - clock.now()).total_seconds(), 0.0)


def _message(exc: urllib.error.HTTPError) -> str:
    """WooCommerce's own words: {"code": ..., "message": ..., "data": {"status": ...}}."""
    try:
        body = json.loads(exc.read() or b"null")
    except (ValueError, OSError):
        body = None
    if isinstance(body, Mapping) and isinstance(body.get("message"), str):
        return str(body["message"])[:300]
    return str(exc.reason)
