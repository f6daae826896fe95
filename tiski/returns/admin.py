"""Returns and complaints in the admin: read-only lists to look things up. Every change
goes through the inbox panel's actions, which tell the customer and publish events; an
edit here would do neither."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiski.returns.models import Complaint, ComplaintLine, Return, ReturnLine


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
    fields = ("order_line", "quantity", "reason", "exchange_variant", "note", "grade")
    readonly_fields = fields
    extra = 0


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
