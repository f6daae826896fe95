"""Reads of contacts shared by several apps."""

from __future__ import annotations

from collections.abc import Iterable

from tiski.contacts.models import Contact, ContactIdentity, identity_label


def attach_display_fallbacks(contacts: Iterable[Contact]) -> None:
    """Let nameless contacts' ``display_name`` show an identity without a query each.

    One query for all of them, in the order ``display_name`` would pick (kind, then age).
    """
    nameless = {contact.pk: contact for contact in contacts if not contact.name}
    if not nameless:
        return
    fallback: dict[int, str] = {}
    for contact_id, kind, value in (
        ContactIdentity.objects.filter(contact_id__in=nameless)
        .order_by("contact_id", "kind", "created_at")
        .values_list("contact_id", "kind", "value")
    ):
        fallback.setdefault(contact_id, identity_label(kind, value))
    for contact_id, contact in nameless.items():
        contact.identity_fallback = fallback.get(contact_id, "")  # type: ignore[attr-defined]
