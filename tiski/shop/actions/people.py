"""The shop's customers as contacts: matched by the shop's customer id, then by email."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError

from tiski.contacts.actions import ContactRequest, IdentityInput, resolve_contacts
from tiski.contacts.identities import normalize_identity
from tiski.contacts.models import Contact, IdentityKind
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.shop.records import CustomerRecord
from tiski.stores.models import Store


def contacts_for(
    store: Store, customers: Sequence[CustomerRecord | None], *, actor: Actor
) -> list[Contact | None]:
    """The contact of each customer, created if the shop knows them and Tiski does not.

    A guest (no customer id) is found or made by their email; a customer with neither
    a usable id nor email has no contact.
    """
    requests: list[ContactRequest] = []
    asked: list[int] = []
    for index, customer in enumerate(customers):
        if customer is None:
            continue
        identities = _usable(store, customer)
        if identities:
            requests.append(
                ContactRequest(store, identities, name=customer.name, language=customer.language)
            )
            asked.append(index)
    found: list[Contact | None] = [None] * len(customers)
    for index, outcome in zip(asked, resolve_contacts(requests, actor=actor), strict=True):
        if not isinstance(outcome, ActionError):
            found[index] = outcome.contact
    return found


def _usable(store: Store, customer: CustomerRecord) -> list[IdentityInput]:
    """The customer's identities that are valid: a shop's bad email is no reason to lose
    the order, only the link."""
    usable = []
    for kind, value in (
        (IdentityKind.SHOP_CUSTOMER, customer.external_id),
        (IdentityKind.EMAIL, customer.email),
    ):
        if not value.strip():
            continue
        try:
            normalize_identity(kind, value, country=store.country)
        except ValidationError:
            continue
        usable.append(IdentityInput(kind, value))
    return usable
