from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from tiski.conversations.actions import create_label, delete_canned_response, save_canned_response
from tiski.conversations.canned import check_placeholders
from tiski.conversations.models import CannedResponse, Label
from tiski.core.actors import Actor
from tiski.core.errors import ActionError


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_agent(request.user)  # type: ignore[arg-type]


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin[Label]):
    list_display = ["name", "store", "color"]
    list_filter = ["store"]

    def get_readonly_fields(self, request: HttpRequest, obj: Label | None = None) -> list[str]:
        # Renaming would silently rewrite history in timelines; create a new label instead.
        return ["store", "name"] if obj else []

    def save_model(self, request: HttpRequest, obj: Label, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = create_label(obj.store, name=obj.name, color=obj.color, actor=_actor(request))
        obj.pk = created.pk


class CannedResponseForm(forms.ModelForm[CannedResponse]):
    class Meta:
        model = CannedResponse
        fields = ["store", "shortcut", "title", "body"]

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        try:
            check_placeholders(body)
        except ActionError as exc:
            raise forms.ValidationError(exc.message) from exc
        return body


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin[CannedResponse]):
    form = CannedResponseForm
    list_display = ["shortcut", "title", "store", "updated_at"]
    list_filter = ["store"]
    search_fields = ["shortcut", "title", "body"]

    def save_model(
        self, request: HttpRequest, obj: CannedResponse, form: Any, change: bool
    ) -> None:
        existing = CannedResponse.objects.get(pk=obj.pk) if change else None
        saved = save_canned_response(
            obj.store,
            actor=_actor(request),
            shortcut=obj.shortcut,
            title=obj.title,
            body=obj.body,
            existing=existing,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CannedResponse) -> None:
        delete_canned_response(obj, actor=_actor(request))
