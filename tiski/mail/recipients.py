"""Who else an email conversation goes to: the customer's Cc, without the desk itself.

A customer who writes to the shop and copies their partner, or their company's buyer,
expects the answer to reach them too. The addresses are kept on the conversation
(``Conversation.cc_addresses``) and every reply copies them. The desk's own addresses
never enter the list: copying the support address (or a reply address) to itself would
bring every reply back in as a mail.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tiski.contacts.models import ContactIdentity, IdentityKind
from tiski.conversations.models import Conversation
from tiski.mail.models import Mailbox
from tiski.mail.parse import ParsedMail
from tiski.mail.tokens import base_address
from tiski.stores.models import Store

# Enough for a household or a purchasing team; a mail copied to a whole address book
# (or a header made of garbage) adds no more than this.
MAX_CC_ADDRESSES = 10


def desk_addresses() -> set[str]:
    """The base form (no ``+tag``) of every address the desk sends from or reads."""
    found = {
        *Store.objects.exclude(support_email="").values_list("support_email", flat=True),
        *Mailbox.objects.values_list("address", flat=True),
        settings.DEFAULT_FROM_EMAIL,
        settings.SERVER_EMAIL,
    }
    return {base for base in map(base_address, found) if base}


def customer_addresses(conversation: Conversation) -> set[str]:
    """The addresses replies already go To: the customer's own."""
    own = set(
        ContactIdentity.objects.filter(
            contact_id=conversation.contact_id, kind=IdentityKind.EMAIL
        ).values_list("value", flat=True)
    )
    if conversation.reply_to_email:
        own.add(conversation.reply_to_email)
    return {address.strip().lower() for address in own}


def is_email_address(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def usable_cc(
    addresses: Iterable[str], *, excluded: set[str], desk: set[str] | None = None
) -> list[str]:
    """``addresses`` that may be copied, lowercased, in order, each once: real
    addresses, none of the desk's, none of ``excluded`` (the customer's)."""
    desk = desk_addresses() if desk is None else desk
    kept: list[str] = []
    for raw in addresses:
        address = raw.strip().lower()
        if (
            address in kept
            or address in excluded
            or not is_email_address(address)
            or base_address(address) in desk
        ):
            continue
        kept.append(address)
    return kept


def cc_of_mail(parsed: ParsedMail, conversation: Conversation, desk: set[str]) -> list[str]:
    """The people a customer's mail was also for: its To and Cc, less the desk's
    addresses (``desk``, and wherever the mail was delivered to), less the customer."""
    desk = desk | {base_address(a) for a in parsed.delivered_to}
    candidates = [address for _name, address in (*parsed.to, *parsed.cc)]
    return usable_cc(
        candidates,
        excluded=customer_addresses(conversation) | {parsed.from_address.lower()},
        desk=desk,
    )


def cc_for_reply(conversation: Conversation, recipient: str) -> list[str]:
    """Whom a reply to ``recipient`` copies, checked again when it is sent: the store's
    address may have changed since the list was made."""
    stored = [a for a in conversation.cc_addresses if isinstance(a, str)]
    if not stored:
        return []
    kept = usable_cc(stored, excluded={recipient.strip().lower()})
    return kept[:MAX_CC_ADDRESSES]
