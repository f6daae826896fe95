"""Reads for the inbox: views, counts, keyset pages, the conversation page."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tiski.agents.models import Agent
from tiski.agents.queries import store_ids_for
from tiski.contacts.queries import attach_display_fallbacks
from tiski.conversations.models import (
    Conversation,
    ConversationLabel,
    Label,
    Status,
)
from tiski.core.errors import NotFound
from tiski.stores.models import Store

VIEW_KINDS = ("mine", "unassigned", "all", "team", "store", "label")
STATUS_FILTERS = (*Status.values, "all")
PAGE_SIZE = 25
# Above this the inbox shows "99+": past a hundred open conversations the exact number
# changes no decision, and every count reads at most COUNT_CAP + 1 index entries.
COUNT_CAP = 99


@dataclass(frozen=True)
class InboxView:
    kind: str = "all"
    key: str = ""
    status: str = Status.OPEN

    def __post_init__(self) -> None:
        if self.kind not in VIEW_KINDS:
            raise NotFound(str(_("Unknown inbox view.")))
        if self.status not in STATUS_FILTERS:
            raise NotFound(str(_("Unknown status.")))
        if self.kind in ("team", "label") and not self.key.isdigit():
            raise NotFound(str(_("Unknown inbox view.")))
        if self.kind == "store" and not self.key:
            raise NotFound(str(_("Unknown inbox view.")))


def visible_conversations(agent: Agent) -> QuerySet[Conversation]:
    """Every conversation ``agent`` may open: those of the stores they belong to."""
    return Conversation.objects.filter(store_id__in=store_ids_for(agent))


def conversation_for(agent: Agent, pk: int) -> Conversation:
    """The conversation, or NotFound if it doesn't exist or isn't the agent's to see."""
    conversation = (
        visible_conversations(agent)
        # merged_into is rare and loaded on use: a self-join per page view costs more.
        .select_related("store", "contact", "assignee", "team")
        .filter(pk=pk)
        .first()
    )
    if conversation is None:
        raise NotFound()
    return conversation


def _filter_view(
    qs: QuerySet[Conversation], agent: Agent | None, view: InboxView
) -> QuerySet[Conversation]:
    if view.kind == "mine":
        if agent is None:
            raise NotFound(str(_('"mine" needs an agent; filter by assignee instead.')))
        qs = qs.filter(assignee=agent)
    elif view.kind == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif view.kind == "team":
        qs = qs.filter(team_id=int(view.key))
    elif view.kind == "store":
        qs = qs.filter(store__slug=view.key)
    elif view.kind == "label":
        qs = qs.filter(
            Exists(
                ConversationLabel.objects.filter(
                    conversation=OuterRef("pk"), label_id=int(view.key)
                )
            )
        )
    if view.status != "all":
        qs = qs.filter(status=view.status)
    return qs


def with_list_relations(qs: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """The related rows a list row shows, only the columns it shows.

    Labels, stores and nameless contacts' identities are attached after the fetch by
    ``decorate_rows``: plain grouped queries cost less than prefetches per row.
    """
    return qs.select_related("contact", "assignee", "team").only(
        *[f.attname for f in Conversation._meta.concrete_fields],
        "contact__name",
        "contact__language",
        "contact__store_id",
        "assignee__name",
        "assignee__email",
        "team__name",
        "team__store_id",
    )


def decorate_rows(rows: list[Conversation]) -> list[Conversation]:
    """Attach stores, labels (``label_list``) and display names for nameless contacts."""
    attach_stores(rows)
    ids = [row.pk for row in rows]
    labels: dict[int, list[Label]] = {}
    linked = (
        Label.objects.filter(conversationlabel__conversation_id__in=ids)
        .annotate(linked_conversation=F("conversationlabel__conversation_id"))
        .order_by("name")
    )
    for label in linked:
        labels.setdefault(label.linked_conversation, []).append(label)
    for row in rows:
        row.label_list = labels.get(row.pk, [])  # type: ignore[attr-defined]
    attach_display_fallbacks(row.contact for row in rows)
    return rows


def inbox(agent: Agent, view: InboxView) -> QuerySet[Conversation]:
    """The conversations of ``view``, newest first, ready to render without more queries."""
    return inbox_in_stores(store_ids_for(agent), view, agent=agent)


def inbox_in_stores(
    store_ids: list[int], view: InboxView, *, agent: Agent | None = None
) -> QuerySet[Conversation]:
    qs = Conversation.objects.filter(store_id__in=store_ids)
    return with_list_relations(_filter_view(qs, agent, view)).order_by("-last_message_at", "-id")


# --- keyset pagination ----------------------------------------------------------------


def encode_cursor(conversation: Conversation) -> str:
    raw = f"{conversation.last_message_at.isoformat()}|{conversation.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Raises ValueError with a reason for anything that is not a cursor we made."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        when = datetime.fromisoformat(stamp)
        number = int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError("invalid cursor") from exc
    if when.tzinfo is None or number < 1:
        raise ValueError("invalid cursor")
    return when, number


def page(
    qs: QuerySet[Conversation], *, cursor: str | None, size: int = PAGE_SIZE
) -> tuple[list[Conversation], str | None]:
    """One page after ``cursor`` and the cursor of the next page (None at the end)."""
    if cursor:
        when, pk = decode_cursor(cursor)
        qs = qs.filter(Q(last_message_at__lt=when) | Q(last_message_at=when, id__lt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = decorate_rows(rows[:size])
    return rows, (encode_cursor(rows[-1]) if more and rows else None)


# --- counts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CappedCount:
    """``SELECT 1 FROM table WHERE conditions``, counted up to COUNT_CAP + 1 rows.

    ``conditions`` are (column, value) pairs; a tuple value means IN, None means IS NULL.
    Written as SQL directly: the navigation asks for a dozen of these on every page,
    and compiling as many querysets costs more than running them.
    """

    table: str
    conditions: tuple[tuple[str, Any], ...]

    def sql(self, alias: str) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in self.conditions:
            name = connection.ops.quote_name(column)
            if value is None:
                clauses.append(f"{name} IS NULL")
            elif isinstance(value, tuple):
                if not value:
                    clauses.append("1 = 0")
                    continue
                clauses.append(f"{name} IN ({', '.join(['%s'] * len(value))})")
                params.extend(value)
            else:
                clauses.append(f"{name} = %s")
                params.append(value)
        table = connection.ops.quote_name(self.table)
        where = " AND ".join(clauses) or "1 = 1"
        # Names come from model metadata, values travel as parameters.
        inner = f"SELECT 1 FROM {table} WHERE {where} LIMIT {COUNT_CAP + 1}"  # noqa: S608
        return f"(SELECT COUNT(*) FROM ({inner}) AS {alias})", params  # noqa: S608


def capped_counts(named: dict[str, CappedCount]) -> dict[str, int]:
    """Every count in one database round trip; each stops after COUNT_CAP + 1 rows, so it
    costs at most that many index entries however large the table grows."""
    if not named:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for position, count in enumerate(named.values()):
        sql, sql_params = count.sql(f"capped_{position}")
        parts.append(sql)
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(named, (int(n) for n in row), strict=True))


@dataclass(frozen=True)
class InboxCounts:
    mine: int
    unassigned: int
    all: int
    by_store: dict[int, int]
    by_team: dict[int, int]
    by_label: dict[int, int]
    by_status: dict[str, int]


def inbox_counts(agent: Agent, *, team_ids: list[int], label_ids: list[int]) -> InboxCounts:
    """Open conversations per view of the navigation, and per status, capped."""
    conversations = Conversation._meta.db_table
    links = ConversationLabel._meta.db_table
    stores = tuple(store_ids_for(agent))
    open_ = ("status", Status.OPEN.value)
    named: dict[str, CappedCount] = {
        "mine": CappedCount(
            conversations, (("assignee_id", agent.pk), open_, ("store_id", stores))
        ),
        "unassigned": CappedCount(
            conversations, (("store_id", stores), open_, ("assignee_id", None))
        ),
    }
    for store_id in stores:
        named[f"store:{store_id}"] = CappedCount(conversations, (("store_id", store_id), open_))
    for team_id in team_ids:
        named[f"team:{team_id}"] = CappedCount(conversations, (("team_id", team_id), open_))
    for label_id in label_ids:
        named[f"label:{label_id}"] = CappedCount(links, (("label_id", label_id), open_))
    for status in Status.values:
        if status != Status.OPEN:
            named[f"status:{status}"] = CappedCount(
                conversations, (("store_id", stores), ("status", status))
            )
    counts = capped_counts(named)

    def group(prefix: str) -> dict[Any, int]:
        return {
            int(key.split(":")[1]) if prefix != "status" else key.split(":")[1]: value
            for key, value in counts.items()
            if key.startswith(prefix + ":")
        }

    by_store = group("store")
    by_status: dict[str, int] = group("status")
    by_status[Status.OPEN] = sum(by_store.values())
    return InboxCounts(
        mine=counts["mine"],
        unassigned=counts["unassigned"],
        all=by_status[Status.OPEN],
        by_store=by_store,
        by_team=group("team"),
        by_label=group("label"),
        by_status=by_status,
    )


def attach_stores(rows: list[Conversation]) -> list[Conversation]:
    """Give each row its store from one small query instead of a join per row.

    Stores are few and carry JSON columns that cost time to decode row by row.
    """
    wanted = {row.store_id for row in rows}
    stores = {store.pk: store for store in Store.objects.filter(pk__in=wanted)}
    for row in rows:
        row.store = stores[row.store_id]
    return rows


# --- the conversation page ---------------------------------------------------------


def previous_conversations(conversation: Conversation, *, limit: int = 10) -> list[Conversation]:
    return list(
        Conversation.objects.filter(contact_id=conversation.contact_id)
        .exclude(pk=conversation.pk)
        .select_related("store")
        .order_by("-created_at")[:limit]
    )
