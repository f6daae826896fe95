"""Every write to contacts, their identities, notes and tags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiski.contacts.events import (
    ContactCreated,
    ContactNoteAdded,
    ContactsMerged,
    ContactTagsChanged,
    ContactUpdated,
    IdentityAdded,
)
from tiski.contacts.identities import normalize_identity
from tiski.contacts.models import Contact, ContactIdentity, ContactNote, ContactTag
from tiski.contacts.queries import identity_owners
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.rows import insert_rows, select_rows, update_rows
from tiski.events import publish
from tiski.stores.models import Store

MAX_NOTE_CHARS = 10_000
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class IdentityInput:
    kind: str
    value: str


def _normalized(store: Store, identities: Iterable[IdentityInput]) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for identity in identities:
        try:
            value = normalize_identity(identity.kind, identity.value, country=store.country)
        except ValidationError as exc:
            raise ActionError(exc.messages[0], field=identity.kind) from exc
        if (identity.kind, value) not in result:
            result.append((identity.kind, value))
    return result


def _check_language(language: str) -> None:
    if language and language not in LANGUAGE_CODES:
        raise ActionError(_("Unknown language %(code)s.") % {"code": language}, field="language")


def _add_identities(
    contact: Contact,
    identities: list[tuple[str, str]],
    actor: Actor,
    owners: dict[tuple[str, str], int] | None = None,
) -> None:
    """Add ``identities`` to ``contact``; ``owners`` is what ``identity_owners`` said of them, if
    the caller asked already in this transaction."""
    owners = identity_owners(contact.store_id, identities) if owners is None else owners
    for kind, value in identities:
        owner = owners.get((kind, value))
        if owner == contact.pk:
            continue
        if owner is not None:
            raise ActionError(
                _("%(value)s already belongs to another contact.") % {"value": value}, field=kind
            )
        insert_rows(
            [ContactIdentity(contact=contact, store_id=contact.store_id, kind=kind, value=value)]
        )
        publish(
            IdentityAdded(
                store_id=contact.store_id,
                actor=actor,
                contact_id=contact.pk,
                kind=kind,
                value=value,
            )
        )


@transaction.atomic
def create_contact(
    store: Store,
    *,
    actor: Actor,
    name: str = "",
    language: str = "",
    identities: Sequence[IdentityInput] = (),
) -> Contact:
    """Create a contact; refuses identities that already belong to someone else."""
    normalized = _normalized(store, identities)
    _check_language(language)
    contact = Contact.objects.create(store=store, name=name.strip()[:200], language=language)
    publish(
        ContactCreated(store_id=store.pk, actor=actor, contact_id=contact.pk, name=contact.name)
    )
    _add_identities(contact, normalized, actor)
    return contact


@dataclass(frozen=True)
class ResolvedContact:
    contact: Contact
    created: bool


@dataclass(frozen=True)
class ContactRequest:
    """Someone a message came from, as ``resolve_contacts`` is asked to find them."""

    store: Store
    identities: Sequence[IdentityInput]
    name: str = ""
    language: str = ""
    # Identities the sender claims but nobody vouches for (the email a shop passes with
    # a signed customer id, unsigned): added to the contact when nobody else has them,
    # never used to find one. Matching by them would hand a stranger's conversations to
    # whoever typed their address.
    claimed: Sequence[IdentityInput] = ()


@transaction.atomic
def resolve_contact(
    store: Store,
    *,
    actor: Actor,
    identities: Sequence[IdentityInput],
    name: str = "",
    language: str = "",
) -> ResolvedContact:
    """Find the contact one of ``identities`` belongs to, or create one.

    Identities that are new are added to the found contact; identities of a different
    contact are left where they are (two people can share a phone; merging them is an
    agent's decision, not a guess).
    """
    [outcome] = resolve_contacts([ContactRequest(store, identities, name, language)], actor=actor)
    if isinstance(outcome, ActionError):
        raise outcome
    return outcome


def resolve_contacts(
    requests: Sequence[ContactRequest], *, actor: Actor
) -> list[ResolvedContact | ActionError]:
    """``resolve_contact`` for many senders at once, as if one after the other: a sender
    named twice gets the contact the first request created. Call it in a transaction.

    A constant number of statements whatever the number of requests (an import, the
    chat writer's batch): one lookup of the identities per store, one read of the
    contacts found, one insert of the new contacts and one of the new identities.
    """
    outcomes: list[ResolvedContact | ActionError | None] = [None] * len(requests)
    wanted: list[tuple[int, list[tuple[str, str]]]] = []
    claims: dict[int, list[tuple[str, str]]] = {}
    for index, request in enumerate(requests):
        try:
            normalized = _normalized(request.store, request.identities)
            if not normalized:
                raise ActionError(_("A contact needs an email, phone or other identity."))
        except ActionError as exc:
            outcomes[index] = exc
            continue
        wanted.append((index, normalized))
        try:
            claims[index] = _normalized(request.store, request.claimed)
        except ActionError:
            claims[index] = []  # a claim that is no identity at all is simply not kept
    # Who owns each identity, by store; filled in as this batch creates and adds.
    owners: dict[int, dict[tuple[str, str], Contact]] = {}
    by_store: dict[int, list[tuple[str, str]]] = {}
    for index, normalized in wanted:
        by_store.setdefault(requests[index].store.pk, []).extend(normalized + claims[index])
    found_ids = {
        store_id: identity_owners(store_id, list(dict.fromkeys(identities)))
        for store_id, identities in by_store.items()
    }
    loaded = {
        contact.pk: contact
        for contact in select_rows(
            Contact, sorted({pk for ids in found_ids.values() for pk in ids.values()})
        )
    }
    for store_id, ids in found_ids.items():
        owners[store_id] = {identity: loaded[pk] for identity, pk in ids.items()}

    new_contacts: list[Contact] = []
    # Each with its owner: the identity's own reference is dropped once its id is set.
    new_identities: list[tuple[ContactIdentity, Contact]] = []
    changed: dict[int, tuple[Contact, list[str]]] = {}
    for index, normalized in wanted:
        request = requests[index]
        store = request.store
        known = owners[store.pk]
        owner = next((known[i] for i in normalized if i in known), None)
        name = request.name.strip()[:200]
        language = request.language if request.language in LANGUAGE_CODES else ""
        created = owner is None
        if owner is None:
            owner = Contact(store=store, name=name, language=language)
            new_contacts.append(owner)
        else:
            owner.store = store
            fields = changed.setdefault(id(owner), (owner, []))[1]
            if name and not owner.name:
                owner.name = name
                fields.append("name")
            if language and not owner.language:
                owner.language = language
                fields.append("language")
        for kind, value in dict.fromkeys(normalized + claims[index]):
            if (kind, value) not in known:
                known[(kind, value)] = owner
                identity = ContactIdentity(store_id=store.pk, kind=kind, value=value)
                new_identities.append((identity, owner))
        outcomes[index] = ResolvedContact(owner, created=created)

    insert_rows(new_contacts)
    for identity, owner in new_identities:
        identity.contact_id = owner.pk  # given its id by the insert above
    insert_rows([identity for identity, _owner in new_identities])
    updated = [(contact, fields) for contact, fields in changed.values() if fields]
    now = clock.now()
    for contact, _fields in updated:
        contact.updated_at = now
    for shape in {tuple(f) for _c, f in updated}:
        update_rows([c for c, f in updated if tuple(f) == shape], [*shape, "updated_at"])

    # Announced in the order a one-by-one resolution would have: a contact, then its
    # identities; then the changes to contacts that were there.
    new_ids = {id(contact) for contact in new_contacts}
    for contact in new_contacts:
        publish(
            ContactCreated(
                store_id=contact.store_id, actor=actor, contact_id=contact.pk, name=contact.name
            )
        )
        for identity, owner in new_identities:
            if owner is contact:
                publish(_identity_added(identity, actor))
    for identity, owner in new_identities:
        if id(owner) not in new_ids:
            publish(_identity_added(identity, actor))
    for contact, fields in updated:
        publish(
            ContactUpdated(
                store_id=contact.store_id, actor=actor, contact_id=contact.pk, changed=fields
            )
        )
    return [outcome for outcome in outcomes if outcome is not None]


def _identity_added(identity: ContactIdentity, actor: Actor) -> IdentityAdded:
    return IdentityAdded(
        store_id=identity.store_id,
        actor=actor,
        contact_id=identity.contact_id,
        kind=identity.kind,
        value=identity.value,
    )


@transaction.atomic
def update_contact(
    contact: Contact, *, actor: Actor, name: str | None = None, language: str | None = None
) -> Contact:
    if language is not None:
        _check_language(language)
    changed: list[str] = []
    if name is not None and name.strip()[:200] != contact.name:
        contact.name = name.strip()[:200]
        changed.append("name")
    if language is not None and language != contact.language:
        contact.language = language
        changed.append("language")
    if changed:
        contact.save(update_fields=[*changed, "updated_at"])
        publish(
            ContactUpdated(
                store_id=contact.store_id, actor=actor, contact_id=contact.pk, changed=changed
            )
        )
    return contact


@transaction.atomic
def add_identity(contact: Contact, identity: IdentityInput, *, actor: Actor) -> Contact:
    store = Store.objects.get(pk=contact.store_id)
    _add_identities(contact, _normalized(store, [identity]), actor)
    return contact


@transaction.atomic
def add_contact_note(contact: Contact, *, body: str, actor: Actor) -> ContactNote:
    body = body.strip()
    if not body:
        raise ActionError(_("The note is empty."), field="body")
    if len(body) > MAX_NOTE_CHARS:
        raise ActionError(_("The note is too long."), field="body")
    note = ContactNote.objects.create(contact=contact, author_id=actor.agent_id, body=body)
    publish(
        ContactNoteAdded(
            store_id=contact.store_id, actor=actor, contact_id=contact.pk, note_id=note.pk
        )
    )
    return note


@transaction.atomic
def set_contact_tags(contact: Contact, names: Iterable[str], *, actor: Actor) -> Contact:
    """Make ``names`` exactly the contact's tags; unknown tags are created in its store."""
    wanted = {" ".join(n.split())[:50] for n in names if n.strip()}
    current = {t.name: t for t in contact.tags.all()}
    added = sorted(wanted - set(current))
    removed = sorted(set(current) - wanted)
    if not added and not removed:
        return contact
    for name in added:
        tag, _created = ContactTag.objects.get_or_create(store_id=contact.store_id, name=name)
        contact.tags.add(tag)
    contact.tags.remove(*[current[n] for n in removed])
    publish(
        ContactTagsChanged(
            store_id=contact.store_id,
            actor=actor,
            contact_id=contact.pk,
            added=added,
            removed=removed,
        )
    )
    return contact


@transaction.atomic
def merge_contacts(source: Contact, target: Contact, *, actor: Actor) -> Contact:
    """Make ``source`` part of ``target``: everything that belongs to it (conversations,
    identities, notes, orders, carts, and whatever else points at a contact) moves over,
    its tags too, and ``source`` is deleted. For a chat visitor who turns out to be a
    known customer, or two records of one person."""
    if source.pk == target.pk or source.store_id != target.store_id:
        raise ActionError(_("Only two different contacts of one store can be merged."))
    # Every model that points at a contact, whichever app it is in: a new one (a
    # customer's returns) moves without this function having to know about it.
    for relation in Contact._meta.related_objects:
        if relation.one_to_many and relation.field.concrete:
            manager = relation.related_model._base_manager
            manager.filter(**{relation.field.name: source}).update(**{relation.field.name: target})
    target.tags.add(*source.tags.all())
    changed = []
    if not target.name and source.name:
        target.name = source.name
        changed.append("name")
    if not target.language and source.language:
        target.language = source.language
        changed.append("language")
    if changed:
        target.save(update_fields=[*changed, "updated_at"])
    source_id = source.pk
    source.delete()
    publish(
        ContactsMerged(
            store_id=target.store_id, actor=actor, source_id=source_id, target_id=target.pk
        )
    )
    return target
