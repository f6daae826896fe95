"""Template tags of the agent inbox; the logic lives in tiski.conversations.display."""

from __future__ import annotations

from django import template

from tiski.conversations import display

register = template.Library()

for _name in (
    "ago",
    "iso",
    "when",
    "capped",
    "get_item",
    "filesize",
    "phone",
    "status_label",
    "priority_label",
    "channel_label",
    "delivery_label",
    "conversation_title",
    "subject_line",
):
    register.filter(_name, getattr(display, _name))

register.simple_tag(display.activity_text, name="activity_text")
register.simple_tag(display.render_timeline, name="render_timeline")
