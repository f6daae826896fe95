"""Who may go on in the return portal, without a session or a login.

A customer proves an order is theirs once, with its number and email
(``selfservice.lookup_order``, rate-limited), or arrives signed in: the shop signed
their customer id for the chat widget (an HMAC the widget's session checked), and the
widget's *Return items* link carries a token naming that customer in that store, so the
portal lists their own orders (``selfservice.customer_orders``) to choose from.

What they carry to the next step is a signed, time-limited token naming that order in
that store; an order id typed into the form is never believed. A return, once made, is
reached by a signature over its store and number: the confirmation page and the label
PDF are open to whoever holds the link, as a label printed on paper is, and to no one
who could only guess it.
"""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import constant_time_compare

from tiski.returns.models import Return
from tiski.shop.models import Order
from tiski.stores.models import Store

ORDER_SALT = "tiski.returns.portal.order"
CUSTOMER_SALT = "tiski.returns.portal.customer"
RETURN_SALT = "tiski.returns.portal.return"
# Long enough to choose items, find the photos and write a note; short enough that a
# link left in a shared browser's history soon opens nothing.
ORDER_TOKEN_AGE = 2 * 60 * 60


def order_token(order: Order) -> str:
    """A token that lets its holder continue a return of ``order`` for a while."""
    return signing.TimestampSigner(salt=ORDER_SALT).sign(f"{order.store_id}.{order.pk}")


def order_from_token(store: Store, token: str) -> Order | None:
    """The order ``token`` names, if it is genuine, recent and of ``store``; else None."""
    try:
        value = signing.TimestampSigner(salt=ORDER_SALT).unsign(token, max_age=ORDER_TOKEN_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    store_id, _dot, order_id = value.partition(".")
    if store_id != str(store.pk) or not order_id.isdigit():
        return None
    return Order.objects.filter(store=store, pk=int(order_id)).select_related("store").first()


def customer_token(store: Store, customer_id: str) -> str:
    """A token that lists the orders of the shop's customer ``customer_id`` for a while.
    Only ever made from an identity the store's HMAC vouched for."""
    return signing.TimestampSigner(salt=CUSTOMER_SALT).sign_object(
        {"s": store.pk, "c": customer_id}
    )


def customer_from_token(store: Store, token: str) -> str | None:
    """The customer id ``token`` names, if it is genuine, recent and of ``store``."""
    if not token:
        return None
    try:
        value = signing.TimestampSigner(salt=CUSTOMER_SALT).unsign_object(
            token, max_age=ORDER_TOKEN_AGE
        )
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict) or value.get("s") != store.pk:
        return None
    customer_id = value.get("c")
    return customer_id if isinstance(customer_id, str) and customer_id else None


def return_signature(case: Return) -> str:
    """The signature in the links to ``case``'s confirmation page and label."""
    return signing.Signer(salt=RETURN_SALT).signature(f"{case.store_id}.{case.number}")


def return_from_signature(store: Store, number: int, signature: str) -> Return | None:
    """The return ``number`` of ``store`` if ``signature`` is its own; else None."""
    expected = signing.Signer(salt=RETURN_SALT).signature(f"{store.pk}.{number}")
    if not constant_time_compare(expected, signature):
        return None
    return (
        Return.objects.filter(store=store, number=number).select_related("store", "order").first()
    )
