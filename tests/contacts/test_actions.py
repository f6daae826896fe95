from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import SYSTEM, recorded
from tiski.contacts.actions import (
    ContactRequest,
    IdentityInput,
    ResolvedContact,
    add_contact_note,
    add_identity,
    create_contact,
    resolve_contact,
    resolve_contacts,
    set_contact_tags,
    update_contact,
)
from tiski.contacts.identities import normalize_identity
from tiski.contacts.models import Contact, ContactIdentity, IdentityKind
from tiski.core.errors import ActionError
from tiski.stores.models import Store

EMAIL = IdentityKind.EMAIL
PHONE = IdentityKind.PHONE


@pytest.mark.parametrize(
    ("kind", "raw", "country", "expected"),
    [
        (EMAIL, "  Matti.M@Example.FI ", "", "matti.m@example.fi"),
        (PHONE, "040 123 4567", "FI", "+358401234567"),
        (PHONE, "00358 40 1234567", "FI", "+358401234567"),
        (PHONE, "+48 512 345 678", "FI", "+48512345678"),
        (PHONE, "512-345-678", "PL", "+48512345678"),
        (IdentityKind.SHOP_CUSTOMER, " cus_1 ", "", "cus_1"),
    ],
)
def test_identities_are_normalised(kind: str, raw: str, country: str, expected: str) -> None:
    assert normalize_identity(kind, raw, country=country) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [(EMAIL, "no-at-sign"), (PHONE, "12"), (PHONE, "call me"), ("fax", "1"), (EMAIL, "")],
)
def test_bad_identities_are_refused(kind: str, raw: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        normalize_identity(kind, raw, country="FI")


def test_resolve_finds_by_any_identity_and_adds_new_ones(store: Store) -> None:
    first = resolve_contact(
        store, actor=SYSTEM, identities=[IdentityInput(EMAIL, "matti@example.fi")], name="Matti"
    )
    with recorded() as events:
        again = resolve_contact(
            store,
            actor=SYSTEM,
            identities=[
                IdentityInput(PHONE, "040 123 4567"),
                IdentityInput(EMAIL, "MATTI@example.fi"),
            ],
            name="Someone Else",
        )
    assert again.contact.pk == first.contact.pk and not again.created
    assert [e.type for e in events] == ["contact.identity_added"]
    # An existing name is not overwritten by whatever a sender puts in a header.
    assert Contact.objects.get().name == "Matti"


def test_an_identity_of_someone_else_is_not_stolen(store: Store) -> None:
    create_contact(store, actor=SYSTEM, name="A", identities=[IdentityInput(EMAIL, "a@example.fi")])
    b = create_contact(
        store, actor=SYSTEM, name="B", identities=[IdentityInput(EMAIL, "b@example.fi")]
    )
    with pytest.raises(ActionError, match="another contact"):
        add_identity(b, IdentityInput(EMAIL, "a@example.fi"), actor=SYSTEM)
    assert ContactIdentity.objects.get(value="a@example.fi").contact.name == "A"


def test_the_same_address_in_two_stores_is_two_contacts(store: Store, other_store: Store) -> None:
    one = resolve_contact(store, actor=SYSTEM, identities=[IdentityInput(EMAIL, "x@example.com")])
    two = resolve_contact(
        other_store, actor=SYSTEM, identities=[IdentityInput(EMAIL, "x@example.com")]
    )
    assert one.contact.pk != two.contact.pk


def test_tags_notes_and_updates(store: Store, owner: object) -> None:
    contact = create_contact(store, actor=SYSTEM, name="Matti")
    with recorded() as events:
        set_contact_tags(contact, ["vip", "  tukku  asiakas ", "vip"], actor=SYSTEM)
        set_contact_tags(contact, ["tukku asiakas"], actor=SYSTEM)
        add_contact_note(contact, body="Haluaa laskun sähköpostiin", actor=SYSTEM)
        update_contact(contact, name="Matti Virtanen", language="fi", actor=SYSTEM)
        update_contact(contact, name="Matti Virtanen", actor=SYSTEM)
    assert [e.type for e in events] == [
        "contact.tags_changed",
        "contact.tags_changed",
        "contact.note_added",
        "contact.updated",
    ]
    assert events[0].payload()["added"] == ["tukku asiakas", "vip"]
    assert list(contact.tags.values_list("name", flat=True)) == ["tukku asiakas"]
    with pytest.raises(ActionError):
        add_contact_note(contact, body="   ", actor=SYSTEM)
    with pytest.raises(ActionError):
        update_contact(contact, language="klingon", actor=SYSTEM)


def test_many_senders_resolve_as_if_one_after_the_other(store: Store, other_store: Store) -> None:
    known = resolve_contact(
        store, actor=SYSTEM, identities=[IdentityInput(EMAIL, "known@example.fi")]
    ).contact

    def asking(email: str, *more: IdentityInput, name: str = "", at: Store = store) -> Any:
        return ContactRequest(at, [IdentityInput(EMAIL, email), *more], name=name)

    with recorded() as events:
        outcomes = resolve_contacts(
            [
                asking("new@example.fi", name="Uusi"),
                asking("known@example.fi", IdentityInput(PHONE, "040 123 4567"), name="Vanha"),
                asking("NEW@example.fi", IdentityInput(PHONE, "050 765 4321")),
                asking("no-at-sign"),
                asking("new@example.fi", at=other_store),
            ],
            actor=SYSTEM,
        )
    new, old, new_again, bad, elsewhere = outcomes
    assert isinstance(bad, ActionError)
    assert isinstance(new, ResolvedContact) and new.created
    assert isinstance(new_again, ResolvedContact) and not new_again.created
    assert new_again.contact is new.contact
    assert isinstance(old, ResolvedContact) and old.contact.pk == known.pk and not old.created
    assert isinstance(elsewhere, ResolvedContact) and elsewhere.contact.store_id == other_store.pk
    # The known contact had no name: the header's name fills it; identities were added.
    known.refresh_from_db()
    assert known.name == "Vanha"
    assert set(new.contact.identities.values_list("value", flat=True)) == {
        "new@example.fi",
        "+358507654321",
    }
    assert known.identities.filter(kind=PHONE).get().value == "+358401234567"
    assert [(e.type, e.contact_id) for e in events] == [  # type: ignore[attr-defined]
        ("contact.created", new.contact.pk),
        ("contact.identity_added", new.contact.pk),
        ("contact.identity_added", new.contact.pk),
        ("contact.created", elsewhere.contact.pk),
        ("contact.identity_added", elsewhere.contact.pk),
        ("contact.identity_added", known.pk),
        ("contact.updated", known.pk),
    ]


def test_resolving_many_senders_takes_the_same_statements_as_few(store: Store) -> None:
    def count(n: int, prefix: str) -> int:
        requests = [
            ContactRequest(store, [IdentityInput(EMAIL, f"{prefix}{i}@example.fi")], name="N")
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            resolve_contacts(requests, actor=SYSTEM)
        return len(captured)

    assert count(3, "a") == count(30, "b")
    assert Contact.objects.count() == 33
