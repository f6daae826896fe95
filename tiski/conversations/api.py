from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from tiski.agents.models import Agent, Team
from tiski.agents.queries import agents_of
from tiski.contacts.models import Contact
from tiski.conversations import actions, queries
from tiski.conversations.models import (
    Channel,
    Conversation,
    Kind,
    Label,
    Message,
    Priority,
    Status,
)
from tiski.conversations.queries import InboxView
from tiski.core.apiauth import Caller, caller
from tiski.core.apischemas import ErrorOut, store_for_write
from tiski.core.errors import ActionError, NotFound
from tiski.stores.models import ApiScope

router = Router(tags=["conversations"])


class Ref(Schema):
    id: int
    name: str


class ConversationOut(Schema):
    id: int
    number: int
    reference: str
    store: str
    contact: Ref
    channel: str
    status: str
    priority: str
    assignee: Ref | None
    team: Ref | None
    labels: list[str]
    subject: str
    language: str
    created_at: datetime
    last_message_at: datetime
    last_message_preview: str
    first_response_at: datetime | None
    resolved_at: datetime | None
    snoozed_until: datetime | None
    waiting_since: datetime | None
    merged_into: int | None = Field(None, alias="merged_into_id")
    last_seq: int
    cc: list[str] = Field(
        default_factory=list,
        alias="cc_addresses",
        description="Addresses email replies are copied to",
    )

    @staticmethod
    def resolve_store(obj: Conversation) -> str:
        return obj.store.slug

    @staticmethod
    def resolve_contact(obj: Conversation) -> dict[str, object]:
        return {"id": obj.contact_id, "name": obj.contact.display_name}

    @staticmethod
    def resolve_assignee(obj: Conversation) -> dict[str, object] | None:
        return {"id": obj.assignee.pk, "name": obj.assignee.name} if obj.assignee else None

    @staticmethod
    def resolve_team(obj: Conversation) -> dict[str, object] | None:
        return {"id": obj.team.pk, "name": obj.team.name} if obj.team else None

    @staticmethod
    def resolve_labels(obj: Conversation) -> list[str]:
        attached = getattr(obj, "label_list", None)
        labels = attached if attached is not None else obj.labels.all()
        return [label.name for label in labels]


class ConversationPage(Schema):
    items: list[ConversationOut]
    next_cursor: str | None


class ConversationFilters(Schema):
    view: Literal["all", "mine", "unassigned"] = "all"
    status: Literal["open", "pending", "snoozed", "resolved", "closed", "all"] = "open"
    store: str | None = Field(None, description="Store slug")
    team: int | None = None
    label: int | None = None
    assignee: int | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(25, ge=1, le=100)


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    seq: int
    kind: str
    direction: str
    author_type: str
    author_agent: int | None = Field(None, alias="author_agent_id")
    author_label: str
    body_text: str
    body_html: str
    external_id: str
    status: str
    error: str
    automatic: bool = Field(
        False, description="Sent by the desk on its own (an acknowledgement), not written"
    )
    event_data: dict[str, object] | None
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Message) -> list[object]:
        return list(obj.attachments.all())


class MessagePage(Schema):
    items: list[MessageOut]
    last_seq: int


class MessageIn(Schema):
    kind: Literal["reply", "note"] = "reply"
    text: str = Field("", max_length=50_000)
    html: str = Field("", max_length=200_000)
    author: int | None = Field(None, description="Agent id; defaults to the calling agent")
    external_id: str = Field("", max_length=255, description="Your id, for safe retries")


class ConversationIn(Schema):
    store: str | None = None
    contact: int
    channel: Channel = Channel.EMAIL
    subject: str = Field("", max_length=300)
    language: str = Field("", max_length=8)


class AssignIn(Schema):
    assignee: int | None = Field(None, description="Agent id, or null to unassign")
    team: int | None = Field(None, description="Team id, or null for no team")


class StatusIn(Schema):
    status: Status
    snoozed_until: datetime | None = None


class PriorityIn(Schema):
    priority: Priority


class LabelsIn(Schema):
    labels: list[str] = Field(..., max_length=50, description="Label names; replaces the set")


def _conversations(who: Caller) -> QuerySet[Conversation]:
    return queries.with_list_relations(Conversation.objects.filter(store_id__in=who.store_ids))


def _conversation(who: Caller, pk: int) -> Conversation:
    found = _conversations(who).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return queries.decorate_rows([found])[0]


@router.get("", response={200: ConversationPage, 400: ErrorOut}, summary="The inbox")
def list_conversations(
    request: HttpRequest, filters: Query[ConversationFilters]
) -> dict[str, object]:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_READ)
    if filters.view == "mine" and who.agent is None:
        raise ActionError(_('"mine" needs an agent; filter by assignee instead.'), field="view")
    qs = queries.inbox_in_stores(
        who.store_ids, InboxView(kind=filters.view, status=filters.status), agent=who.agent
    )
    if filters.store:
        qs = qs.filter(store__slug=filters.store)
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    if filters.label is not None:
        qs = qs.filter(labels__id=filters.label)
    if filters.assignee is not None:
        qs = qs.filter(assignee_id=filters.assignee)
    try:
        rows, next_cursor = queries.page(qs, cursor=filters.cursor, size=filters.limit)
    except ValueError as exc:
        raise ActionError(_("The cursor is not valid."), field="cursor") from exc
    return {"items": rows, "next_cursor": next_cursor}


@router.post("", response={201: ConversationOut, 400: ErrorOut, 404: ErrorOut})
def create(request: HttpRequest, payload: ConversationIn) -> Answer[Conversation]:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_WRITE)
    store = store_for_write(who, payload.store)
    contact = Contact.objects.filter(store=store, pk=payload.contact).first()
    if contact is None:
        raise ActionError(_("No such contact in this store."), field="contact")
    conversation = actions.start_conversation(
        store,
        contact,
        channel=payload.channel,
        actor=who.actor,
        subject=payload.subject,
        language=payload.language,
    )
    return Answer(201, _conversation(who, conversation.pk))


@router.get("/{int:conversation_id}", response={200: ConversationOut, 404: ErrorOut})
def get(request: HttpRequest, conversation_id: int) -> Conversation:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_READ)
    return _conversation(who, conversation_id)


@router.get(
    "/{int:conversation_id}/messages",
    response={200: MessagePage, 404: ErrorOut},
    summary="Messages after a sequence number, oldest first",
)
def list_messages(
    request: HttpRequest,
    conversation_id: int,
    after_seq: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=500),
) -> dict[str, object]:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_READ)
    conversation = _conversation(who, conversation_id)
    rows = list(
        Message.objects.filter(conversation=conversation, seq__gt=after_seq)
        .prefetch_related("attachments")
        .order_by("seq")[:limit]
    )
    return {"items": rows, "last_seq": conversation.last_seq}


def _author(who: Caller, conversation: Conversation, agent_id: int | None) -> Agent | None:
    if agent_id is None:
        return who.agent
    author = agents_of([conversation.store_id]).filter(pk=agent_id).first()
    if author is None:
        raise ActionError(_("No such agent in this store."), field="author")
    return author


@router.post(
    "/{int:conversation_id}/messages",
    response={201: MessageOut, 400: ErrorOut, 404: ErrorOut},
    summary="Reply to the customer or add an internal note",
)
def create_message(
    request: HttpRequest, conversation_id: int, payload: MessageIn
) -> Answer[Message]:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_WRITE)
    conversation = _conversation(who, conversation_id)
    author = _author(who, conversation, payload.author)
    if payload.kind == Kind.NOTE:
        if payload.html:
            raise ActionError(_("Notes are plain text."), field="html")
        message = actions.add_note(conversation, actor=who.actor, author=author, text=payload.text)
    else:
        message = actions.send_reply(
            conversation,
            actor=who.actor,
            author=author,
            text=payload.text,
            html=payload.html,
            external_id=payload.external_id,
        )
    return Answer(201, Message.objects.prefetch_related("attachments").get(pk=message.pk))


@router.post(
    "/{int:conversation_id}/assign", response={200: ConversationOut, 400: ErrorOut, 404: ErrorOut}
)
def assign(request: HttpRequest, conversation_id: int, payload: AssignIn) -> Conversation:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_WRITE)
    conversation = _conversation(who, conversation_id)
    changes: dict[str, object] = {}
    # A field left out of the body stays as it is; null clears it.
    if "assignee" in payload.model_fields_set:
        changes["assignee"] = (
            None if payload.assignee is None else _author(who, conversation, payload.assignee)
        )
    if "team" in payload.model_fields_set:
        team = None
        if payload.team is not None:
            team = Team.objects.filter(pk=payload.team, store_id=conversation.store_id).first()
            if team is None:
                raise ActionError(_("No such team in this store."), field="team")
        changes["team"] = team
    actions.assign(conversation, actor=who.actor, **changes)
    return _conversation(who, conversation_id)


@router.post(
    "/{int:conversation_id}/status", response={200: ConversationOut, 400: ErrorOut, 404: ErrorOut}
)
def set_status(request: HttpRequest, conversation_id: int, payload: StatusIn) -> Conversation:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_WRITE)
    actions.change_status(
        _conversation(who, conversation_id),
        status=payload.status,
        snoozed_until=payload.snoozed_until,
        actor=who.actor,
    )
    return _conversation(who, conversation_id)


@router.post(
    "/{int:conversation_id}/priority", response={200: ConversationOut, 400: ErrorOut, 404: ErrorOut}
)
def set_priority(request: HttpRequest, conversation_id: int, payload: PriorityIn) -> Conversation:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_WRITE)
    actions.change_priority(
        _conversation(who, conversation_id), priority=payload.priority, actor=who.actor
    )
    return _conversation(who, conversation_id)


@router.post(
    "/{int:conversation_id}/labels", response={200: ConversationOut, 400: ErrorOut, 404: ErrorOut}
)
def set_labels(request: HttpRequest, conversation_id: int, payload: LabelsIn) -> Conversation:
    who = caller(request)
    who.require(ApiScope.CONVERSATIONS_WRITE)
    conversation = _conversation(who, conversation_id)
    names = {" ".join(n.split()) for n in payload.labels}
    found = list(Label.objects.filter(store_id=conversation.store_id, name__in=names))
    missing = names - {label.name for label in found}
    if missing:
        raise ActionError(
            _("Unknown labels: %(names)s") % {"names": ", ".join(sorted(missing))}, field="labels"
        )
    with transaction.atomic():
        actions.set_labels(conversation, found, actor=who.actor)
    return _conversation(who, conversation_id)
