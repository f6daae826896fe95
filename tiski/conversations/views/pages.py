"""The inbox and conversation pages (full pages, or fragments for htmx)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tiski.agents.models import Agent
from tiski.conversations import queries
from tiski.conversations.queries import InboxView
from tiski.conversations.views.context import (
    conversation_context,
    list_context,
    nav_context,
    remember_view,
    remembered_view,
    view_title,
    view_url,
)
from tiski.core.errors import NotFound


def current_agent(request: HttpRequest) -> Agent:
    agent = request.user
    assert isinstance(agent, Agent)
    return agent


def htmx_target(request: HttpRequest) -> str:
    return (request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target")) or ""


@login_required
def root(request: HttpRequest) -> HttpResponse:
    return redirect("inbox")


@login_required
@require_GET
def inbox_page(request: HttpRequest, kind: str = "", key: str = "") -> HttpResponse:
    agent = current_agent(request)
    if not kind:
        view = remembered_view(request)
        return redirect(view_url(view))
    try:
        view = InboxView(kind=kind, key=key, status=request.GET.get("status", "open"))
        listing = list_context(agent, view, request.GET.get("cursor"))
    except (NotFound, ValueError) as exc:
        raise Http404(str(exc)) from exc
    target = htmx_target(request)
    if target in ("conversation-list-more", "conversation-list"):
        # "Load more", or the live refresh of the first page: only the rows.
        return render(request, "conversations/_list_rows.html", listing)
    remember_view(request, view)
    nav = nav_context(agent)
    context = {**nav, **listing, "title": view_title(view, nav), "conversation": None}
    return render(request, "conversations/inbox.html", context)


@login_required
@require_GET
def conversation_page(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    try:
        conversation = queries.conversation_for(agent, pk)
    except NotFound as exc:
        raise Http404 from exc
    context = conversation_context(agent, conversation)
    if htmx_target(request) == "conversation":
        return render(request, "conversations/_conversation.html", context)
    view = remembered_view(request)
    nav = nav_context(agent)
    try:
        listing = list_context(agent, view, None)
    except NotFound:
        view = InboxView()
        listing = list_context(agent, view, None)
    return render(
        request,
        "conversations/inbox.html",
        {**nav, **listing, **context, "title": view_title(view, nav)},
    )
