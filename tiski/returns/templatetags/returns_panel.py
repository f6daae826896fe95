"""``{% return_panel conversation %}``: the return beside its conversation, or nothing;
``{% complaint_panel conversation %}`` the same for a complaint.

A tag rather than a value in the conversation's context, so the inbox's views need not
know about returns; it costs one query for a conversation that is not a return's.
"""

from __future__ import annotations

from typing import Any

from django import template

from tiski.returns.complaint_panel import complaint_panel as build_complaint
from tiski.returns.panel import return_panel as build
from tiski.returns.signals import signals_for, signals_for_complaint

register = template.Library()


@register.inclusion_tag("returns/panel/_panel.html", takes_context=True)
def return_panel(context: template.Context, conversation: Any) -> dict[str, Any]:
    panel = build(conversation)
    return {
        "panel": panel,
        # Flags for the agent, never decisions (tiski/returns/signals.py).
        "signals": signals_for(panel.case) if panel else [],
        "conversation": conversation,
        "csrf_token": context.get("csrf_token"),
        "return_error": context.get("return_error", ""),
        "return_notice": context.get("return_notice", ""),
        "return_reason_draft": context.get("return_reason_draft", ""),
    }


@register.inclusion_tag("returns/panel/_complaint.html", takes_context=True)
def complaint_panel(context: template.Context, conversation: Any) -> dict[str, Any]:
    """``{% complaint_panel conversation %}``: the complaint beside its conversation."""
    panel = build_complaint(conversation)
    return {
        "panel": panel,
        "signals": signals_for_complaint(panel.complaint) if panel else [],
        "conversation": conversation,
        "csrf_token": context.get("csrf_token"),
        "complaint_error": context.get("complaint_error", ""),
        "complaint_draft": context.get("complaint_draft", {}),
    }
