"""How WooCommerce writes values in its JSON, read leniently.

Ids are positive integers (sometimes digit strings), amounts are decimal strings
(sometimes numbers), times are ISO 8601 in the site's zone and again in UTC without an
offset (the ``*_gmt`` twins, the ones read here), names are HTML-escaped, and PHP arrays
with gaps in their keys arrive as objects. A field that is missing or odd reads as empty;
only a payload that is not an object, or has no id, is refused.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tiski.shop.connectors.base import MalformedPayload

CENT = Decimal("0.01")


def person_name(item: Mapping[str, Any]) -> str:
    return " ".join(text(item.get(k)).strip() for k in ("first_name", "last_name")).strip()


def meta_value(meta: Any, key: str) -> Any:
    for entry in objects(meta):
        if entry.get("key") == key:
            value = entry.get("value")
            if isinstance(value, str) and value.startswith(("[", "{")):
                # Some plugins store their list JSON-encoded in a string.
                try:
                    return json.loads(value)
                except ValueError:
                    return value
            return value
    return None


def meta_text(meta: Any, key: str) -> str:
    value = meta_value(meta, key)
    return value if isinstance(value, str) else ""


def as_object(payload: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise MalformedPayload(
            _("A WooCommerce %(what)s must be a JSON object, not %(type)s.")
            % {"what": what, "type": type(payload).__name__}
        )
    if len(payload) == 1 and isinstance(next(iter(payload.values())), Mapping):
        # {"order": {...}}: the Legacy REST API's shape (removed in WooCommerce 9.0).
        raise MalformedPayload(
            _(
                "This webhook uses WooCommerce's Legacy REST API format: edit the webhook "
                "in WooCommerce and choose API version v3."
            )
        )
    return payload


def record_id(item: Mapping[str, Any], what: str) -> str:
    value: Any = item.get("id")
    if not is_id(value):
        raise MalformedPayload(
            _("A WooCommerce %(what)s without an id (its id is %(value)s).")
            % {"what": what, "value": repr(value)[:60]}
        )
    return str(int(value))


def is_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > 0
    return isinstance(value, str) and value.isdigit() and int(value) > 0


def objects(value: Any) -> Iterable[Mapping[str, Any]]:
    return [item for item in as_list(value) if isinstance(item, Mapping)]


def as_list(value: Any) -> list[Any]:
    # PHP arrays with gaps in their keys arrive as JSON objects {"0": ..., "2": ...}.
    if isinstance(value, Mapping):
        return list(value.values())
    return value if isinstance(value, list) else []


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    return str(value) if isinstance(value, str | int | float | Decimal) else ""


def html_text(value: Any) -> str:
    # Product and line names arrive HTML-escaped ("Huppari &ndash; sininen").
    return html.unescape(text(value)).strip()


def integer(value: Any) -> int | None:
    try:
        return int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def money(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value)) if isinstance(value, str | int | float) else Decimal("0")
    except InvalidOperation:
        return Decimal("0")
    return amount.quantize(CENT, ROUND_HALF_UP) if amount.is_finite() else Decimal("0")


def gmt(value: Any) -> datetime | None:
    """date_*_gmt: ISO 8601 without an offset, in UTC."""
    if not isinstance(value, str) or not value or value.startswith("0000"):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def timestamp(value: Any) -> datetime | None:
    """The tracking plugins' date_shipped: Unix seconds (as a number or a string)."""
    seconds = integer(value)
    if seconds is not None and seconds > 0:
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return gmt(value)
