"""Reading a WooCommerce shop through its REST API v3, for a backfill. Its client
(ShopClient: Basic auth over HTTPS, no redirects, retries) also makes refunds
(woocommerce_refunds.py).

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
from urllib.parse import urlencode, urlsplit

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
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Answer:
    body: Any
    headers: Message


@dataclass(frozen=True)
class Refusal:
    """The shop answered with an error status. ``code`` and ``message`` are WooCommerce's
    own when the body is one of its errors ({"code", "message", "data": {"status"}}):
    ``code`` is empty when something else answered (a proxy, a firewall)."""

    status: int
    code: str
    message: str
    headers: Message

    @property
    def wait(self) -> float | None:
        """Seconds a 429 asks to wait (Retry-After)."""
        return retry_after(self.headers.get("Retry-After")) if self.status == 429 else None


@dataclass(frozen=True)
class GaveUp:
    """No answer after the tries: why the last one failed, and how long the shop asked
    to wait before the next (None: our own backoff)."""

    reason: str
    wait: float | None = None


class ShopUnusable(Exception):
    """What answered will not do, whatever the retries: a certificate that does not
    verify, or something other than the REST API's JSON. The message says so."""


def transient(refusal: Refusal) -> bool:
    """A rate limit or the shop's bad moment: worth another try."""
    return refusal.status == 429 or refusal.status >= 500


class _Refuse(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: the API key would go wherever the shop points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class ShopClient:
    """Requests to one shop's REST API v3 with its consumer key and secret (HTTP Basic),
    over HTTPS, retried where retrying helps."""

    def __init__(
        self,
        api_url: str,
        key: str,
        secret: str,
        *,
        sleep: Sleep,
        timeout: float = TIMEOUT,
        agent: str = "Tiski",
    ) -> None:
        self.api_url = api_url
        token = base64.b64encode(f"{key}:{secret}".encode())
        self._auth = "Basic " + token.decode()
        self._sleep = sleep
        self._timeout = timeout
        self._agent = agent
        self._opener = urllib.request.build_opener(_Refuse())

    def url(self, path: str) -> str:
        return f"{self.api_url}/wp-json/wc/v3/{path}"

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        attempts: int = ATTEMPTS,
        retry: Callable[[Refusal], bool] = transient,
        timeout: float | None = None,
    ) -> Answer | Refusal | GaveUp:
        """The shop's answer to ``method`` ``path``, tried up to ``attempts`` times while
        it fails in a way ``retry`` says another try may mend. A Refusal that is not
        retried, or that asks to wait longer than MAX_WAIT, is returned as it is."""
        url = self.url(path) + (f"?{urlencode(params)}" if params else "")
        data = None if body is None else json.dumps(body).encode()
        last = GaveUp("")
        for attempt in range(attempts):
            if attempt:
                self._sleep(last.wait if last.wait is not None else BACKOFF[attempt - 1])
            outcome = self._once(method, url, data, timeout or self._timeout)
            if isinstance(outcome, Refusal):
                if not retry(outcome):
                    return outcome
                wait = outcome.wait
                if wait is not None and wait > MAX_WAIT:
                    return outcome
                reason = _("too many requests") if outcome.status == 429 else None
                outcome = GaveUp(reason or f"HTTP {outcome.status}", wait)
            if not isinstance(outcome, GaveUp):
                return outcome
            last = outcome
        return last

    def _once(
        self, method: str, url: str, data: bytes | None, timeout: float
    ) -> Answer | Refusal | GaveUp:
        headers = {
            "Authorization": self._auth,
            "Accept": "application/json",
            "User-Agent": self._agent,
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310 (api_address allows https, or http to loopback)
            url, data=data, headers=headers, method=method
        )
        try:
            with self._opener.open(request, timeout=timeout) as response:
                body = response.read()
                answered = response.headers
        except urllib.error.HTTPError as exc:
            with exc:
                code, message = _error(exc)
                return Refusal(exc.code, code, message, exc.headers)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ssl.SSLCertVerificationError):
                raise ShopUnusable(
                    _("The shop's HTTPS certificate could not be verified (%(why)s).")
                    % {"why": exc.reason.verify_message}
                ) from exc
            return GaveUp(str(exc.reason))
        except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            return GaveUp(type(exc).__name__)
        try:
            return Answer(json.loads(body), answered)
        except ValueError as exc:
            raise ShopUnusable(
                _(
                    "The shop answered %(url)s with something other than JSON: a security "
                    "plugin, a firewall or a maintenance page may be in the way."
                )
                % {"url": url.split("?", 1)[0]}
            ) from exc


class ShopApi:
    """GET requests to one shop's REST API for a backfill; what cannot go on stops it
    with BackfillFailed."""

    def __init__(
        self, connection: ShopConnection, *, sleep: Sleep, timeout: float = TIMEOUT
    ) -> None:
        self.shop_url = shop_address(connection.shop_url)
        if not self.shop_url:
            raise BackfillFailed(_("The shop connection has no shop address."))
        if not api_address(self.shop_url):
            raise BackfillFailed(insecure_address(self.shop_url))
        if not connection.api_key or not connection.api_secret:
            raise BackfillFailed(
                _(
                    "Reading the shop needs a WooCommerce REST API key: add its consumer "
                    "key and consumer secret to the shop connection."
                )
            )
        self.client = ShopClient(
            self.shop_url,
            connection.api_key,
            connection.api_secret,
            sleep=sleep,
            timeout=timeout,
            agent="Tiski (shop backfill)",
        )

    def get(self, path: str, params: Mapping[str, Any]) -> tuple[Any, Message]:
        """The JSON at ``path`` and the response's headers."""
        try:
            outcome = self.client.call("GET", path, params=params)
        except ShopUnusable as exc:
            raise BackfillFailed(str(exc)) from exc
        if isinstance(outcome, Answer):
            return outcome.body, outcome.headers
        if isinstance(outcome, GaveUp):
            raise BackfillFailed(
                _(
                    "The shop did not answer (%(why)s) after %(attempts)d tries; the "
                    "backfill continues from here when it is run again."
                )
                % {"why": outcome.reason, "attempts": ATTEMPTS}
            )
        raise self._refused(self.client.url(path), outcome)

    def _refused(self, address: str, refusal: Refusal) -> BackfillFailed:
        code = refusal.status
        if code == 429:
            # Only a wait longer than MAX_WAIT comes back here.
            return BackfillFailed(
                _(
                    "The shop limits how fast it is read and asks to wait %(seconds)d "
                    "seconds; the backfill continues from here when it is run again."
                )
                % {"seconds": refusal.wait or 0}
            )
        if code in (401, 403):
            return BackfillFailed(
                _(
                    "The shop refused the API key (HTTP %(code)d: %(message)s). Check the "
                    "consumer key and secret in the shop connection, and that the key has "
                    "Read access.%(hint)s"
                )
                % {"code": code, "message": refusal.message, "hint": https_hint(self.shop_url)}
            )
        if code == 404:
            return BackfillFailed(api_missing(address))
        if code in (301, 302, 303, 307, 308):
            return BackfillFailed(redirected(address, refusal))
        return BackfillFailed(
            _("The shop refused %(url)s (HTTP %(code)d: %(message)s).")
            % {"url": address, "code": code, "message": refusal.message}
        )

    def pages(self, path: str, first: int = 1) -> Iterator[tuple[int, list[Any], bool]]:
        """(page number, items, whether it is the last page) from page ``first`` on."""
        try:
            yield from pages(self.get, path, first)
        except ShopUnusable as exc:
            raise BackfillFailed(str(exc)) from exc

    def every(self, path: str) -> list[Any]:
        return [item for _page, items, _last in self.pages(path) for item in items]


def pages(
    get: Callable[[str, Mapping[str, Any]], tuple[Any, Message]], path: str, first: int = 1
) -> Iterator[tuple[int, list[Any], bool]]:
    """(page number, items, whether it is the last page) of a collection, read with
    ``get``, from page ``first`` on: until X-WP-TotalPages says it was the last, or a
    page comes back empty (where a proxy dropped the header)."""
    page = first
    while True:
        items, headers = get(
            path, {"page": page, "per_page": PER_PAGE, "orderby": "id", "order": "asc"}
        )
        if not isinstance(items, list):
            raise ShopUnusable(
                _("The shop's %(path)s is not a list; is this a WooCommerce shop?") % {"path": path}
            )
        if not items:
            return
        total = headers.get("X-WP-TotalPages", "")
        last = total.isdigit() and page >= int(total)
        yield page, items, last
        if last:
            return
        page += 1


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


def api_address(shop_url: str) -> str:
    """``shop_url`` if the API key may travel to it: HTTPS, or plain http to this machine
    (a local stand-in for the shop); otherwise "". WooCommerce itself takes Basic auth
    only over HTTPS."""
    parts = urlsplit(shop_url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return shop_url
    if parts.scheme == "http" and host in _LOOPBACK:
        return shop_url
    return ""


def https_hint(shop_url: str) -> str:
    """A hint for a refused key where the address is plain http (only a local stand-in
    gets that far)."""
    return (
        _(" WooCommerce accepts API keys only over HTTPS.")
        if shop_url.startswith("http://")
        else ""
    )


def insecure_address(shop_url: str) -> str:
    return _(
        "The shop address %(url)s is not HTTPS: WooCommerce accepts API keys only over "
        "HTTPS. Give the shop's https:// address in the shop connection."
    ) % {"url": shop_url}


def api_missing(url: str) -> str:
    return _(
        "The WooCommerce REST API was not found at %(url)s. Check the shop address, that "
        "WooCommerce is active, and that WordPress permalinks are not set to Plain."
    ) % {"url": url}


def redirected(url: str, refusal: Refusal) -> str:
    return _("The shop redirects %(url)s to %(location)s: use that shop address.") % {
        "url": url,
        "location": refusal.headers.get("Location", "?"),
    }


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


def _error(exc: urllib.error.HTTPError) -> tuple[str, str]:
    """WooCommerce's error code and message ({"code": ..., "message": ..., "data":
    {"status": ...}}); no code, and the HTTP reason, when something else answered."""
    try:
        body = json.loads(exc.read() or b"null")
    except (ValueError, OSError):
        body = None
    if isinstance(body, Mapping) and isinstance(body.get("message"), str):
        code = body.get("code")
        return (code if isinstance(code, str) else ""), str(body["message"])[:300]
    return "", str(exc.reason)
