"""The complaint panel's answer, POSTed beside the conversation. Thin: find the complaint
of a conversation the agent may see, parse, call ``answer_complaint``, render.

As the return panel's steps: with htmx the re-rendered conversation pane (the answer
shows in the timeline), 422 for wrong values with the draft kept, 409 when the
complaint was answered meanwhile; without JavaScript a redirect back or a short page
with the refusal. Another store's agent, or a conversation that is not a complaint's,
gets 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiski.conversations import queries
from tiski.conversations.views.context import conversation_context
from tiski.conversations.views.pages import current_agent
from tiski.core.actors import Actor
from tiski.core.errors import ActionError, NotFound
from tiski.returns.actions.complaints import answer_complaint
from tiski.returns.models import Complaint

DECISIONS = {"accept": True, "reject": False}


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the complaint handled in conversation ``pk``: accept with a remedy or
    reject, with the text the customer gets by email."""
    agent = current_agent(request)
    try:
        conversation = queries.conversation_for(agent, pk)
    except NotFound as exc:
        raise Http404 from exc
    complaint = Complaint.objects.filter(
        conversation_id=conversation.pk, store_id=conversation.store_id
    ).first()
    if complaint is None:
        raise Http404
    decision = request.POST.get("decision", "")
    error, status = "", 200
    try:
        if decision not in DECISIONS:
            raise ActionError(_("Choose to accept or reject the complaint."), field="decision")
        answer_complaint(
            complaint,
            accepted=DECISIONS[decision],
            text=request.POST.get("text", ""),
            remedy=request.POST.get("remedy", "") if DECISIONS[decision] else "",
            author=agent,
            actor=Actor.for_agent(agent),
        )
    except ActionError as exc:
        error = exc.message
        status = 409 if exc.code == "conflict" else 422
    if request.headers.get("HX-Request") != "true":
        if not error:
            return redirect("conversation", pk=pk)
        return render(
            request,
            "returns/panel/refused.html",
            {"conversation": conversation, "message": error},
            status=status,
        )
    fresh = queries.conversation_for(agent, pk)
    queries.decorate_rows([fresh])  # it is also the list row sent out of band
    context = conversation_context(agent, fresh)
    context.update(oob_row=True, complaint_error=error)
    if status == 422:
        context["complaint_draft"] = {
            "decision": decision,
            "remedy": request.POST.get("remedy", ""),
            "text": request.POST.get("text", ""),
        }
    return render(request, "conversations/_conversation.html", context, status=status)
