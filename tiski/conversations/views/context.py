"""Building the template context of the inbox and the conversation pane."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tiski.agents.models import Agent, Team
from tiski.agents.queries import agents_of, store_ids_for, stores_for, teams_for
from tiski.conversations import queries
from tiski.conversations.entries import TimelineEntry, timeline_entries
from tiski.conversations.models import Channel, Conversation, Label, Priority, Status
from tiski.conversations.queries import InboxView
from tiski.shop.sidebar import linked_bodies, sidebar_orders

SESSION_VIEW = "tiski.inbox_view"


def remember_view(request: HttpRequest, view: InboxView) -> None:
    value = {"kind": view.kind, "key": view.key, "status": view.status}
    # Assigning marks the session modified (one write per page); only when it changes.
    if request.session.get(SESSION_VIEW) != value:
        request.session[SESSION_VIEW] = value


def remembered_view(request: HttpRequest) -> InboxView:
    saved = request.session.get(SESSION_VIEW) or {}
    try:
        return InboxView(**{k: str(v) for k, v in saved.items() if k in ("kind", "key", "status")})
    except Exception:
        return InboxView()


def view_title(view: InboxView, nav: dict[str, Any]) -> str:
    if view.kind == "mine":
        return _("Mine")
    if view.kind == "unassigned":
        return _("Unassigned")
    if view.kind == "team":
        return next((t.name for t in nav["teams"] if str(t.pk) == view.key), _("Team"))
    if view.kind == "store":
        return next((s.name for s in nav["stores"] if s.slug == view.key), _("Store"))
    if view.kind == "label":
        return next((lb.name for lb in nav["labels"] if str(lb.pk) == view.key), _("Label"))
    return _("All conversations")


def live_strings() -> dict[str, str]:
    """Texts the live inbox script shows, in the agent's language."""
    return {
        "typing_customer": _("The customer is typing…"),
        "typing_agent": _("%(name)s is typing…"),
        "typing_note": _("%(name)s is writing a note…"),
        "viewers": _("Also viewing: %(names)s"),
        "reconnecting": _("Connection lost. Reconnecting…"),
    }


def nav_context(agent: Agent) -> dict[str, Any]:
    stores = list(stores_for(agent))
    teams = list(teams_for(agent).select_related("store"))
    labels = list(Label.objects.filter(store_id__in=store_ids_for(agent)).select_related("store"))
    return {
        "stores": stores,
        "teams": teams,
        "labels": labels,
        "many_stores": len(stores) > 1,
        "colleagues": _colleagues(agent),
        "counts": queries.inbox_counts(
            agent, team_ids=[t.pk for t in teams], label_ids=[lb.pk for lb in labels]
        ),
        "statuses": Status.choices,
        "live_strings": live_strings(),
    }


def view_url(view: InboxView, *, with_status: bool = True) -> str:
    path = f"/inbox/{view.kind}/" + (f"{view.key}/" if view.key else "")
    if with_status and view.status != "open":
        path += f"?status={view.status}"
    return path


def list_context(agent: Agent, view: InboxView, cursor: str | None) -> dict[str, Any]:
    rows, next_cursor = queries.page(queries.inbox(agent, view), cursor=cursor)
    return {
        "view": view,
        "rows": rows,
        "next_cursor": next_cursor,
        "list_url": view_url(view, with_status=False),
    }


def snooze_presets(agent: Agent) -> list[tuple[str, str, datetime]]:
    """Wake-up times an agent picks from, in their own time zone."""
    now = timezone.localtime()
    nine = time(9, 0)
    tomorrow = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), nine))
    days_to_monday = (7 - now.weekday()) % 7 or 7
    monday = timezone.make_aware(
        datetime.combine(now.date() + timedelta(days=days_to_monday), nine)
    )
    return [
        ("1h", _("In an hour"), now + timedelta(hours=1)),
        ("4h", _("In 4 hours"), now + timedelta(hours=4)),
        ("tomorrow", _("Tomorrow at 9:00"), tomorrow),
        ("monday", _("Next Monday at 9:00"), monday),
        ("week", _("In a week"), now + timedelta(days=7)),
    ]


def header_context(agent: Agent, conversation: Conversation) -> dict[str, Any]:
    """What the conversation's header (assign, status, labels, ...) needs."""
    return {
        "conversation": conversation,
        "assignable": list(agents_of([conversation.store_id]).only("name").order_by("name")),
        "store_teams": [t for t in teams_for(agent) if t.store_id == conversation.store_id],
        "store_labels": list(Label.objects.filter(store_id=conversation.store_id)),
        "label_ids": {label.pk for label in conversation.labels.all()},
        "priorities": Priority.choices,
        "statuses": Status.choices,
        "snooze_presets": snooze_presets(agent),
        "recipient": _email_recipient(conversation),
    }


def _email_recipient(conversation: Conversation) -> str:
    """Where the conversation's replies are emailed: shown beside their Cc."""
    if conversation.channel not in (Channel.EMAIL, Channel.PHONE):
        return ""  # a chat answers in the chat (by email only when the visitor has left)
    return conversation.reply_to_email or conversation.contact.email


def conversation_context(agent: Agent, conversation: Conversation) -> dict[str, Any]:
    header = header_context(agent, conversation)
    contact = conversation.contact
    assignable = header["assignable"]
    entries, has_older = timeline_entries(
        conversation,
        agent_names={a.pk: a.name for a in assignable},
        contact_name=contact.display_name,
    )
    previous = queries.previous_conversations(conversation)
    return {
        **header,
        "timeline_messages": entries,
        "timeline_bodies": order_links(conversation, entries),
        "has_older": has_older,
        "contact": contact,
        "identities": list(contact.identities.all()),
        "tags": list(contact.tags.all()),
        "notes": list(contact.notes.select_related("author")[:20]),
        "previous": previous,
        "merge_candidates": [c for c in previous if c.merged_into_id is None],
        "orders": sidebar_orders(conversation),
    }


def order_links(conversation: Conversation, entries: list[TimelineEntry]) -> dict[int, str]:
    """Bodies of the entries that mention the store's orders, with the numbers linked."""
    return linked_bodies(
        conversation, {entry.id: entry.body_html for entry in entries if not entry.is_event}
    )


def team_of(agent: Agent, team_id: str) -> Team | None:
    if not team_id.isdigit():
        return None
    return teams_for(agent).filter(pk=int(team_id)).first()


def _colleagues(agent: Agent) -> list[dict[str, object]]:
    from tiski.conversations.views.live import colleagues

    return colleagues(agent)
