from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiski.core.actors import Actor
from tiski.stores.actions import (
    EDITABLE_FIELDS,
    create_api_key,
    create_store,
    revoke_api_key,
    update_store,
)
from tiski.stores.models import ApiKey, ApiScope, Store


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin[Store]):
    list_display = ["name", "slug", "reference_prefix", "default_language", "country", "timezone"]
    search_fields = ["name", "slug"]
    readonly_fields = ["widget_token", "identity_secret", "last_conversation_number", "created_at"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "reference_prefix", "support_email", "phone", "website"]},
        ),
        (
            _("Languages and place"),
            {"fields": ["default_language", "languages", "country", "timezone"]},
        ),
        (
            _("Look and hours"),
            {"fields": ["brand_color", "business_hours", "closed_on_holidays"]},
        ),
        (_("Help center"), {"fields": ["help_domain"]}),
        (_("Email"), {"fields": ["acknowledge_email", "usual_reply_hours"]}),
        (
            _("Integration"),
            {
                "fields": [
                    "widget_token",
                    "identity_secret",
                    "last_conversation_number",
                    "created_at",
                ]
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Store, form: Any, change: bool) -> None:
        actor = Actor.for_agent(request.user)  # type: ignore[arg-type]
        fields = {
            name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data
        }
        if change:
            update_store(obj, actor=actor, **fields)
        else:
            created = create_store(
                actor=actor,
                name=fields.pop("name"),
                slug=form.cleaned_data["slug"],
                reference_prefix=form.cleaned_data["reference_prefix"],
                **fields,
            )
            obj.pk = created.pk


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    """Keys are issued through the create_api_key action; the secret is shown once."""

    list_display = ["name", "store", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["store"]
    fields = ["store", "name", "scopes", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        base = list(self.readonly_fields)
        return [*base, "store", "name", "scopes"] if obj else base

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"scopes": [ApiScope.CONVERSATIONS_READ.value, ApiScope.CONTACTS_READ.value]}

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            return
        issued = create_api_key(
            obj.store,
            actor=Actor.for_agent(request.user),  # type: ignore[arg-type]
            name=obj.name,
            scopes=list(obj.scopes),
            created_by_id=request.user.pk,
        )
        obj.pk = issued.api_key.pk
        self.message_user(
            request,
            _("Copy the key now, it is not shown again: %(key)s") % {"key": issued.secret},
            level=messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            revoke_api_key(key, actor=Actor.for_agent(request.user))  # type: ignore[arg-type]
