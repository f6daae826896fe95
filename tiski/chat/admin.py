from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from tiski.chat.actions import check_chat_settings, save_chat_settings
from tiski.chat.models import ChatSettings
from tiski.core.actors import Actor
from tiski.core.errors import ActionError


class ChatSettingsForm(forms.ModelForm[ChatSettings]):
    class Meta:
        model = ChatSettings
        fields = [
            "store",
            "greeting",
            "prechat_fields",
            "prechat_required",
            "topics",
            "ask_email_when_offline",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            check_chat_settings(
                data.get("greeting") or {},
                data.get("prechat_fields") or [],
                data.get("prechat_required") or [],
                data.get("topics") or {},
            )
        except ActionError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


@admin.register(ChatSettings)
class ChatSettingsAdmin(admin.ModelAdmin[ChatSettings]):
    form = ChatSettingsForm
    list_display = ["store", "ask_email_when_offline"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ChatSettings | None = None
    ) -> list[str]:
        return ["store"] if obj else []

    def save_model(self, request: HttpRequest, obj: ChatSettings, form: Any, change: bool) -> None:
        saved = save_chat_settings(
            obj.store,
            actor=Actor.for_agent(request.user),  # type: ignore[arg-type]
            greeting=obj.greeting or {},
            prechat_fields=obj.prechat_fields or [],
            prechat_required=obj.prechat_required or [],
            topics=obj.topics or {},
            ask_email_when_offline=obj.ask_email_when_offline,
        )
        obj.pk = saved.pk
