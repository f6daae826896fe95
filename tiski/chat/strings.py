"""The words of the chat widget, in the visitor's language.

Sent with the session rather than built into widget.js: one catalogue (Django's) for
everything customers read, and the script stays small.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

WIDGET_STRINGS = {
    "title": _("Customer service"),
    "open": _("Open the chat"),
    "close": _("Close the chat"),
    "greeting": _("Hi! How can we help you?"),
    "placeholder": _("Write a message…"),
    "send": _("Send"),
    "attach": _("Attach a picture or a PDF"),
    "typing": _("%(name)s is typing…"),
    "agent": _("Customer service"),
    "you": _("You"),
    "sending": _("Sending…"),
    "sent": _("Sent"),
    "read": _("Read"),
    "failed": _("Not sent. Tap to try again."),
    "new_message": _("New message"),
    "offline_title": _("We are not available right now"),
    "offline_opens": _("We are back: %(when)s"),
    "offline_email": _("Leave your email address and we will answer by email."),
    "email_placeholder": _("Your email address"),
    "email_save": _("Save"),
    "email_saved": _("Thank you! We will answer to %(email)s."),
    "prechat_intro": _("Before we start, tell us a little about your question."),
    "name": _("Name"),
    "email": _("Email"),
    "topic": _("Topic"),
    "start": _("Start the chat"),
    "required": _("Required"),
    "too_long": _("The message is too long."),
    "too_many": _("You are sending messages very fast. Wait a moment."),
    "bad_file": _("Only pictures (PNG, JPEG, GIF, WebP) and PDF files up to 10 MB can be sent."),
    "error": _("Something went wrong. Try again."),
    "reconnecting": _("Reconnecting…"),
}


def widget_strings(language: str) -> dict[str, str]:
    with translation.override(language):
        return {key: str(text) for key, text in WIDGET_STRINGS.items()}
