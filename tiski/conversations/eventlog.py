"""What the conversation event log keeps of an event, and how a replay gets it back.

A new message's event carries its text and HTML to everyone watching live. The log
keeps the event without them: the message row has them already, and an email's HTML
written twice was most of what storing it cost (``make bench-mail``). A replay puts
them back from the messages, in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tiski.conversations.models import Message
from tiski.events import Event

# The fields of message.created that the message row holds.
_BODIES = ("body_text", "body_html")
_MESSAGE_CREATED = "message.created"


def logged_payload(event: Event) -> dict[str, Any]:
    """The payload as the log keeps it."""
    payload = event.payload()
    if payload["type"] != _MESSAGE_CREATED:
        return payload
    return {key: value for key, value in payload.items() if key not in _BODIES}


def replayed(payloads: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Logged payloads as they were published: message bodies filled back in."""
    payloads = list(payloads)
    wanted = {
        p["message_id"]
        for p in payloads
        if p.get("type") == _MESSAGE_CREATED and _BODIES[0] not in p
    }
    if not wanted:
        return payloads
    bodies = {
        pk: (text, html)
        for pk, text, html in Message.objects.filter(pk__in=wanted).values_list(
            "pk", "body_text", "body_html"
        )
    }
    filled = []
    for payload in payloads:
        if _without_bodies(payload):
            # A message deleted since (a merge, a redaction) replays as empty.
            text, html = bodies.get(payload["message_id"], ("", ""))
            payload = {**payload, "body_text": text, "body_html": html}
        filled.append(payload)
    return filled


def _without_bodies(payload: dict[str, Any]) -> bool:
    # Entries logged before the log left the bodies out still have them.
    return payload.get("type") == _MESSAGE_CREATED and _BODIES[0] not in payload
