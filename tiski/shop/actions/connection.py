"""Connecting a store to its shop."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.shop.models import Platform, ShopConnection
from tiski.stores.models import Store


@transaction.atomic
def connect_shop(
    store: Store,
    *,
    platform: str,
    actor: Actor,
    shop_url: str = "",
    webhook_secret: str = "",
    api_key: str = "",
    api_secret: str = "",
    admin_order_url: str = "",
) -> ShopConnection:
    """Connect ``store`` to its shop (or change how): one connection per store."""
    if platform not in Platform.values:
        raise ActionError(_("Unknown shop platform."), field="platform")
    if not webhook_secret.strip():
        raise ActionError(
            _("A webhook secret is needed to check that webhooks come from the shop."),
            field="webhook_secret",
        )
    connection, _created = ShopConnection.objects.update_or_create(
        store=store,
        defaults={
            "platform": platform,
            "shop_url": shop_url.strip(),
            "webhook_secret": webhook_secret.strip(),
            "api_key": api_key.strip(),
            "api_secret": api_secret.strip(),
            "admin_order_url": admin_order_url.strip(),
            "enabled": True,
        },
    )
    return connection
