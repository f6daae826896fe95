"""Reads of contacts shared by several apps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from django.db import connections, router

from tiski.contacts.models import Contact, ContactIdentity, identity_label
from tiski.core.rows import in_params, in_sql


@cache
def _fallbacks_sql(alias: str, count: int) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    contact_id, kind, value = quote("contact_id"), quote("kind"), quote("value")
    return (
        f"SELECT {contact_id}, {kind}, {value} "  # noqa: S608 (names come from the model)
        f"FROM {quote(ContactIdentity._meta.db_table)} "
        f"WHERE {in_sql(connection, contact_id, count)} "
        f"ORDER BY {contact_id}, {kind}, {quote('created_at')}"
    )


def attach_display_fallbacks(contacts: Iterable[Contact]) -> None:
    """Let nameless contacts' ``display_name`` show an identity without a query each.

    One query for all of them, in the order ``display_name`` would pick (kind, then age).
    """
    nameless = {contact.pk: contact for contact in contacts if not contact.name}
    if not nameless:
        return
    fallback: dict[int, str] = {}
    connection = connections[router.db_for_read(ContactIdentity)]
    # Plain SQL: the chat writer runs this for every batch, and compiling the ORM query
    # cost more than running it.
    with connection.cursor() as cursor:
        cursor.execute(
            _fallbacks_sql(connection.alias, len(nameless)), in_params(connection, list(nameless))
        )
        for contact_id, kind, value in cursor.fetchall():
            fallback.setdefault(contact_id, identity_label(kind, value))
    for contact_id, contact in nameless.items():
        contact.identity_fallback = fallback.get(contact_id, "")  # type: ignore[attr-defined]


def identity_owners(
    store_id: int, identities: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """The contact id each of ``identities`` ((kind, normalised value) pairs) already
    belongs to (plain SQL: every batch of mail and chat asks, and the ORM compiled the
    query each time)."""
    if not identities:
        return {}
    connection = connections[router.db_for_read(ContactIdentity)]
    kinds = sorted({kind for kind, _value in identities})
    values = sorted({value for _kind, value in identities})
    with connection.cursor() as cursor:
        cursor.execute(
            _identity_owners_sql(connection.alias, len(kinds), len(values)),
            [store_id, *in_params(connection, kinds), *in_params(connection, values)],
        )
        found = {(kind, value): contact_id for kind, value, contact_id in cursor.fetchall()}
    return {identity: found[identity] for identity in identities if identity in found}


@cache
def _identity_owners_sql(alias: str, kinds: int, values: int) -> str:
    connection = connections[alias]
    q = connection.ops.quote_name
    return (
        f"SELECT {q('kind')}, {q('value')}, {q('contact_id')} "  # noqa: S608 (names come from the model)
        f"FROM {q(ContactIdentity._meta.db_table)} WHERE {q('store_id')} = %s "
        f"AND {in_sql(connection, q('kind'), kinds)} AND {in_sql(connection, q('value'), values)}"
    )
