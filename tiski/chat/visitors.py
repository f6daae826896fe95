"""Chat visitors: signed visitor tokens and shop-signed customer identities.

An anonymous visitor is a random id in a token signed by Tiski and kept in the
browser's localStorage. No database row exists until the visitor writes; then the
visitor becomes a contact with a ``visitor`` identity.

A shop that knows who is logged in passes the customer id, email and name with an
HMAC-SHA256 of the customer id, keyed with the store's identity secret and computed on
the shop's server. A verified identity is recorded in the visitor token, so the
websocket does not need the HMAC again.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.core.errors import ActionError
from tiski.stores.models import Store

SALT = "tiski.chat.visitor"
# Renewed on every visit; a browser away longer than this starts over.
MAX_AGE_SECONDS = 180 * 24 * 3600


class InvalidToken(Exception):
    """The visitor token is forged, expired, or of another store."""


@dataclass(frozen=True)
class CustomerIdentity:
    customer_id: str
    email: str = ""
    name: str = ""


@dataclass(frozen=True)
class Visitor:
    store_id: int
    visitor_id: str
    customer: CustomerIdentity | None = None

    def token(self) -> str:
        data: dict[str, Any] = {"s": self.store_id, "v": self.visitor_id}
        if self.customer is not None:
            data["c"] = [self.customer.customer_id, self.customer.email, self.customer.name]
        return signing.dumps(data, salt=SALT, compress=True)

    def identities(self) -> list[IdentityInput]:
        """Identities to find or create the contact with, strongest first: the shop's
        signed customer id, then the anonymous visitor id."""
        found: list[IdentityInput] = []
        if self.customer is not None:
            found.append(IdentityInput(IdentityKind.SHOP_CUSTOMER, self.customer.customer_id))
        found.append(IdentityInput(IdentityKind.VISITOR, self.visitor_id))
        return found

    def claimed(self) -> list[IdentityInput]:
        """The email the shop passes beside the signed customer id. The signature covers
        only the id, so the email is kept on the contact when nobody else has it, but
        never finds a contact (see ContactRequest.claimed)."""
        if self.customer is not None and self.customer.email:
            return [IdentityInput(IdentityKind.EMAIL, self.customer.email)]
        return []

    @property
    def name(self) -> str:
        return self.customer.name if self.customer else ""


def new_visitor(store: Store, customer: CustomerIdentity | None = None) -> Visitor:
    return Visitor(store_id=store.pk, visitor_id=uuid.uuid4().hex, customer=customer)


def read_token(token: str, *, store: Store | None = None) -> Visitor:
    """The visitor a token stands for; raises InvalidToken with nothing learned."""
    if not token or len(token) > 2000:
        raise InvalidToken
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        store_id, visitor_id = int(data["s"]), str(data["v"])
        raw_customer = data.get("c")
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken from exc
    if store is not None and store_id != store.pk:
        raise InvalidToken
    customer = None
    if raw_customer:
        customer_id, email, name = (str(v) for v in raw_customer)
        customer = CustomerIdentity(customer_id, email, name)
    return Visitor(store_id=store_id, visitor_id=visitor_id, customer=customer)


def identity_hmac(store: Store, customer_id: str) -> str:
    """What the shop's backend computes: hex HMAC-SHA256 of the customer id."""
    key = store.identity_secret.encode()
    return hmac.new(key, customer_id.encode(), hashlib.sha256).hexdigest()


def verify_identity(store: Store, raw: dict[str, Any]) -> CustomerIdentity:
    """A customer identity from the page, checked against its HMAC; raises ActionError."""
    customer_id = str(raw.get("customer_id") or "").strip()
    signature = str(raw.get("hmac") or "").strip().lower()
    if not customer_id or len(customer_id) > 255 or not signature:
        raise ActionError(_("The identity needs a customer id and its HMAC."), code="identity")
    if not hmac.compare_digest(signature, identity_hmac(store, customer_id)):
        raise ActionError(_("The identity's HMAC does not match."), code="identity")
    return CustomerIdentity(
        customer_id=customer_id,
        email=str(raw.get("email") or "").strip()[:255],
        name=str(raw.get("name") or "").strip()[:200],
    )


def continue_or_start(
    store: Store, token: str | None, customer: CustomerIdentity | None
) -> tuple[Visitor, bool]:
    """The visitor for this page load, and whether it is a fresh one.

    A token that does not verify, or that belongs to a different signed-in customer than
    the page now vouches for, or to one who has since logged out, is not continued: the
    browser may be shared, and a customer only ever sees their own conversations.
    """
    if token:
        try:
            visitor = read_token(token, store=store)
        except InvalidToken:
            return new_visitor(store, customer), True
        same_person = (visitor.customer is None and customer is None) or (
            visitor.customer is not None
            and customer is not None
            and visitor.customer.customer_id == customer.customer_id
        )
        if same_person or (visitor.customer is None and customer is not None):
            # Logging in keeps the anonymous history: it was this person's all along.
            return Visitor(store.pk, visitor.visitor_id, customer), False
    return new_visitor(store, customer), True
