"""Fragments the live inbox fetches when its websocket says something changed.

The socket carries events, not HTML: the page asks for exactly the part that changed,
rendered by the same code as a full page, in the agent's language.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiski.agents.models import Agent
from tiski.agents.presence import presences
from tiski.agents.queries import agents_of, store_ids_for
from tiski.conversations import queries
from tiski.conversations.display import render_timeline
from tiski.conversations.entries import timeline_entries
from tiski.conversations.views.context import (
    header_context,
    nav_context,
    order_links,
    remembered_view,
)
from tiski.conversations.views.pages import current_agent
from tiski.core.errors import NotFound


@login_required
@require_GET
def entries(request: HttpRequest, pk: int) -> HttpResponse:
    """Timeline entries after ``since`` (a sequence number), as HTML."""
    agent = current_agent(request)
    try:
        conversation = queries.conversation_for(agent, pk)
        since = int(request.GET.get("since", "0"))
    except (NotFound, ValueError) as exc:
        raise Http404 from exc
    found, _more = timeline_entries(
        conversation,
        agent_names={},
        contact_name=conversation.contact.display_name,
        since_seq=max(0, since),
    )
    response = HttpResponse(render_timeline(found, order_links(conversation, found)))
    response["X-Last-Seq"] = str(conversation.last_seq)
    return response


@login_required
@require_GET
def header(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    try:
        conversation = queries.conversation_for(agent, pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request, "conversations/_conversation_header.html", header_context(agent, conversation)
    )


@login_required
@require_GET
def nav(request: HttpRequest) -> HttpResponse:
    """The navigation with fresh counts, for the view the agent is in."""
    return render_nav(request, current_agent(request))


def render_nav(request: HttpRequest, agent: Agent) -> HttpResponse:
    return render(
        request,
        "conversations/_nav.html",
        {**nav_context(agent), "view": remembered_view(request)},
    )


def colleagues(agent: Agent) -> list[dict[str, object]]:
    """The agent's colleagues in their stores, with who is online now."""
    others = list(
        agents_of(store_ids_for(agent))
        .exclude(pk=agent.pk)
        .only("name", "availability")
        .order_by("name")
    )
    states = presences(others)
    return [{"agent": other, "presence": states[other.pk]} for other in others]
