"""Returns and complaints in the admin: read-only lists to look things up. Every change
goes through the inbox panel's actions, which tell the customer and publish events; an
edit here would do neither."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.returns.actions.settings import check_return_settings, save_return_settings
from tiski.returns.models import Complaint, ComplaintLine, Return, ReturnLine, ReturnSettings
from tiski.returns.reasons import reason_label


class ReadOnly:
    """Lists and detail pages only: nothing added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReturnLineInline(ReadOnly, admin.TabularInline[ReturnLine, Return]):
    model = ReturnLine
    fields = ("order_line", "quantity", "reason_text", "exchange_variant", "note", "grade")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("reason"))
    def reason_text(self, line: ReturnLine) -> str:
        # The store's own words for it, as the panel shows them, not the stored code.
        return reason_label(line.return_case.store, line.reason)


@admin.register(Return)
class ReturnAdmin(ReadOnly, admin.ModelAdmin[Return]):
    list_display = [
        *("reference", "store", "order", "status", "resolution"),
        *("requested_at", "refund_due", "resolved_at"),
    ]
    list_filter = ["status", "resolution", "store"]
    search_fields = ["number", "order__number", "order__email"]
    list_select_related = ["store", "order"]
    date_hierarchy = "requested_at"
    inlines = [ReturnLineInline]

    @admin.display(description=_("return"), ordering="number")
    def reference(self, obj: Return) -> str:
        return obj.reference


class ComplaintLineInline(ReadOnly, admin.TabularInline[ComplaintLine, Complaint]):
    model = ComplaintLine
    fields = ("order_line", "quantity")
    readonly_fields = fields
    extra = 0


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly, admin.ModelAdmin[Complaint]):
    list_display = [
        *("reference", "store", "order", "status", "requested_remedy"),
        *("received_at", "answer_due", "answered_at"),
    ]
    list_filter = ["status", "requested_remedy", "store"]
    search_fields = ["number", "order__number", "order__email"]
    list_select_related = ["store", "order"]
    date_hierarchy = "received_at"
    inlines = [ComplaintLineInline]

    @admin.display(description=_("complaint"), ordering="number")
    def reference(self, obj: Complaint) -> str:
        return obj.reference


FIELDS_SHOWN = [
    *("shop_window_days", "customer_pays_return_shipping", "restocking_fee_percent"),
    *("offers_store_credit", "store_credit_bonus_percent", "category_exclusions"),
    *("blocked_customers", "blocked_products", "blocked_orders"),
    *("allowed_customers", "allowed_products", "allowed_orders"),
    "reasons",
]


class ReturnSettingsForm(forms.ModelForm[ReturnSettings]):
    class Meta:
        model = ReturnSettings
        fields = ["store", *FIELDS_SHOWN]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reasons") is None:
            # An emptied JSON box comes back as None: no list of the shop's own.
            cleaned["reasons"] = []
        try:
            check_return_settings(ReturnSettings(**cleaned))
        except ActionError as exc:
            raise ValidationError({exc.field: exc.message} if exc.field else exc.message) from exc
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(exc)) from exc
        return cleaned


@admin.register(ReturnSettings)
class ReturnSettingsAdmin(admin.ModelAdmin[ReturnSettings]):
    """A store's own return terms; checked by the form, saved through the action."""

    form = ReturnSettingsForm

    list_display = ["store", "shop_window_days", "customer_pays_return_shipping"]
    fields = ["store", *FIELDS_SHOWN]

    def save_model(
        self, request: HttpRequest, obj: ReturnSettings, form: Any, change: bool
    ) -> None:
        changes = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "store"}
        saved = save_return_settings(
            form.cleaned_data["store"],
            actor=Actor.for_agent(request.user),  # type: ignore[arg-type]
            **changes,
        )
        obj.pk = saved.pk
