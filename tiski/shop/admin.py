from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.shop.actions import connect_shop, retry_delivery
from tiski.shop.models import (
    DeliveryStatus,
    Order,
    ShopConnection,
    WebhookDelivery,
)

# Shown empty and kept when left empty: secrets never travel back to the browser.
_SECRETS = ("webhook_secret", "api_key", "api_secret")


class ShopConnectionForm(forms.ModelForm[ShopConnection]):
    webhook_secret = forms.CharField(
        label=_("webhook secret"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Left empty, the stored secret stays."),
    )
    api_key = forms.CharField(
        label=_("API key or access token"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
    )
    api_secret = forms.CharField(
        label=_("API secret"), widget=forms.PasswordInput(render_value=False), required=False
    )

    class Meta:
        model = ShopConnection
        fields = [
            "store",
            "platform",
            "shop_url",
            "webhook_secret",
            "api_key",
            "api_secret",
            "admin_order_url",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in _SECRETS:
            if not data.get(name) and self.instance.pk:
                data[name] = getattr(self.instance, name)
        if not data.get("webhook_secret"):
            self.add_error(
                "webhook_secret",
                _("A webhook secret is needed to check that webhooks come from the shop."),
            )
        return data


@admin.register(ShopConnection)
class ShopConnectionAdmin(admin.ModelAdmin[ShopConnection]):
    form = ShopConnectionForm
    list_display = ["store", "platform", "shop_url", "enabled", "last_backfill_at", "last_error"]
    readonly_fields = ["last_backfill_at", "last_error"]

    def save_model(
        self, request: HttpRequest, obj: ShopConnection, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        try:
            saved = connect_shop(
                data["store"],
                platform=data["platform"],
                actor=Actor.for_agent(request.user),  # type: ignore[arg-type]
                shop_url=data.get("shop_url", ""),
                webhook_secret=data.get("webhook_secret", ""),
                api_key=data.get("api_key", ""),
                api_secret=data.get("api_secret", ""),
                admin_order_url=data.get("admin_order_url", ""),
            )
        except ActionError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = saved.pk


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    """Every webhook as it arrived: what became of it, and why one failed."""

    list_display = ["received_at", "store", "platform", "topic", "status", "attempts", "error"]
    list_filter = ["status", "platform", "store"]
    search_fields = ["topic", "delivery_id", "error"]
    readonly_fields = [
        *("store", "platform", "topic", "delivery_id", "triggered_at", "status"),
        *("error", "attempts", "received_at", "applied_at", "body_text"),
    ]
    exclude = ["body"]
    actions = ["apply_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: WebhookDelivery | None = None
    ) -> bool:
        return False

    @admin.display(description=_("body"))
    def body_text(self, obj: WebhookDelivery) -> str:
        return bytes(obj.body[:20_000]).decode("utf-8", "replace")

    @admin.action(description=_("Apply the selected failed webhooks again"))
    def apply_again(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        done = failed = 0
        for delivery in queryset.filter(status=DeliveryStatus.FAILED):
            result = retry_delivery(delivery)
            if result.status == DeliveryStatus.FAILED:
                failed += 1
            else:
                done += 1
        self.message_user(
            request,
            ngettext(
                "%(done)d webhook applied, %(failed)d failed again.",
                "%(done)d webhooks applied, %(failed)d failed again.",
                done,
            )
            % {"done": done, "failed": failed},
            messages.SUCCESS if not failed else messages.WARNING,
        )


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin[Order]):
    """The shop's orders as Tiski has them (read only: the shop is where they change)."""

    list_display = [
        *("number", "store", "customer_name", "email", "total", "currency"),
        *("financial_status", "fulfillment_status", "placed_at"),
    ]
    list_filter = ["store", "financial_status", "fulfillment_status"]
    search_fields = ["number", "email", "customer_name"]
    list_select_related = ["store"]
    raw_id_fields = ["contact"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False
