"""Who a conversation's email replies are copied to (its Cc)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from tiski.conversations.actions import timeline
from tiski.conversations.events import ConversationCcChanged
from tiski.conversations.models import Conversation
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.mail.recipients import (
    MAX_CC_ADDRESSES,
    customer_addresses,
    desk_addresses,
    is_email_address,
    usable_cc,
)
from tiski.mail.tokens import base_address

logger = logging.getLogger(__name__)


@transaction.atomic
def set_cc(conversation: Conversation, addresses: Sequence[str], *, actor: Actor) -> Conversation:
    """Replace the conversation's Cc (an agent's edit). Refuses what is not an address,
    the store's own addresses, and more than MAX_CC_ADDRESSES; the customer's own
    addresses are left out quietly, since replies already go to them."""
    wanted = [a.strip().lower() for a in addresses if a.strip()]
    desk = desk_addresses()
    for address in wanted:
        if not is_email_address(address):
            raise ActionError(_("%(address)s is not an email address.") % {"address": address})
        if base_address(address) in desk:
            raise ActionError(
                _("%(address)s is the desk's own address; replies cannot be copied to it.")
                % {"address": address}
            )
    conversation = timeline.lock(conversation)
    kept = usable_cc(wanted, excluded=customer_addresses(conversation), desk=desk)
    if len(kept) > MAX_CC_ADDRESSES:
        raise ActionError(
            _("At most %(n)d addresses can be copied.") % {"n": MAX_CC_ADDRESSES}, field="cc"
        )
    _change(conversation, kept, actor)
    return conversation


@transaction.atomic
def add_cc(conversation: Conversation, addresses: Sequence[str], *, actor: Actor) -> list[str]:
    """Add the people a customer's mail was also for (already checked with
    tiski.mail.recipients); beyond MAX_CC_ADDRESSES the rest are left out. Returns the
    addresses added."""
    conversation = timeline.lock(conversation)
    current = list(conversation.cc_addresses or [])
    new = [a for a in addresses if a not in current]
    room = max(0, MAX_CC_ADDRESSES - len(current))
    added = new[:room]
    if len(new) > room:
        logger.info(
            "%s: %d more addresses not copied (at most %d)",
            conversation.reference,
            len(new) - room,
            MAX_CC_ADDRESSES,
        )
    if added:
        _change(conversation, [*current, *added], actor)
    return added


def _change(conversation: Conversation, cc: list[str], actor: Actor) -> None:
    before = list(conversation.cc_addresses or [])
    if set(cc) == set(before):
        return
    added = [a for a in cc if a not in before]
    removed = [a for a in before if a not in cc]
    conversation.cc_addresses = cc
    timeline.record_change(
        conversation,
        actor=actor,
        activity={"type": "cc", "added": added, "removed": removed},
        changed=["cc_addresses"],
        event=ConversationCcChanged,
        added=added,
        removed=removed,
        cc=cc,
    )
