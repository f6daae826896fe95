"""POST handlers of the conversation pane. Each one is thin: parse, call an action, render.

With htmx the answer is the re-rendered pane (422 with the reason when the action
refused); without JavaScript it is a redirect back to the conversation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiski.agents.models import Agent
from tiski.agents.queries import agents_of
from tiski.contacts.actions import add_contact_note, set_contact_tags
from tiski.conversations import actions, queries
from tiski.conversations.attachments import IncomingFile
from tiski.conversations.models import Conversation, Label, Status
from tiski.conversations.views.context import conversation_context, snooze_presets, team_of
from tiski.conversations.views.pages import current_agent
from tiski.core.actors import Actor
from tiski.core.errors import ActionError, NotFound

Command = Callable[[HttpRequest, Agent, Conversation], Conversation | None]


def conversation_command(handler: Command) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @require_POST
    @wraps(handler)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        agent = current_agent(request)
        try:
            conversation = queries.conversation_for(agent, pk)
        except NotFound as exc:
            raise Http404 from exc
        error: ActionError | None = None
        try:
            result = handler(request, agent, conversation)
        except ActionError as exc:
            error, result = exc, None
        if result is not None and result.pk != conversation.pk:
            target = result.pk  # a merge continues in the conversation merged into
        else:
            target = conversation.pk
        if request.headers.get("HX-Request") != "true":
            if error:
                flash.error(request, error.message)
            return redirect("conversation", pk=target)
        fresh = queries.conversation_for(agent, target)
        queries.decorate_rows([fresh])  # it is also the list row sent out of band
        context: dict[str, Any] = conversation_context(agent, fresh)
        context["oob_row"] = True
        if error:
            context["error"] = error.message
            context["draft"] = request.POST.get("text", "")
            context["draft_kind"] = request.POST.get("kind", "reply")
        response = render(
            request,
            "conversations/_conversation.html",
            context,
            status=422 if error else 200,
        )
        if target != conversation.pk:
            response.headers["HX-Push-Url"] = f"/conversations/{target}/"
        return response

    return view


@conversation_command
def reply(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    kind = request.POST.get("kind", "reply")
    text = request.POST.get("text", "")
    actor = Actor.for_agent(agent)
    files = [
        IncomingFile(filename=f.name or "", content=f.read(), declared_type=f.content_type or "")
        for f in request.FILES.getlist("attachments")
    ]
    then = request.POST.get("then", "")
    if then and then not in (Status.PENDING, Status.RESOLVED):
        raise ActionError(_("Unknown status."), field="then")
    # Answer and status change together, or neither.
    with transaction.atomic():
        if kind == "note":
            if files:
                raise ActionError(_("Notes cannot carry attachments."), field="attachments")
            actions.add_note(conversation, actor=actor, author=agent, text=text)
        elif kind == "reply":
            actions.send_reply(
                conversation, actor=actor, author=agent, text=text, attachments=files
            )
            if then:
                actions.change_status(conversation, status=then, actor=actor)
        else:
            raise ActionError(_("Unknown message kind."), field="kind")
    return conversation


@conversation_command
def assign(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    changes: dict[str, Any] = {}
    if "assignee" in request.POST:
        value = request.POST["assignee"]
        if value == "me":
            changes["assignee"] = agent
        elif value == "":
            changes["assignee"] = None
        else:
            found = agents_of([conversation.store_id]).filter(pk=value if value.isdigit() else 0)
            changes["assignee"] = found.first()
            if changes["assignee"] is None:
                raise ActionError(_("Choose an agent of this store."), field="assignee")
    if "team" in request.POST:
        value = request.POST["team"]
        team = team_of(agent, value) if value else None
        if value and (team is None or team.store_id != conversation.store_id):
            raise ActionError(_("Choose a team of this store."), field="team")
        changes["team"] = team
    return actions.assign(conversation, actor=Actor.for_agent(agent), **changes)


def _snooze_until(request: HttpRequest, agent: Agent) -> datetime | None:
    preset = request.POST.get("snooze", "")
    for key, _label, when in snooze_presets(agent):
        if key == preset:
            return when
    raw = request.POST.get("until", "")
    if not raw:
        raise ActionError(_("Choose when the conversation should wake up."), field="until")
    try:
        naive = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ActionError(_("That is not a date and time."), field="until") from exc
    # A datetime-local input means the agent's own wall clock.
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


@conversation_command
def status(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    new_status = request.POST.get("status", "")
    until = _snooze_until(request, agent) if new_status == Status.SNOOZED else None
    return actions.change_status(
        conversation, status=new_status, snoozed_until=until, actor=Actor.for_agent(agent)
    )


@conversation_command
def priority(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    return actions.change_priority(
        conversation, priority=request.POST.get("priority", ""), actor=Actor.for_agent(agent)
    )


@conversation_command
def labels(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    ids = [int(v) for v in request.POST.getlist("label") if v.isdigit()]
    chosen = list(Label.objects.filter(store_id=conversation.store_id, pk__in=ids))
    if len(chosen) != len(set(ids)):
        raise ActionError(_("Choose labels of this store."), field="label")
    return actions.set_labels(conversation, chosen, actor=Actor.for_agent(agent))


@conversation_command
def cc(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    addresses = [a for a in re.split(r"[,;\s]+", request.POST.get("cc", "")) if a]
    return actions.set_cc(conversation, addresses, actor=Actor.for_agent(agent))


@conversation_command
def merge(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    value = request.POST.get("target", "")
    try:
        target = queries.conversation_for(agent, int(value))
    except (ValueError, NotFound) as exc:
        raise ActionError(_("Choose a conversation to merge into."), field="target") from exc
    return actions.merge_conversations(conversation, target, actor=Actor.for_agent(agent))


@conversation_command
def contact_note(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    add_contact_note(
        conversation.contact, body=request.POST.get("body", ""), actor=Actor.for_agent(agent)
    )
    return conversation


@conversation_command
def contact_tags(request: HttpRequest, agent: Agent, conversation: Conversation) -> Conversation:
    names = [n for n in request.POST.get("tags", "").split(",") if n.strip()]
    set_contact_tags(conversation.contact, names, actor=Actor.for_agent(agent))
    return conversation
