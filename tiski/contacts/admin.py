from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tiski.contacts.models import Contact, ContactIdentity, ContactTag


class ReadOnly:
    """Contacts are changed in the inbox and the API, through actions that publish
    events; the admin shows them for reference."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IdentityInline(ReadOnly, admin.TabularInline[ContactIdentity, Contact]):
    model = ContactIdentity
    extra = 0
    exclude = ["store"]


@admin.register(Contact)
class ContactAdmin(ReadOnly, admin.ModelAdmin[Contact]):
    list_display = ["name", "store", "language", "created_at"]
    list_filter = ["store"]
    search_fields = ["name", "identities__value"]
    inlines = [IdentityInline]


@admin.register(ContactTag)
class ContactTagAdmin(ReadOnly, admin.ModelAdmin[ContactTag]):
    list_display = ["name", "store"]
    list_filter = ["store"]
