"""Shop platform connectors: one interface, one module per platform."""

from __future__ import annotations

from tiski.shop.connectors.base import (
    BackfillFailed,
    BackfillPage,
    Connector,
    MalformedPayload,
    WebhookMeta,
    WebhookRejected,
    connector_for,
    register,
)

__all__ = [
    "BackfillFailed",
    "BackfillPage",
    "Connector",
    "MalformedPayload",
    "WebhookMeta",
    "WebhookRejected",
    "connector_for",
    "register",
]
