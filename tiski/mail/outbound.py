"""A reply as an email: headers that thread, a plain text part and a branded HTML part.

Both parts carry the same things: the message, who wrote it, the store, the
conversation's reference and how to reach the store, in the customer's language. The
HTML is a table 600 pixels wide with inline styles, the one layout mail programs agree
on. Whatever comes from the store or the agent is escaped by the template; the message's
own HTML was sanitised when it was stored.
"""

from __future__ import annotations

import re
import secrets
import smtplib
from dataclasses import dataclass
from email.utils import formataddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tiski.conversations.models import Conversation, Direction, Message
from tiski.mail.recipients import cc_for_reply
from tiski.mail.tokens import reply_address

_MESSAGE_ID = re.compile(r"^<[^<>\s]+@[^<>\s]+>$")
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_REPLY_PREFIXES = ("re:", "vs:", "sv:", "odp:", "aw:")
# The newest of the conversation's Message-IDs named in References; enough to thread in
# every mail program, and a header that stays short in a long conversation.
MAX_REFERENCES = 20


@dataclass(frozen=True)
class OutgoingMail:
    email: EmailMultiAlternatives
    message_id: str


def customer_language(conversation: Conversation) -> str:
    """The language the customer reads: the conversation's, theirs, or the store's."""
    return (
        conversation.language
        or conversation.contact.language
        or conversation.store.default_language
    )


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip(">") or "localhost"


def _threading_headers(message: Message) -> dict[str, str]:
    earlier = list(
        Message.objects.filter(conversation=message.conversation, seq__lt=message.seq)
        .exclude(external_id="")
        .order_by("seq")
        .values_list("external_id", "direction")
    )
    references = [eid for eid, _d in earlier if _MESSAGE_ID.match(eid)]
    last_inbound = [eid for eid, d in earlier if d == Direction.IN and _MESSAGE_ID.match(eid)]
    headers = {}
    if references:
        headers["References"] = " ".join(references[-MAX_REFERENCES:])
    if last_inbound:
        headers["In-Reply-To"] = last_inbound[-1]
    return headers


def _website(url: str) -> tuple[str, str]:
    """The store's website as a link target and as the text shown: only http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "", ""
    return url.strip(), parts.netloc + (parts.path.rstrip("/") if parts.path != "/" else "")


def _subject(conversation: Conversation) -> str:
    subject = conversation.subject or _("Your message to %(store)s") % {
        "store": conversation.store.name
    }
    if not subject.lower().startswith(_REPLY_PREFIXES):
        subject = f"Re: {subject}"
    return f"{subject} [{conversation.reference}]"


def _text_part(message: Message, author: str, website: str, reply_hint: str) -> str:
    conversation, store = message.conversation, message.conversation.store
    lines = [message.body_text.strip(), "", "-- "]  # "-- " ends the text in mail programs
    if author:
        lines.append(author)
    lines.append(store.name)
    lines.append("")
    lines.append(_("Reference") + f": {conversation.reference}")
    lines.append(reply_hint)
    lines.extend(value for value in (website, store.support_email) if value)
    return "\n".join(lines) + "\n"


def compose(message: Message, recipient: str) -> OutgoingMail:
    """The email of an outgoing ``message`` to ``recipient``, copied to the
    conversation's Cc. ``message.conversation`` needs its store and contact loaded."""
    conversation = message.conversation
    store = conversation.store
    sender_address = store.support_email or settings.DEFAULT_FROM_EMAIL
    author = message.author_agent.name if message.author_agent and not message.automatic else ""
    # The random part keeps the id unguessable: a mail naming it in In-Reply-To joins
    # the conversation (tiski.mail.threads), so it must come from someone who saw ours.
    message_id = (
        f"<tiski.{conversation.pk}.{message.pk}.{secrets.token_hex(6)}@{_domain(sender_address)}>"
    )
    headers = {
        "Message-ID": message_id,
        # Answers come back to an address that names the conversation, whatever the
        # customer's client does to the subject and the headers.
        "Reply-To": reply_address(sender_address, store.pk, conversation.pk),
        **_threading_headers(message),
    }
    if message.automatic:
        # RFC 3834: no machine should answer this one, and Exchange should not send its
        # out-of-office replies to it either.
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    language = customer_language(conversation)
    website, website_label = _website(store.website)
    # The customer reads this, in their language, whoever the agent is.
    with translation.override(language):
        subject = _subject(conversation)
        reply_hint = _("Reply to this email to continue the conversation.")
        text = _text_part(message, author, website, reply_hint)
        html = render_to_string(
            "mail/message.html",
            {
                "language": language,
                "subject": subject,
                "store_name": store.name,
                "brand_color": store.brand_color
                if _HEX_COLOR.match(store.brand_color or "")
                else "#1f6feb",
                "author": author,
                # Sanitised when it was stored (tiski.core.html.sanitize_html).
                "body_html": mark_safe(message.body_html),  # noqa: S308
                "reference": conversation.reference,
                "reply_hint": reply_hint,
                "website": website,
                "website_label": website_label,
                "support_email": store.support_email,
            },
        )
    from_name = f"{author} ({store.name})" if author else store.name
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=formataddr((from_name, sender_address)),
        to=[recipient],
        # Automatic mail goes to the sender only: a machine's mail to third parties
        # is how a desk ends up sending spam.
        cc=[] if message.automatic else cc_for_reply(conversation, recipient),
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.filename, handle.read(), attachment.content_type)
    return OutgoingMail(email, message_id)


def permanent_failure(exc: Exception) -> str:
    """The server's reason when it refused the mail for good (a 5xx for the sender, all
    recipients or the data); "" when trying again later may work."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
        if answers and all(500 <= code < 600 for code, _text in answers):
            return "; ".join(f"{code} {_decoded(text)}" for code, text in answers)
        return ""
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError) and (
        500 <= exc.smtp_code < 600
    ):
        return f"{exc.smtp_code} {_decoded(exc.smtp_error)}"
    return ""


def _decoded(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
