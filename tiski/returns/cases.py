"""What returns and complaints share: their per-store numbers, the language the
customer is answered in, the conversation each opens, and one case per form sent."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import transaction
from django.db.models import Max

from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.conversations.actions import InboundMessage, receive_message
from tiski.conversations.attachments import IncomingFile
from tiski.conversations.models import Channel, Conversation
from tiski.returns.models import Case, Complaint, Return
from tiski.shop.models import Order
from tiski.stores.models import Store

FIRST_NUMBER = 1001
CaseT = TypeVar("CaseT", Return, Complaint)


def next_number(model: type[Return] | type[Complaint], store: Store) -> int:
    """The next R or C number of ``store``; call inside the transaction that stores it."""
    # The store row is the lock: two cases of one store get different numbers.
    Store.objects.select_for_update().filter(pk=store.pk).values_list("pk").get()
    last = model.objects.filter(store=store).aggregate(n=Max("number"))["n"]
    return (last or FIRST_NUMBER - 1) + 1


def customer_language(order: Order, wanted: str) -> str:
    """The language asked for if the store serves it, else the order's, else the
    store's own."""
    store = order.store
    served = store.served_languages()
    for language in (wanted, order.language):
        if language in served:
            return language
    return store.default_language


def once(model: type[CaseT], order: Order, submission: str, make: Callable[[], CaseT]) -> CaseT:
    """``make()`` for a customer's form, once per ``submission`` key: a double tap on a
    phone sends the form twice, and the second copy must find the first's case instead
    of making another of what is left. The order's row lock puts the copies in line; the
    key is stored on the case (unique per order), so every process sees it."""
    if not submission:
        return make()  # no key, nothing to match: "" is every case made without one
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=order.pk).values_list("pk").first()
        earlier = model.objects.filter(order=order, submission=submission).first()
        if earlier is not None:
            return earlier
        case = make()
        case.submission = submission
        case.save(update_fields=["submission"])
        return case


def open_conversation(
    case: Case, order: Order, *, subject: str, text: str, photos: Sequence[IncomingFile] = ()
) -> Conversation:
    """The case's own inbox conversation, as if the customer had emailed ``text`` from
    the order's address (the photos attached), kept on the case."""
    received = receive_message(
        InboundMessage(
            store=case.store,
            channel=Channel.EMAIL,
            sender=[IdentityInput(IdentityKind.EMAIL, order.email)],
            sender_name=order.customer_name,
            subject=subject,
            text=text,
            language=case.language,
            # Stable per case: storing it twice finds the first message.
            external_id=f"tiski-{type(case).__name__.lower()}-{case.store_id}-{case.number}",
            new_thread=True,
            attachments=tuple(photos),
        )
    )
    case.conversation = received.conversation
    case.save(update_fields=["conversation"])
    return received.conversation
