"""The return reasons a store offers, in the active language.

A store's ``ReturnSettings.reasons`` replaces Tiski's eight (``ReturnReason``) when it
is not empty: ``[{"code": "too_tight", "labels": {"fi": "Liian tiukka", ...}}, ...]``.
An entry may reuse a default code to give it the shop's own words. Codes are what
``ReturnLine.reason`` stores, so a code the shop later drops must still display on the
returns that gave it: ``reason_label`` never fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from tiski.returns.models import ReturnReason, ReturnSettings
from tiski.stores.models import Store

CODE = re.compile(r"[a-z0-9_]{1,30}")
MAX_REASONS = 30
MAX_LABEL = 80


@dataclass(frozen=True)
class ReasonChoice:
    code: str
    label: str


def _configured(store: Store) -> list[dict[str, Any]]:
    settings = ReturnSettings.objects.filter(store=store).only("reasons").first()
    reasons = settings.reasons if settings else []
    # Settings are checked when saved; skip anything malformed rather than fail a page.
    return [r for r in reasons if isinstance(r, dict) and isinstance(r.get("code"), str)]


def _label(store: Store, code: str, labels: Any) -> str:
    labels = labels if isinstance(labels, dict) else {}
    for language in (translation.get_language(), store.default_language):
        if language and labels.get(language):
            return str(labels[language])
    if code in ReturnReason.values:
        return str(ReturnReason(code).label)
    return code


def store_reasons(store: Store) -> list[ReasonChoice]:
    """The reasons the store's customers choose from, labelled in the active language."""
    configured = _configured(store)
    if not configured:
        return [ReasonChoice(code, str(label)) for code, label in ReturnReason.choices]
    return [ReasonChoice(r["code"], _label(store, r["code"], r.get("labels"))) for r in configured]


def reason_labels(store: Store) -> dict[str, str]:
    """Code → label for the store's reasons and Tiski's defaults (one query), for pages
    that show many lines."""
    labels = {code: str(label) for code, label in ReturnReason.choices}
    labels.update({r.code: r.label for r in store_reasons(store)})
    return labels


def reason_label(store: Store, code: str, labels: dict[str, str] | None = None) -> str:
    """The label of ``code``; a code the store no longer offers (nor Tiski knows) shows
    as itself, so old returns keep their reasons."""
    return (labels if labels is not None else reason_labels(store)).get(code, code)
