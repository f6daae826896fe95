"""Every write to contacts, their identities, notes and tags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
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
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.rows import in_params, in_sql, insert_rows, select_rows
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


def _owners(store_id: int, identities: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The contact id each of ``identities`` already belongs to (plain SQL: every mail
    and chat from someone new asks, and the ORM compiled the query each time)."""
    if not identities:
        return {}
    connection = connections[router.db_for_read(ContactIdentity)]
    kinds = sorted({kind for kind, _value in identities})
    values = sorted({value for _kind, value in identities})
    with connection.cursor() as cursor:
        cursor.execute(
            _owners_sql(connection.alias, len(kinds), len(values)),
            [store_id, *in_params(connection, kinds), *in_params(connection, values)],
        )
        found = {(kind, value): contact_id for kind, value, contact_id in cursor.fetchall()}
    return {identity: found[identity] for identity in identities if identity in found}


@cache
def _owners_sql(alias: str, kinds: int, values: int) -> str:
    connection = connections[alias]
    q = connection.ops.quote_name
    return (
        f"SELECT {q('kind')}, {q('value')}, {q('contact_id')} "  # noqa: S608 (names come from the model)
        f"FROM {q(ContactIdentity._meta.db_table)} WHERE {q('store_id')} = %s "
        f"AND {in_sql(connection, q('kind'), kinds)} AND {in_sql(connection, q('value'), values)}"
    )


def _add_identities(
    contact: Contact,
    identities: list[tuple[str, str]],
    actor: Actor,
    owners: dict[tuple[str, str], int] | None = None,
) -> None:
    """Add ``identities`` to ``contact``; ``owners`` is what ``_owners`` said of them, if
    the caller asked already in this transaction."""
    owners = _owners(contact.store_id, identities) if owners is None else owners
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
    normalized = _normalized(store, identities)
    if not normalized:
        raise ActionError(_("A contact needs an email, phone or other identity."))
    owners = _owners(store.pk, normalized)
    owner = next((owners[i] for i in normalized if i in owners), None)
    if owner is None:
        _check_language(language if language in LANGUAGE_CODES else "")
        contact = Contact(
            store=store,
            name=name.strip()[:200],
            language=language if language in LANGUAGE_CODES else "",
        )
        insert_rows([contact])
        publish(
            ContactCreated(store_id=store.pk, actor=actor, contact_id=contact.pk, name=contact.name)
        )
        _add_identities(contact, normalized, actor, owners={})
        return ResolvedContact(contact, created=True)
    [contact] = select_rows(Contact, [owner])
    contact.store = store
    new = [i for i in normalized if i not in owners]
    if new:
        _add_identities(contact, new, actor, owners=owners)
    changed = []
    if name.strip() and not contact.name:
        contact.name = name.strip()[:200]
        changed.append("name")
    if language in LANGUAGE_CODES and not contact.language:
        contact.language = language
        changed.append("language")
    if changed:
        contact.save(update_fields=[*changed, "updated_at"])
        publish(
            ContactUpdated(store_id=store.pk, actor=actor, contact_id=contact.pk, changed=changed)
        )
    return ResolvedContact(contact, created=False)


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
    """Make ``source`` part of ``target``: its conversations, identities, notes and tags
    move over and ``source`` is deleted. For a chat visitor who turns out to be a known
    customer, or two records of one person."""
    from tiski.conversations.models import Conversation

    if source.pk == target.pk or source.store_id != target.store_id:
        raise ActionError(_("Only two different contacts of one store can be merged."))
    Conversation.objects.filter(contact=source).update(contact=target)
    ContactIdentity.objects.filter(contact=source).update(contact=target)
    ContactNote.objects.filter(contact=source).update(contact=target)
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
