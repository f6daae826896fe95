"""Channel adapters, outbound side: how a queued reply reaches the customer.

Each channel registers one deliverer. Adding a channel means one deliverer here and
one inbound adapter calling ``receive_message``; the inbox does not change.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.translation import gettext as _

from tiski.conversations.models import Channel, DeliveryStatus, Direction, Message
from tiski.mail.tokens import reply_address


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


_MESSAGE_ID = re.compile(r"^<[^<>\s]+@[^<>\s]+>$")


def _email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip(">") or "localhost"


def _by_email(message: Message, recipient: str = "") -> DeliveryOutcome:
    conversation = message.conversation
    store = conversation.store
    recipient = recipient or conversation.contact.email
    if not recipient:
        return DeliveryOutcome(
            DeliveryStatus.FAILED, _("The customer has no email address to answer to.")
        )
    sender_address = store.support_email or settings.DEFAULT_FROM_EMAIL
    sender_name = message.author_agent.name if message.author_agent else store.name
    # The random part keeps the id unguessable: a mail naming it in In-Reply-To joins
    # the conversation (tiski.mail.threads), so it must come from someone who saw ours.
    message_id = (
        f"<tiski.{conversation.pk}.{message.pk}.{secrets.token_hex(6)}"
        f"@{_email_domain(sender_address)}>"
    )
    earlier = list(
        Message.objects.filter(conversation=conversation, seq__lt=message.seq)
        .exclude(external_id="")
        .order_by("seq")
        .values_list("external_id", "direction")
    )
    references = [eid for eid, _d in earlier if _MESSAGE_ID.match(eid)]
    last_inbound = [eid for eid, d in earlier if d == Direction.IN and _MESSAGE_ID.match(eid)]
    # The customer reads this, in their language, whoever the agent is.
    with translation.override(
        conversation.language or conversation.contact.language or store.default_language
    ):
        subject = conversation.subject or _("Your message to %(store)s") % {"store": store.name}
    if not subject.lower().startswith(("re:", "vs:", "sv:", "odp:")):
        subject = f"Re: {subject}"
    headers = {
        "Message-ID": message_id,
        # Answers come back to an address that names the conversation, whatever the
        # customer's client does to the subject and the headers.
        "Reply-To": reply_address(sender_address, store.pk, conversation.pk),
    }
    if references:
        headers["References"] = " ".join(references[-20:])
    if last_inbound:
        headers["In-Reply-To"] = last_inbound[-1]
    email = EmailMultiAlternatives(
        subject=f"{subject} [{conversation.reference}]",
        body=message.body_text,
        from_email=formataddr((f"{sender_name} ({store.name})", sender_address)),
        to=[recipient],
        headers=headers,
    )
    email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.filename, handle.read(), attachment.content_type)
    try:
        email.send(fail_silently=False)
    except (OSError, TimeoutError) as exc:
        raise TemporaryDeliveryError(str(exc)) from exc
    return DeliveryOutcome(DeliveryStatus.SENT, external_id=message_id)


register(Channel.CHAT, _by_chat)
register(Channel.API, _stored_for_pickup)
register(Channel.EMAIL, _by_email)
# A callback conversation is continued in writing by email.
register(Channel.PHONE, _by_email)
