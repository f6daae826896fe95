"""Attachments and canned responses, served only to agents of the conversation's store."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from tiski.agents.queries import store_ids_for
from tiski.conversations import queries
from tiski.conversations.attachments import INLINE_IMAGE_TYPES
from tiski.conversations.canned import render_canned
from tiski.conversations.models import Attachment, CannedResponse
from tiski.conversations.views.pages import current_agent
from tiski.core.errors import NotFound


@login_required
@require_GET
def attachment(request: HttpRequest, token: str, filename: str) -> FileResponse:
    agent = current_agent(request)
    found = (
        Attachment.objects.filter(
            token=token, message__conversation__store_id__in=store_ids_for(agent)
        )
        .only("file", "filename", "content_type")
        .first()
    )
    if found is None:
        raise Http404
    inline = found.content_type in INLINE_IMAGE_TYPES
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=not inline,
        filename=found.filename,
        content_type=found.content_type,
    )
    # Even a file that sneaks past the type check cannot run script on our origin.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def canned_responses(request: HttpRequest, pk: int) -> JsonResponse:
    """The store's canned responses with placeholders filled for this conversation."""
    agent = current_agent(request)
    try:
        conversation = queries.conversation_for(agent, pk)
    except NotFound as exc:
        raise Http404 from exc
    responses = CannedResponse.objects.filter(store_id=conversation.store_id).order_by("shortcut")
    return JsonResponse(
        {
            "responses": [
                {
                    "shortcut": r.shortcut,
                    "title": r.title,
                    "text": render_canned(r.body, conversation, agent),
                }
                for r in responses
            ]
        }
    )
