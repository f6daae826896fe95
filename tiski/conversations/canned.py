"""Placeholders in canned responses: ``{{ contact.first_name }}``, ``{{ agent.name }}``, ...

Deliberately not the Django template engine: responses are written by shop staff and
must not reach template tags, filters or attributes beyond this list.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import ngettext

from tiski.agents.models import Agent
from tiski.conversations.models import Conversation
from tiski.core.errors import ActionError

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}")
# Anything that looks like a placeholder, known or not: unknown ones are refused on save.
ANY_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)

_VALUES: dict[str, Callable[[Conversation, Agent], str]] = {
    "contact.first_name": lambda c, a: c.contact.first_name,
    "contact.name": lambda c, a: c.contact.name,
    "contact.email": lambda c, a: c.contact.email,
    "agent.name": lambda c, a: a.name,
    "agent.first_name": lambda c, a: a.first_name,
    "store.name": lambda c, a: c.store.name,
    "conversation.reference": lambda c, a: c.reference,
}
PLACEHOLDERS = tuple(_VALUES)


def check_placeholders(body: str) -> None:
    unknown = sorted(
        {" ".join(m[1].split()) for m in ANY_PLACEHOLDER.finditer(body)} - set(_VALUES)
    )
    if unknown:
        raise ActionError(
            ngettext(
                "Unknown placeholder %(names)s. Available: %(available)s",
                "Unknown placeholders %(names)s. Available: %(available)s",
                len(unknown),
            )
            % {"names": ", ".join(unknown), "available": ", ".join(PLACEHOLDERS)},
            field="body",
        )


def render_canned(body: str, conversation: Conversation, agent: Agent) -> str:
    """Fill the placeholders for this conversation and agent."""

    def fill(match: re.Match[str]) -> str:
        getter = _VALUES.get(f"{match[1]}.{match[2]}")
        if getter is None:
            return match[0]
        return getter(conversation, agent) or _EMPTY

    text = PLACEHOLDER.sub(fill, body)
    # "Hei {{ contact.first_name }}!" for a nameless contact reads "Hei!", not "Hei !".
    text = re.sub(r"[ \t]*\x00(?=[!?.,;:])", "", text)
    return re.sub(r"\x00[ \t]?", "", text)


_EMPTY = "\x00"
