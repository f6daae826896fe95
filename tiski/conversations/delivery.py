"""Channel adapters, outbound side: how a queued reply reaches the customer.

Each channel registers one deliverer. Adding a channel means one deliverer here and
one inbound adapter calling ``receive_message``; the inbox does not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tiski.conversations.models import Channel, DeliveryStatus, Message
from tiski.mail.outbound import compose, permanent_failure


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str
    error: str = ""
    external_id: str = ""


class TemporaryDeliveryError(Exception):
    """Worth trying again later (a server down, a timeout)."""


Deliverer = Callable[[Message], DeliveryOutcome]
_DELIVERERS: dict[str, Deliverer] = {}


def register(channel: str, deliverer: Deliverer) -> None:
    _DELIVERERS[channel] = deliverer


def deliver(message: Message) -> DeliveryOutcome:
    deliverer = _DELIVERERS.get(message.conversation.channel)
    if deliverer is None:
        return DeliveryOutcome(DeliveryStatus.FAILED, _("This channel cannot send messages yet."))
    return deliverer(message)


def _stored_for_pickup(message: Message) -> DeliveryOutcome:
    # API clients receive replies through events and reads; the message is "sent"
    # once it is stored and published.
    return DeliveryOutcome(DeliveryStatus.SENT)


def _by_chat(message: Message) -> DeliveryOutcome:
    """In the open chat if the customer is there; otherwise by email if we have an
    address (the one they left, or the customer's own); otherwise it waits in the chat
    for their next visit."""
    from tiski.chat.presence import widget_is_online

    conversation = message.conversation
    if widget_is_online(conversation.pk):
        return DeliveryOutcome(DeliveryStatus.SENT)
    address = conversation.reply_to_email or conversation.contact.email
    if address:
        return _by_email(message, recipient=address)
    return DeliveryOutcome(DeliveryStatus.SENT)


def _by_email(message: Message, recipient: str = "") -> DeliveryOutcome:
    recipient = recipient or message.conversation.contact.email
    if not recipient:
        return DeliveryOutcome(
            DeliveryStatus.FAILED, _("The customer has no email address to answer to.")
        )
    outgoing = compose(message, recipient)
    try:
        outgoing.email.send(fail_silently=False)
    except (OSError, TimeoutError) as exc:
        # smtplib's errors are OSErrors. A refusal for good fails at once, with the
        # server's words; anything else (down, busy, a timeout) is tried again.
        reason = permanent_failure(exc)
        if reason:
            return DeliveryOutcome(
                DeliveryStatus.FAILED,
                _("The mail server refused the mail: %(reason)s") % {"reason": reason},
            )
        raise TemporaryDeliveryError(str(exc) or type(exc).__name__) from exc
    return DeliveryOutcome(DeliveryStatus.SENT, external_id=outgoing.message_id)


register(Channel.CHAT, _by_chat)
register(Channel.API, _stored_for_pickup)
register(Channel.EMAIL, _by_email)
# A callback conversation is continued in writing by email.
register(Channel.PHONE, _by_email)
