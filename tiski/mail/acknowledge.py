"""The automatic acknowledgement of a customer's new email, and what keeps it from looping.

A store that turns it on (``Store.acknowledge_email``) answers each new email
conversation at once: the mail arrived, this is its reference, an answer usually comes
within so many hours. Automatic mail is never answered (two robots answering each other
is a mail loop), nor mail from lists, the null sender or the desk itself, and a sender
gets at most ``MAIL_AUTOREPLY_PER_HOUR`` acknowledgements an hour.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiski.conversations.actions import Received, send_automatic_reply
from tiski.conversations.models import Conversation, Message
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.mail.outbound import customer_language
from tiski.mail.parse import ParsedMail
from tiski.mail.recipients import desk_addresses
from tiski.mail.tokens import base_address

logger = logging.getLogger(__name__)

# Addresses only machines write from; an answer to them bounces or lands in a robot.
_ROBOT = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+._-].*)?$", re.IGNORECASE
)


# A mail written longer ago than this is being read late (a mailbox added with years of
# mail in it): "we have received your message" would be news from the past.
FRESH = timedelta(days=1)


def refusal(parsed: ParsedMail, *, desk: set[str]) -> str:
    """Why ``parsed`` must get no automatic answer, for the log; "" when it may."""
    if parsed.return_path == "":
        return "the null sender (Return-Path: <>)"
    if parsed.auto_submitted:
        return "an automatic mail (Auto-Submitted, X-Autoreply, Precedence: bulk or junk)"
    if parsed.list_mail:
        return "a mailing list's mail (List-Id, Precedence: list)"
    if parsed.suppress_auto_reply:
        return "the sender asks for none (X-Auto-Response-Suppress)"
    sender = base_address(parsed.from_address)
    if not sender:
        return "no sender address"
    if sender in desk:
        return "sent from the desk's own address"
    if _ROBOT.match(sender.partition("@")[0]):
        return "a robot's address"
    if parsed.date is not None and parsed.date < clock.now() - FRESH:
        return "written more than a day ago"
    return ""


def sent_in_the_last_hour(conversation: Conversation) -> int:
    """Acknowledgements the conversation's customer got from its store in the last hour.

    Counted per customer, who is found by the sender's address: every address of theirs
    shares the limit.
    """
    return Message.objects.filter(
        automatic=True,
        conversation__store_id=conversation.store_id,
        conversation__contact_id=conversation.contact_id,
        created_at__gte=clock.now() - timedelta(hours=1),
    ).count()


def acknowledgement_text(conversation: Conversation) -> str:
    """The acknowledgement, in the customer's language."""
    hours = conversation.store.usual_reply_hours
    with translation.override(customer_language(conversation)):
        lines = [
            _("Hello,"),
            "",
            _("Thank you for your message. We have received it and will answer as soon as we can."),
        ]
        if hours:
            lines.append(
                ngettext(
                    "We usually answer within %(hours)d hour.",
                    "We usually answer within %(hours)d hours.",
                    hours,
                )
                % {"hours": hours}
            )
        lines += [
            "",
            _(
                "Your reference is %(reference)s. To add something, simply reply to this "
                "email; there is no need to write again."
            )
            % {"reference": conversation.reference},
        ]
    return "\n".join(lines)


def acknowledge(
    received: Received, parsed: ParsedMail, *, desk: set[str] | None = None
) -> Message | None:
    """Acknowledge the new conversation a customer's mail opened, unless its store does
    not want that, the mail is one no machine should answer, or the sender has had
    enough acknowledgements this hour. Returns the queued acknowledgement."""
    conversation = received.conversation
    store = conversation.store
    if not store.acknowledge_email or not received.created_conversation or received.duplicate:
        return None
    reason = refusal(parsed, desk=desk_addresses() if desk is None else desk)
    if reason:
        logger.info(
            "no acknowledgement of %s for %s: %s",
            conversation.reference,
            parsed.from_address,
            reason,
        )
        return None
    limit = settings.MAIL_AUTOREPLY_PER_HOUR
    if sent_in_the_last_hour(conversation) >= limit:
        logger.warning(
            "no acknowledgement of %s for %s: %d sent to them in the last hour already",
            conversation.reference,
            parsed.from_address,
            limit,
        )
        return None
    return send_automatic_reply(
        conversation,
        actor=Actor.system(store.name),
        text=acknowledgement_text(conversation),
    )
