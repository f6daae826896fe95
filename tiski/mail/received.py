"""What a customer's mail sets going once it is stored: its Cc is kept on the
conversation, and a new conversation is acknowledged.

Called by ``tiski.mail.actions`` in the transaction that stored the message, so both
happen exactly when the message is stored.
"""

from __future__ import annotations

from tiski.conversations.actions import Received, add_cc
from tiski.core.actors import Actor
from tiski.mail.acknowledge import acknowledge
from tiski.mail.models import RawMail, Via
from tiski.mail.parse import ParsedMail
from tiski.mail.recipients import cc_of_mail, customer_addresses, desk_addresses
from tiski.mail.tokens import base_address


def after_received(
    received: Received, parsed: ParsedMail, raw: RawMail, desk: set[str] | None = None
) -> None:
    """``desk`` is ``desk_addresses()``, when the caller has it already."""
    if received.duplicate:
        return
    desk = desk_addresses() if desk is None else desk
    remember_cc(received, parsed, desk)
    # Mail imported from files is history: its senders are not waiting for an answer.
    if raw.via != Via.FILE:
        acknowledge(received, parsed, desk=desk)


def remember_cc(received: Received, parsed: ParsedMail, desk: set[str]) -> list[str]:
    """Keep the other people the customer's mail was for, so replies copy them too.

    Only from the customer's own mail: not from an automatic one, nor from a list (whose
    address is in To), nor from someone else writing into the thread. Returns the
    addresses added.
    """
    conversation = received.conversation
    if parsed.auto_submitted or parsed.list_mail:
        return []
    # Most mail is to the store's address alone: known without a query.
    support = base_address(conversation.store.support_email)
    others = {
        address
        for _name, address in (*parsed.to, *parsed.cc)
        if address != parsed.from_address and base_address(address) != support
    }
    if not others or parsed.from_address.lower() not in customer_addresses(conversation):
        return []
    wanted = cc_of_mail(parsed, conversation, desk)
    if not wanted:
        return []
    return add_cc(conversation, wanted, actor=Actor.for_contact(conversation.contact))
