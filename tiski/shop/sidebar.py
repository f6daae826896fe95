"""The shop beside a conversation: the contact's orders, ready to show and to quote, and
the order numbers its messages mention, linked.

What the agent reads is in the agent's language (the active one); what goes into a
reply is in the conversation's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiski.core.html import web_url
from tiski.shop.display import OrderSummary, Parcel, summarize, summary_text, tracking_text
from tiski.shop.mentions import link_mentions, numbers_in_html
from tiski.shop.models import Order
from tiski.shop.queries import contact_orders, order_count, orders_by_number, with_details

if TYPE_CHECKING:
    from tiski.conversations.models import Conversation


@dataclass(frozen=True)
class ParcelCard:
    parcel: Parcel
    insert_text: str  # tracking_text in the conversation's language; "" for another's order


@dataclass(frozen=True)
class OrderCard:
    summary: OrderSummary
    # The conversation's contact's: only then can it go into the reply (a customer may
    # mention a friend's order; its details are not theirs to receive).
    own: bool
    insert_text: str  # summary_text in the conversation's language; "" for another's order
    parcels: list[ParcelCard]

    @property
    def order(self) -> Order:
        return self.summary.order


@dataclass(frozen=True)
class ContactOrders:
    cards: list[OrderCard]
    count: int  # all the contact's orders, of which ``cards`` are the newest


def reply_language(conversation: Conversation) -> str:
    """The language the customer is answered in."""
    return conversation.language or conversation.store.default_language


def order_card(order: Order, conversation: Conversation) -> OrderCard:
    """``order`` (with its details prefetched) as the sidebar beside ``conversation``
    shows it."""
    summary = summarize(order)
    if order.contact_id is None or order.contact_id != conversation.contact_id:
        return OrderCard(summary, False, "", [ParcelCard(parcel, "") for parcel in summary.parcels])
    reader, language = translation.get_language(), reply_language(conversation)
    # The customer's words and the store's time zone (the agent's may be elsewhere).
    with translation.override(language), timezone.override(conversation.store.timezone):
        # The agent and the customer often share a language: then the summary is theirs.
        theirs = summary if language == reader else summarize(order)
        text = summary_text(order)
        # Only a web address goes to the customer: shops send links as plain strings.
        tracking = [
            tracking_text(replace(parcel, tracking_url=web_url(parcel.tracking_url)))
            for parcel in theirs.parcels
        ]
    parcels = [
        ParcelCard(parcel, insert) for parcel, insert in zip(summary.parcels, tracking, strict=True)
    ]
    return OrderCard(summary, True, text, parcels)


def sidebar_orders(conversation: Conversation) -> ContactOrders:
    """The conversation's contact's newest orders (by the ``order_contact_recent`` index)
    and how many they have, in a constant number of queries."""
    contact = conversation.contact
    # A contact belongs to one store; checked again so a stray link never shows another
    # store's order.
    orders = [o for o in contact_orders(contact) if o.store_id == conversation.store_id]
    if not orders:
        return ContactOrders([], 0)
    return ContactOrders([order_card(o, conversation) for o in orders], order_count(contact))


def store_order(conversation: Conversation, order_id: int) -> OrderCard | None:
    """One of the conversation's store's orders, as the sidebar shows it."""
    found = with_details(Order.objects.filter(store_id=conversation.store_id, pk=order_id))
    order = next(iter(found), None)
    return order_card(order, conversation) if order is not None else None


def linked_bodies(conversation: Conversation, bodies: Mapping[int, str]) -> dict[int, str]:
    """Messages' HTML, by message id, with the numbers of the store's orders they mention
    made links that open the order beside the conversation; only the messages that
    changed. One query whatever the number of messages."""
    mentioned = {pk: numbers for pk, body in bodies.items() if (numbers := numbers_in_html(body))}
    if not mentioned:
        return {}
    wanted = set().union(*mentioned.values())
    orders = orders_by_number(conversation.store, wanted)
    if not orders:
        return {}
    links = {
        number: {
            "class": "order-mention",
            "href": f"#order-{order.pk}",
            "data-order": str(order.pk),
            "data-order-url": reverse("conversation-order", args=[conversation.pk, order.pk]),
            "title": _("Show order %(number)s") % {"number": order.display_number},
        }
        for number, order in orders.items()
    }
    return {
        pk: link_mentions(bodies[pk], links)
        for pk, numbers in mentioned.items()
        if numbers & orders.keys()
    }
