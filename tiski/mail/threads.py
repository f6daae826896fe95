"""Which conversation a mail belongs to.

In this order, each rule stronger than the next:

1. a reply token in a recipient address (``support+c12-…@shop``), which only we hand out;
2. a Message-ID we stored (ours or the customer's own) in ``In-Reply-To``/``References``;
   ours carry a random part, so nobody outside the thread can name them;
3. the store's reference in the subject (``[#RVT-1234]``), only when the sender is a
   participant of that conversation: quoting a number is not enough to read along.

A mail that none of them place starts a conversation of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connections, router

from tiski.contacts.models import Contact, ContactIdentity, IdentityKind
from tiski.conversations.models import Conversation, Message
from tiski.core.rows import in_params, in_sql, select_rows
from tiski.mail.tokens import conversation_id_from
from tiski.stores.models import Store

_REFERENCE = re.compile(r"\[#([A-Za-z0-9]{1,10})-(\d{1,9})\]")
# Reply and forward prefixes of the clients our customers use (en, fi, sv, pl, de, ...),
# repeated and numbered ("Re[2]:", "VS: VS:").
_PREFIXES = re.compile(
    r"^\s*(?:(?:re|aw|sv|vs|vl|odp|fw|fwd|wg|tr|rv|vb|pd|pdf)\s*(?:\[\d+\])?\s*[:：]\s*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Thread:
    conversation: Conversation | None
    # Which rule placed the mail: "token", "references", "subject"; "" for none.
    by: str = ""


def normalize_subject(subject: str) -> str:
    """The subject without reply prefixes or our reference, for comparing threads."""
    without = _REFERENCE.sub(" ", subject)
    without = _PREFIXES.sub("", without)
    return " ".join(without.split()).casefold()


def _current(conversation: Conversation) -> Conversation:
    """Follow merges: a mail to a merged-away conversation goes where it went."""
    seen = {conversation.pk}
    while conversation.merged_into_id and conversation.merged_into_id not in seen:
        seen.add(conversation.merged_into_id)
        conversation = Conversation.objects.select_related("store", "contact").get(
            pk=conversation.merged_into_id
        )
    return conversation


def _by_token(store: Store, recipients: Iterable[str]) -> Conversation | None:
    if not store.support_email:
        return None
    for address in recipients:
        conversation_id = conversation_id_from(address, store.support_email, store.pk)
        if conversation_id is not None:
            found = load_conversation(store, conversation_id)
            if found is not None:
                return found
    return None


def load_conversation(store: Store, pk: int) -> Conversation | None:
    """The store's conversation ``pk`` with its contact (plain SQL: the ORM's
    ``select_related().get()`` cost more to compile than to run, once per mail)."""
    found = select_rows(Conversation, [pk])
    return _with_contact(store, found[0]) if found and found[0].store_id == store.pk else None


def _with_contact(store: Store, conversation: Conversation) -> Conversation:
    conversation.store = store
    conversation.contact = select_rows(Contact, [conversation.contact_id])[0]
    return conversation


def _by_message_ids(store: Store, message_ids: Sequence[str]) -> Conversation | None:
    wanted = list(dict.fromkeys(m[:255] for m in message_ids if m))
    if not wanted:
        return None
    found = _conversations_of_message_ids(wanted)
    if not found:
        return None
    # The same Message-ID may be in another store's conversation (a mail to two shops).
    candidates = sorted({pk for pks in found.values() for pk in pks})
    ours = {c.pk: c for c in select_rows(Conversation, candidates) if c.store_id == store.pk}
    for message_id in wanted:
        conversation = next((ours[pk] for pk in found.get(message_id, ()) if pk in ours), None)
        if conversation is not None:
            return _with_contact(store, conversation)
    return None


@cache
def _message_ids_sql(alias: str, count: int) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    external_id = quote("external_id")
    # Messages alone, by the index on external_id: joined with the store's conversations,
    # SQLite walked every conversation of the store instead. ``NOT (... = '')`` is the
    # partial index's own condition, spelt as in its definition, or it is not used.
    return (
        f"SELECT {external_id}, {quote('conversation_id')} "  # noqa: S608 (names come from the model)
        f"FROM {quote(Message._meta.db_table)} "
        f"WHERE {in_sql(connection, external_id, count)} AND NOT ({external_id} = '')"
    )


def _conversations_of_message_ids(wanted: list[str]) -> dict[str, list[int]]:
    """Conversation ids by Message-ID, for the messages stored with these ids."""
    connection = connections[router.db_for_read(Message)]
    with connection.cursor() as cursor:
        cursor.execute(
            _message_ids_sql(connection.alias, len(wanted)), in_params(connection, wanted)
        )
        found: dict[str, list[int]] = {}
        for external_id, conversation_id in cursor.fetchall():
            found.setdefault(external_id, []).append(conversation_id)
        return found


def is_participant(conversation: Conversation, address: str) -> bool:
    """Is ``address`` one the conversation's customer writes from?"""
    if conversation.reply_to_email and conversation.reply_to_email.lower() == address:
        return True
    return ContactIdentity.objects.filter(
        contact_id=conversation.contact_id, kind=IdentityKind.EMAIL, value=address
    ).exists()


def _by_subject(store: Store, subject: str, sender: str) -> Conversation | None:
    for prefix, number in _REFERENCE.findall(subject):
        if prefix.upper() != store.reference_prefix.upper():
            continue
        found = (
            Conversation.objects.select_related("store", "contact")
            .filter(store=store, number=int(number))
            .first()
        )
        if found is not None and sender and is_participant(found, sender):
            return found
    return None


def find_thread(
    store: Store,
    *,
    recipients: Sequence[str],
    in_reply_to: Sequence[str],
    references: Sequence[str],
    subject: str,
    sender: str,
) -> Thread:
    """The conversation a mail continues, by the rules above; ``Thread(None)`` if none."""
    found = _by_token(store, recipients)
    if found is not None:
        return Thread(_current(found), "token")
    # The message answered first, then the thread from its newest end.
    found = _by_message_ids(store, [*in_reply_to, *reversed(references)])
    if found is not None:
        return Thread(_current(found), "references")
    found = _by_subject(store, subject, sender.lower())
    if found is not None:
        return Thread(_current(found), "subject")
    return Thread(None)
