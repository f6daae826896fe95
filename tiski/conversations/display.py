"""How conversations are shown: ages, times, labels, activity lines, the timeline.

Plain functions, used by the template tags (templatetags/inbox.py) and by
render_timeline, which renders the conversation page's hottest loop in Python.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiski.contacts.identities import format_phone
from tiski.conversations.attachments import INLINE_IMAGE_TYPES
from tiski.conversations.entries import TimelineEntry
from tiski.conversations.models import (
    Attachment,
    Channel,
    Conversation,
    DeliveryStatus,
    Message,
    Priority,
    Status,
)
from tiski.conversations.queries import COUNT_CAP


def ago(value: datetime | None) -> str:
    """Compact age for dense lists: "now", "5 min", "3 h", "2 d", then a date."""
    if value is None:
        return ""
    seconds = (timezone.now() - value).total_seconds()
    if seconds < 60:
        return _("now")
    if seconds < 3600:
        n = int(seconds // 60)
        return ngettext("%(n)d min", "%(n)d min", n) % {"n": n}
    if seconds < 86400:
        n = int(seconds // 3600)
        return ngettext("%(n)d h", "%(n)d h", n) % {"n": n}
    if seconds < 7 * 86400:
        n = int(seconds // 86400)
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


@lru_cache(maxsize=512)
def _choice_label(choices: type[models.Choices], value: str, language: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _label_filter(choices: type[models.Choices]) -> Callable[[str], str]:
    # Model.get_FOO_display() hashes every lazy label of the field on each call
    # (~85 µs); a timeline calls it hundreds of times.
    def label(value: str) -> str:
        return _choice_label(choices, value, translation.get_language() or "")

    return label


status_label = _label_filter(Status)
priority_label = _label_filter(Priority)
channel_label = _label_filter(Channel)
delivery_label = _label_filter(DeliveryStatus)


def iso(value: datetime | None) -> str:
    """For datetime attributes: isoformat is C code, the "c" date format is not."""
    return value.isoformat() if value is not None else ""


@lru_cache(maxsize=4096)
def _short_datetime(minute: datetime, language: str, zone: str) -> str:
    return formats.date_format(minute, "SHORT_DATETIME_FORMAT")


def when(value: datetime | None) -> str:
    """The reader's short date and time ("22.11.2026 3.29").

    Django's date formatting costs ~50 µs a call; a timeline of 200 messages repeats the
    same few minutes, so the result is kept per minute, language and time zone.
    """
    if value is None:
        return ""
    local = timezone.localtime(value).replace(second=0, microsecond=0)
    return _short_datetime(local, translation.get_language() or "", str(local.tzinfo))


def subject_line(conversation: Conversation) -> str:
    """The subject; an email without one says so, as mail clients do; a chat or another
    message without one has none (its first words are the preview)."""
    if conversation.subject:
        return conversation.subject
    return _("(no subject)") if conversation.channel == Channel.EMAIL else ""


def conversation_title(conversation: Conversation) -> str:
    """The conversation's heading: its subject line, else the customer's name."""
    return subject_line(conversation) or conversation.contact.display_name or conversation.reference


def capped(value: int | None) -> str:
    if not value:
        return ""
    return f"{COUNT_CAP}+" if value > COUNT_CAP else str(value)


def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


def filesize(value: int) -> str:
    return (
        formats.number_format(value / 1024, 0) + " kB"
        if value < 1024 * 1024
        else (formats.number_format(value / 1024 / 1024, 1) + " MB")
    )


def _status(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def _until(value: str | None) -> str:
    if not value:
        return ""
    when = timezone.localtime(datetime.fromisoformat(value))
    return formats.date_format(when, "SHORT_DATETIME_FORMAT")


def activity_text(message: Message | TimelineEntry) -> str:
    """What happened, in the reader's language. The actor is shown beside it, not in it:
    Polish past tenses agree with the actor's gender, which Tiski does not know, and the
    colon forms keep names in their base form in every language."""
    data = message.event_data or {}
    kind = data.get("type")
    if kind == "assigned":
        assignee, team = data.get("assignee"), data.get("team")
        if assignee and team:
            return _("Assigned to: %(assignee)s (%(team)s)") % {"assignee": assignee, "team": team}
        if assignee:
            return _("Assigned to: %(assignee)s") % {"assignee": assignee}
        if team:
            return _("Assigned to the team: %(team)s") % {"team": team}
        return _("Assignment removed")
    if kind == "status":
        status = data.get("status", "")
        if status == Status.SNOOZED:
            return _("Snoozed until %(until)s") % {"until": _until(data.get("until"))}
        if status == Status.OPEN:
            return _("Reopened")
        return _("Status: %(status)s") % {"status": _status(status)}
    if kind == "priority":
        value = data.get("priority", "")
        label = str(Priority(value).label) if value in Priority.values else value
        return _("Priority: %(priority)s") % {"priority": label}
    if kind == "labels":
        added, removed = data.get("added") or [], data.get("removed") or []
        parts = []
        if added:
            parts.append(
                ngettext("Label added: %(names)s", "Labels added: %(names)s", len(added))
                % {"names": ", ".join(added)}
            )
        if removed:
            parts.append(
                ngettext("Label removed: %(names)s", "Labels removed: %(names)s", len(removed))
                % {"names": ", ".join(removed)}
            )
        return "; ".join(parts)
    if kind == "cc":
        added, removed = data.get("added") or [], data.get("removed") or []
        parts = []
        if added:
            parts.append(_("Added to Cc: %(addresses)s") % {"addresses": ", ".join(added)})
        if removed:
            parts.append(_("Removed from Cc: %(addresses)s") % {"addresses": ", ".join(removed)})
        return "; ".join(parts)
    if kind == "merged_in":
        return _("Merged into this conversation: %(other)s") % {"other": data.get("other", "")}
    if kind == "merged_into":
        return _("Merged into: %(other)s") % {"other": data.get("other", "")}
    return _("Conversation changed")


def phone(value: str) -> str:
    return format_phone(value)


def _attachment_links(entry: TimelineEntry) -> str:
    items = []
    for a in entry.attachment_list:
        url = reverse("attachment", args=[a.token, a.filename])
        download = "" if a.content_type in INLINE_IMAGE_TYPES else " download"
        items.append(
            f'<li><a href="{_e(url)}"{download}>{_e(a.filename)}</a> '
            f'<small class="muted">{_e(filesize(a.size))}</small></li>'
        )
    return f'<ul class="attachments" role="list">{"".join(items)}</ul>'


_CID_SOURCE = re.compile(r'src="cid:([^"]{1,255})"')


def _inline_images(body_html: str, attachments: list[Attachment]) -> str:
    """Point an email's ``cid:`` images at their stored attachment."""
    if "cid:" not in body_html:  # every chat message and most mails: nothing to do
        return body_html
    by_cid = {a.content_id: a for a in attachments if a.content_id}

    def link(match: re.Match[str]) -> str:
        found = by_cid.get(html.unescape(match.group(1)))
        if found is None or found.content_type not in INLINE_IMAGE_TYPES:
            return match.group(0)
        return f'src="{_e(reverse("attachment", args=[found.token, found.filename]))}"'

    return _CID_SOURCE.sub(link, body_html)


def render_timeline(
    entries: list[TimelineEntry], bodies: Mapping[int, str] | None = None
) -> SafeString:
    """The conversation's timeline as HTML.

    Rendered here rather than by a template: it is the loop of the conversation page,
    hundreds of entries long, and the template engine spends ~95 µs on each one. Every
    value goes through html.escape (_e); body_html was sanitised when it was stored.
    ``bodies`` replace some entries' body_html (by entry id): the same HTML with order
    numbers linked (tiski.shop.sidebar.linked_bodies).
    """
    bodies = bodies or {}
    note_badge = f' <span class="pill pill-note">{_e(_("Internal note"))}</span>'
    automatic = _("Automatic reply")  # outside the f-string, where xgettext finds it
    automatic_badge = f' <span class="pill pill-automatic">{_e(automatic)}</span>'
    parts: list[str] = []
    for entry in entries:
        stamp = (
            f'<time datetime="{entry.created_at.isoformat()}">{_e(when(entry.created_at))}</time>'
        )
        seq = int(entry.seq)
        if entry.is_event:
            parts.append(
                f'<div class="activity" id="m-{seq}" data-seq="{seq}" data-id="{int(entry.id)}">'
                f'<span class="activity-actor">{_e(entry.author)}</span> '
                f"<span>{_e(activity_text(entry))}</span> {stamp}</div>"
            )
            continue
        delivery = ""
        if entry.shows_delivery:
            delivery = (
                f' <span class="delivery delivery-{_e(entry.status)}">'
                f"{_e(delivery_label(entry.status))}</span>"
            )
        extra = _attachment_links(entry) if entry.attachment_list else ""
        if entry.error and entry.status == DeliveryStatus.QUEUED:
            # A failed attempt; the message waits for the next one.
            error = _("Not sent yet, will try again: %(error)s") % {"error": entry.error}
            extra += f'<p class="field-error">{_e(error)}</p>'
        elif entry.error:
            extra += f'<p class="field-error">{_e(entry.error)}</p>'
        body = bodies.get(entry.id, entry.body_html)
        parts.append(
            f'<article class="msg msg-{_e(entry.direction)}{" msg-note" if entry.is_note else ""}"'
            f' id="m-{seq}" data-seq="{seq}" data-id="{int(entry.id)}">'
            '<header class="msg-header">'
            f"<strong>{_e(entry.author)}</strong>{note_badge if entry.is_note else ''}"
            f"{automatic_badge if entry.automatic else ''} "
            f"{stamp}{delivery}</header>"
            # Sanitised with nh3 on the way in (tiski.core.html.sanitize_html); order
            # links add only escaped text and attributes (tiski.shop.mentions).
            f'<div class="msg-body">{_inline_images(body, entry.attachment_list)}'
            f"</div>{extra}</article>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def _e(value: str) -> str:
    return html.escape(str(value), quote=True)
