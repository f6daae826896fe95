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
from datetime import datetime
from functools import cache

from django.db import connections, router

from tiski.contacts.models import Contact, ContactIdentity, IdentityKind
from tiski.conversations.models import UNRESOLVED, Channel, Conversation, Message
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


@dataclass(frozen=True)
class MailThreadKeys:
    """What threading reads of one mail."""

    recipients: Sequence[str]
    in_reply_to: Sequence[str]
    references: Sequence[str]
    subject: str
    sender: str

    def message_ids(self) -> list[str]:
        """The message answered first, then the thread from its newest end."""
        ids = [*self.in_reply_to, *reversed(self.references)]
        return list(dict.fromkeys(m[:255] for m in ids if m))


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
    keys = MailThreadKeys(recipients, in_reply_to, references, subject, sender)
    return find_threads(store, [keys])[0]


def find_threads(store: Store, mails: Sequence[MailThreadKeys]) -> list[Thread]:
    """``find_thread`` for many mails to one store, in a constant number of queries."""
    # Rules 1 and 2 name conversations by id: one read for every candidate.
    by_token = [_token_ids(store, mail.recipients) for mail in mails]
    by_message_id = _conversations_of_message_ids(
        list(dict.fromkeys(m for mail in mails for m in mail.message_ids()))
    )
    candidates = {pk for ids in by_token for pk in ids} | {
        pk for pks in by_message_id.values() for pk in pks
    }
    ours = _load(store, candidates)
    threads: list[Thread | None] = []
    for mail, token_ids in zip(mails, by_token, strict=True):
        found = next((ours[pk] for pk in token_ids if pk in ours), None)
        if found is not None:
            threads.append(Thread(found, "token"))
            continue
        # The same Message-ID may be in another store's conversation (a mail to two
        # shops): only this store's count.
        found = next(
            (
                ours[pk]
                for message_id in mail.message_ids()
                for pk in by_message_id.get(message_id, ())
                if pk in ours
            ),
            None,
        )
        threads.append(Thread(found, "references") if found is not None else None)
    unplaced = [index for index, thread in enumerate(threads) if thread is None]
    by_subject = _by_subjects(store, [mails[index] for index in unplaced])
    for index, found in zip(unplaced, by_subject, strict=True):
        threads[index] = Thread(found, "subject") if found is not None else Thread(None)
    return [
        Thread(_current(t.conversation), t.by) if t and t.conversation else Thread(None)
        for t in threads
    ]


def _token_ids(store: Store, recipients: Iterable[str]) -> list[int]:
    if not store.support_email:
        return []
    found = (conversation_id_from(a, store.support_email, store.pk) for a in recipients)
    return [pk for pk in found if pk is not None]


def _load(store: Store, pks: Iterable[int]) -> dict[int, Conversation]:
    """The store's conversations among ``pks``, with their contacts, by id."""
    found = [c for c in select_rows(Conversation, sorted(set(pks))) if c.store_id == store.pk]
    contacts = {c.pk: c for c in select_rows(Contact, sorted({c.contact_id for c in found}))}
    for conversation in found:
        conversation.store = store
        conversation.contact = contacts[conversation.contact_id]
    return {conversation.pk: conversation for conversation in found}


def load_conversation(store: Store, pk: int) -> Conversation | None:
    """The store's conversation ``pk`` with its contact (plain SQL: the ORM's
    ``select_related().get()`` cost more to compile than to run, once per mail)."""
    return _load(store, [pk]).get(pk)


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
    if not wanted:
        return {}
    connection = connections[router.db_for_read(Message)]
    with connection.cursor() as cursor:
        cursor.execute(
            _message_ids_sql(connection.alias, len(wanted)), in_params(connection, wanted)
        )
        found: dict[str, list[int]] = {}
        for external_id, conversation_id in cursor.fetchall():
            found.setdefault(external_id, []).append(conversation_id)
        return found


def _by_subjects(store: Store, mails: Sequence[MailThreadKeys]) -> list[Conversation | None]:
    """Rule 3 for each of ``mails``: the conversation whose reference its subject
    quotes, when its sender is a participant."""
    prefix = store.reference_prefix.upper()
    numbers = [
        [int(number) for p, number in _REFERENCE.findall(mail.subject) if p.upper() == prefix]
        for mail in mails
    ]
    wanted = {number for found in numbers for number in found}
    if not wanted:
        return [None] * len(mails)
    conversations = {
        c.number: c
        for c in Conversation.objects.select_related("store", "contact").filter(
            store=store, number__in=wanted
        )
    }
    senders = {mail.sender.lower() for mail in mails if mail.sender}
    participants = set(
        ContactIdentity.objects.filter(
            contact_id__in={c.contact_id for c in conversations.values()},
            kind=IdentityKind.EMAIL,
            value__in=senders,
        ).values_list("contact_id", "value")
    )

    def participates(conversation: Conversation, address: str) -> bool:
        reply_to = conversation.reply_to_email.lower()
        return reply_to == address or (conversation.contact_id, address) in participants

    results: list[Conversation | None] = []
    for mail, found in zip(mails, numbers, strict=True):
        sender = mail.sender.lower()
        results.append(
            next(
                (
                    conversations[n]
                    for n in found
                    if n in conversations and sender and participates(conversations[n], sender)
                ),
                None,
            )
        )
    return results


def open_with_same_subject(
    store: Store, mails: Sequence[tuple[str, str]], *, since: datetime
) -> list[Conversation | None]:
    """For each (sender, subject): the sender's unresolved email conversation about the
    same subject, active since ``since``. A client that dropped the thread's headers
    should not split the matter in two."""
    subjects = [normalize_subject(subject) for _sender, subject in mails]
    pairs = list(zip([sender for sender, _subject in mails], subjects, strict=True))
    senders = sorted({sender for sender, subject in pairs if subject})
    if not senders:
        return [None] * len(mails)
    found: dict[tuple[str, str], int] = {}
    for sender, pk, subject in _open_email_subjects(store, senders, since):
        found.setdefault((sender, normalize_subject(subject)), pk)
    ours = _load(store, found.values())
    return [ours.get(found.get(pair, 0)) if pair[1] else None for pair in pairs]


@cache
def _open_email_subjects_sql(alias: str, senders: int) -> str:
    connection = connections[alias]
    q = connection.ops.quote_name
    conversation, identity = q(Conversation._meta.db_table), q(ContactIdentity._meta.db_table)
    status = in_sql(connection, "c." + q("status"), len(UNRESOLVED))
    value = in_sql(connection, "i." + q("value"), senders)
    # Newest first: the one a customer is most likely writing about wins a tie.
    return (
        f"SELECT i.{q('value')}, c.{q('id')}, c.{q('subject')} FROM {identity} i "  # noqa: S608 (names come from the models)
        f"JOIN {conversation} c ON c.{q('contact_id')} = i.{q('contact_id')} "
        f"WHERE i.{q('store_id')} = %s AND i.{q('kind')} = %s AND {value} "
        f"AND c.{q('store_id')} = %s AND c.{q('channel')} = %s "
        f"AND {status} "
        f"AND c.{q('last_message_at')} >= %s AND c.{q('merged_into_id')} IS NULL "
        f"ORDER BY c.{q('last_message_at')} DESC, c.{q('id')} DESC"
    )


def _open_email_subjects(
    store: Store, senders: list[str], since: datetime
) -> list[tuple[str, int, str]]:
    """(sender, id, subject) of the senders' unresolved email conversations active since
    ``since``: one plain query, where the ORM took two and compiled both per mail."""
    connection = connections[router.db_for_read(Conversation)]
    when = Conversation._meta.get_field("last_message_at").get_db_prep_value(
        since, connection, prepared=False
    )
    params = [
        store.pk,
        IdentityKind.EMAIL,
        *in_params(connection, senders),
        *(store.pk, Channel.EMAIL),
        *in_params(connection, list(UNRESOLVED)),
        when,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_open_email_subjects_sql(connection.alias, len(senders)), params)
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
