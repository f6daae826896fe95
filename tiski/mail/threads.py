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

from tiski.contacts.models import ContactIdentity, IdentityKind
from tiski.conversations.models import Conversation, Message
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
            found = (
                Conversation.objects.select_related("store", "contact")
                .filter(pk=conversation_id, store=store)
                .first()
            )
            if found is not None:
                return found
    return None


def _by_message_ids(store: Store, message_ids: Sequence[str]) -> Conversation | None:
    wanted = [m[:255] for m in message_ids if m]
    if not wanted:
        return None
    # ``exclude(external_id="")`` names the condition of the partial index on
    # external_id, without which neither SQLite nor PostgreSQL will use it.
    found = dict(
        Message.objects.filter(conversation__store=store, external_id__in=wanted)
        .exclude(external_id="")
        .order_by()
        .values_list("external_id", "conversation_id")
    )
    for message_id in wanted:
        if message_id in found:
            return Conversation.objects.select_related("store", "contact").get(pk=found[message_id])
    return None


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
