"""Reads for the chat widget: a visitor's contact, conversation and history."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tiski.chat.visitors import Visitor
from tiski.contacts.identities import normalize_identity
from tiski.contacts.models import Contact, ContactIdentity
from tiski.conversations.eventlog import replayed
from tiski.conversations.models import Channel, Conversation, ConversationEvent, Kind, Message

HISTORY_LIMIT = 50


def visitor_contacts(visitor: Visitor, country: str = "") -> dict[str, Contact]:
    """The contacts the visitor's identities belong to, keyed by identity kind."""
    wanted = []
    for identity in visitor.identities():
        try:
            value = normalize_identity(identity.kind, identity.value, country=country)
        except ValidationError:
            # An email the shop passed that is not one cannot identify anybody.
            continue
        wanted.append((identity.kind, value))
    found: dict[str, Contact] = {}
    rows = ContactIdentity.objects.filter(
        store_id=visitor.store_id,
        kind__in=[kind for kind, _v in wanted],
        value__in=[value for _k, value in wanted],
    ).select_related("contact")
    by_pair = {(row.kind, row.value): row.contact for row in rows}
    for pair in wanted:
        if pair in by_pair:
            found[pair[0]] = by_pair[pair]
    return found


def visitor_contact(visitor: Visitor, country: str = "") -> Contact | None:
    """The strongest match: the signed shop customer id, then the visitor id (never the
    unsigned email: see Visitor.claimed)."""
    found = visitor_contacts(visitor, country)
    for kind in ("shop_customer", "visitor"):
        if kind in found:
            return found[kind]
    return None


def current_conversation(contact: Contact) -> Conversation | None:
    """The visitor's latest chat conversation, followed through merges."""
    conversation = (
        Conversation.objects.filter(contact=contact, channel=Channel.CHAT)
        .select_related("store", "contact")
        .order_by("-last_message_at", "-id")
        .first()
    )
    hops = 0
    while conversation is not None and conversation.merged_into_id and hops < 10:
        conversation = (
            Conversation.objects.select_related("store", "contact")
            .filter(pk=conversation.merged_into_id)
            .first()
        )
        hops += 1
    return conversation


def public_history(conversation: Conversation, limit: int = HISTORY_LIMIT) -> list[Message]:
    """What the customer sees: replies both ways, never notes or internal activity."""
    rows = list(
        Message.objects.filter(conversation=conversation, kind=Kind.REPLY)
        .select_related("author_agent")
        .prefetch_related("attachments")
        .order_by("-seq")[:limit]
    )
    rows.reverse()
    return rows


def public_events_after(conversation_id: int, after_seq: int) -> list[ConversationEvent] | None:
    """The customer-visible events after ``after_seq``, or None when that range was pruned
    (the widget then reloads the conversation instead)."""
    # The last seq first: an event committed between the two reads then only adds rows
    # after it, instead of looking like a gap (which would reload the conversation).
    last = (
        Conversation.objects.filter(pk=conversation_id).values_list("last_seq", flat=True).first()
    )
    events = list(
        ConversationEvent.objects.filter(conversation_id=conversation_id, seq__gt=after_seq)
        .order_by("seq")
        .values_list("seq", "public", "payload")
    )
    if last is None:
        return None
    expected = last - after_seq
    if expected > 0 and (not events or events[0][0] != after_seq + 1):
        return None  # a gap: those entries were pruned
    public = [(seq, payload) for seq, is_public, payload in events if is_public]
    return [
        ConversationEvent(conversation_id=conversation_id, seq=seq, public=True, payload=payload)
        for (seq, _logged), payload in zip(
            public, replayed(payload for _seq, payload in public), strict=True
        )
    ]
