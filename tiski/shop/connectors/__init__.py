"""Shop platform connectors: one interface, one module per platform."""

from __future__ import annotations

from tiski.shop.connectors.base import (
    ActionDone,
    ActionFailed,
    ActionNotSupported,
    BackfillFailed,
    BackfillPage,
    Connector,
    MalformedPayload,
    RefundRequest,
    ShopAction,
    WebhookMeta,
    WebhookRejected,
    connector_for,
    register,
)

__all__ = [
    "ActionDone",
    "ActionFailed",
    "ActionNotSupported",
    "BackfillFailed",
    "BackfillPage",
    "Connector",
    "MalformedPayload",
    "RefundRequest",
    "ShopAction",
    "WebhookMeta",
    "WebhookRejected",
    "connector_for",
    "register",
]
