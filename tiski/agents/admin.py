from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiski.agents.actions import add_membership, create_team, remove_membership, set_team_members
from tiski.agents.models import Agent, Membership, Team
from tiski.core.actors import Actor


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_agent(request.user)  # type: ignore[arg-type]


class MembershipInline(admin.TabularInline[Membership, Agent]):
    model = Membership
    extra = 0


@admin.register(Agent)
class AgentAdmin(UserAdmin):
    ordering = ["name"]
    list_display = ["email", "name", "language", "is_active", "is_staff"]
    search_fields = ["email", "name"]
    list_filter = ["is_active", "is_staff", "language"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "language", "timezone"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "name", "language", "password1", "password2"],
            },
        ),
    ]

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # Memberships go through the actions: they publish events, and removing one also
        # hands the agent's open conversations back.
        agent = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            data = getattr(inline, "cleaned_data", None)
            if not data:
                continue
            if data.get("DELETE"):
                if inline.instance.pk:
                    remove_membership(agent, inline.instance.store, actor=_actor(request))
                    formset.deleted_objects.append(inline.instance)
            elif inline.has_changed() or not inline.instance.pk:
                saved = add_membership(
                    agent, data["store"], role=data["role"], actor=_actor(request)
                )
                if inline.instance.pk:
                    formset.changed_objects.append((saved, inline.changed_data))
                else:
                    formset.new_objects.append(saved)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "store"]
    list_filter = ["store"]
    filter_horizontal = ["members"]

    def get_readonly_fields(self, request: HttpRequest, obj: Team | None = None) -> list[str]:
        return ["store", "name"] if obj else []

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        if not change:
            created = create_team(obj.store, name=obj.name, actor=_actor(request))
            obj.pk = created.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Members through the action, which refuses agents from other stores.
        set_team_members(form.instance, form.cleaned_data["members"], actor=_actor(request))
