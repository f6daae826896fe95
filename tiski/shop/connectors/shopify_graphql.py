"""Shopify's Admin GraphQL API: one query at a time, within the shop's rate limit.

Shopify meters the API by query cost: every app and shop pair has a bucket of points
that refills at ``restoreRate`` points a second, and every answer says what the query
cost and what is left (``extensions.cost``). The client remembers that and, before a
query, sleeps just long enough for the bucket to hold what the same query cost last
time. A query Shopify throttles anyway (``THROTTLED``, or HTTP 429) is sent again after
the wait its answer implies; a 5xx or a broken connection is retried a few times with
backoff. Anything else (a refused token, a missing permission, a query Shopify cannot
run) stops the backfill with BackfillFailed, in words an admin can act on.

The backfill uses :class:`AdminClient` as it is. A client for another purpose (a
refund) says which API version it speaks, what stops it and how its failures are
worded by overriding ``api_version``, ``user_agent``, ``_fail`` and the ``_*_message``
methods.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NoReturn
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from tiski.shop.connectors.base import BackfillFailed
from tiski.shop.models import ShopConnection

logger = logging.getLogger(__name__)

API_VERSION = "2025-01"
# Tries for a 5xx or a broken connection, and the first waits between them (doubling).
ATTEMPTS = 4
BACKOFF_SECONDS = 1.0
# Throttled answers in a row before giving up: far more than a busy shop needs.
THROTTLED_ATTEMPTS = 20
# The least a throttled query waits: Shopify said no, so at least a moment passes.
MIN_THROTTLE_WAIT = 1.0
TIMEOUT_SECONDS = 30.0
# Far above any page the backfill asks for.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

Sleep = Callable[[float], None]
Clock = Callable[[], float]


def shop_base(shop_url: str) -> str:
    """``https://<shop>`` from the connection's shop address ("x.myshopify.com" or a
    URL). Plain http is allowed to this machine only (a local stand-in for Shopify):
    the access token never travels unencrypted."""
    given = shop_url.strip()
    if not given:
        raise BackfillFailed(_("The shop connection has no shop address."))
    parts = urlsplit(given if "://" in given else f"https://{given}")
    host = parts.hostname or ""
    if not host or (parts.scheme != "https" and not (parts.scheme == "http" and host in _LOOPBACK)):
        raise BackfillFailed(
            _("The shop address %(url)s is not usable: give the shop's myshopify.com address.")
            % {"url": given}
        )
    return f"{parts.scheme}://{parts.netloc}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would resend the access token to wherever it points.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


@dataclass
class _Bucket:
    available: float | None = None
    maximum: float | None = None
    restore_rate: float = 50.0
    at: float = 0.0


@dataclass(frozen=True)
class _Answer:
    status: int
    body: dict[str, Any]
    retry_after: str = ""


class AdminClient:
    """Queries one shop's Admin GraphQL API with the connection's access token, for the
    backfill."""

    api_version: ClassVar[str] = API_VERSION
    user_agent: ClassVar[str] = "Tiski shop backfill"

    def __init__(self, connection: ShopConnection, *, sleep: Sleep, clock: Clock) -> None:
        if not connection.api_key.strip():
            self._fail(self._no_token_message())
        base = shop_base(connection.shop_url)
        self.endpoint = f"{base}/admin/api/{self.api_version}/graphql.json"
        self._token = connection.api_key.strip()
        self._sleep = sleep
        self._clock = clock
        self._bucket = _Bucket()
        # What each query cost last time: what the bucket must hold before it runs again.
        self._costs: dict[str, float] = {}

    def query(self, document: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """The ``data`` of ``document`` run with ``variables``."""
        self._wait_for(self._costs.get(document, 0.0))
        failures = throttled = 0
        while True:
            try:
                answer = self._post(document, variables)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                failures += 1
                self._retry_or_fail(failures, str(exc) or type(exc).__name__)
                continue
            if answer.status >= 500:
                failures += 1
                self._retry_or_fail(failures, f"HTTP {answer.status}")
                continue
            if answer.status == 429 or _is_throttled(answer.body):
                throttled += 1
                if throttled > THROTTLED_ATTEMPTS:
                    self._fail(self._throttled_message())
                self._note_cost(document, answer.body)
                self._sleep(self._throttle_wait(answer))
                continue
            if answer.status == 403:
                self._fail(self._forbidden_message())
            if answer.status >= 300:
                self._fail(_refusal(answer, self.endpoint))
            errors = answer.body.get("errors")
            if errors:
                if "ACCESS_DENIED" in _codes(errors):
                    self._fail(self._denied_message(_messages(errors)))
                self._fail(self._query_failed_message(_messages(errors) or "?"))
            self._note_cost(document, answer.body)
            data = answer.body.get("data")
            if not isinstance(data, dict):
                self._fail(_("Shopify answered without data."))
            return data

    # What stops this client and how it says why: the backfill's words.

    def _fail(self, message: str) -> NoReturn:
        raise BackfillFailed(message)

    def _no_token_message(self) -> str:
        return _("The shop connection has no Admin API access token: add it to read the shop.")

    def _gave_up_message(self, attempts: int, why: str) -> str:
        return _(
            "Shopify did not answer after %(attempts)d tries (%(why)s). "
            "The backfill resumes where it stopped when run again."
        ) % {"attempts": attempts, "why": why}

    def _throttled_message(self) -> str:
        return _("Shopify kept throttling the backfill; it resumes where it stopped.")

    def _forbidden_message(self) -> str:
        return _(
            "Shopify refused access (HTTP 403): the app lacks a permission it needs "
            "(read_customers, read_products, read_orders)."
        )

    def _denied_message(self, detail: str) -> str:
        return _(
            "Shopify denied the app access (%(detail)s). Give the app the read_customers, "
            "read_products and read_orders permissions."
        ) % {"detail": detail}

    def _query_failed_message(self, detail: str) -> str:
        return _("Shopify could not run the backfill's query: %(detail)s") % {"detail": detail}

    def _post(self, document: str, variables: Mapping[str, Any]) -> _Answer:
        request = urllib.request.Request(  # noqa: S310 (shop_base allows https, or http to loopback)
            self.endpoint,
            data=json.dumps({"query": document, "variables": dict(variables)}).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-Shopify-Access-Token": self._token,
                "User-Agent": self.user_agent,
            },
        )
        try:
            with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                status, raw = response.status, response.read(MAX_ANSWER_BYTES)
                retry_after = response.headers.get("Retry-After", "")
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read(MAX_ANSWER_BYTES)
            retry_after = exc.headers.get("Retry-After", "") if exc.headers else ""
            exc.close()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            if 200 <= status < 300:
                raise  # a cut-off answer: retried like a broken connection
            body = {}
        return _Answer(status, body if isinstance(body, dict) else {}, retry_after or "")

    def _retry_or_fail(self, failures: int, why: str) -> None:
        if failures >= ATTEMPTS:
            self._fail(self._gave_up_message(failures, why))
        logger.warning("Shopify query failed (%s); try %d of %d", why, failures, ATTEMPTS)
        self._sleep(BACKOFF_SECONDS * 2 ** (failures - 1))

    def _note_cost(self, document: str, body: dict[str, Any]) -> None:
        cost = _cost(body)
        requested = cost.get("requestedQueryCost")
        if isinstance(requested, int | float):
            self._costs[document] = float(requested)
        status = cost.get("throttleStatus")
        if isinstance(status, dict) and isinstance(status.get("currentlyAvailable"), int | float):
            rate = status.get("restoreRate")
            maximum = status.get("maximumAvailable")
            self._bucket = _Bucket(
                available=float(status["currentlyAvailable"]),
                maximum=float(maximum) if isinstance(maximum, int | float) else None,
                restore_rate=float(rate) if isinstance(rate, int | float) and rate > 0 else 50.0,
                at=self._clock(),
            )

    def _wait_for(self, needed: float) -> None:
        """Sleep until the bucket, refilling since the last answer, holds ``needed``."""
        bucket = self._bucket
        if bucket.available is None or needed <= 0:
            return
        available = bucket.available + bucket.restore_rate * (self._clock() - bucket.at)
        if bucket.maximum is not None:
            needed = min(needed, bucket.maximum)
        if available < needed:
            self._sleep((needed - available) / bucket.restore_rate)

    def _throttle_wait(self, answer: _Answer) -> float:
        cost = _cost(answer.body)
        status = cost.get("throttleStatus")
        requested = cost.get("requestedQueryCost")
        if isinstance(status, dict) and isinstance(requested, int | float):
            available = status.get("currentlyAvailable")
            rate = status.get("restoreRate")
            if isinstance(available, int | float) and isinstance(rate, int | float) and rate > 0:
                return max((float(requested) - float(available)) / float(rate), MIN_THROTTLE_WAIT)
        try:
            return max(float(answer.retry_after), MIN_THROTTLE_WAIT)
        except ValueError:
            return MIN_THROTTLE_WAIT * 2


def _cost(body: dict[str, Any]) -> dict[str, Any]:
    extensions = body.get("extensions")
    cost = extensions.get("cost") if isinstance(extensions, dict) else None
    return cost if isinstance(cost, dict) else {}


def _codes(errors: Any) -> list[str]:
    if not isinstance(errors, list):
        return []
    return [
        str(error["extensions"].get("code", ""))
        for error in errors
        if isinstance(error, dict) and isinstance(error.get("extensions"), dict)
    ]


def _is_throttled(body: dict[str, Any]) -> bool:
    return "THROTTLED" in _codes(body.get("errors"))


def _messages(errors: Any) -> str:
    if isinstance(errors, str):
        return errors[:300]
    if isinstance(errors, list):
        found = [str(e.get("message", "")) for e in errors if isinstance(e, dict)]
        return "; ".join(message for message in found if message)[:300]
    if isinstance(errors, dict):
        return "; ".join(f"{key}: {value}" for key, value in errors.items())[:300]
    return ""


def _refusal(answer: _Answer, endpoint: str) -> str:
    status = answer.status
    if status == 401:
        return _(
            "Shopify refused the access token (HTTP 401). Check the Admin API access token "
            "of the shop connection."
        )
    if status == 402:
        return _("Shopify says the shop is frozen or unpaid (HTTP 402).")
    if status == 404:
        return _("Shopify has no shop at %(url)s (HTTP 404). Check the shop address.") % {
            "url": endpoint
        }
    if 300 <= status < 400:
        return _(
            "Shopify redirected the request (HTTP %(status)d). Use the shop's myshopify.com "
            "address in the shop connection."
        ) % {"status": status}
    return _("Shopify refused the request (HTTP %(status)d): %(detail)s") % {
        "status": status,
        "detail": _messages(answer.body.get("errors")) or "?",
    }
