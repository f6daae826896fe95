"""POST handlers of the return panel beside a conversation. Thin: find the return of a
conversation the agent may see, parse, call the action, render.

With htmx the answer is the re-rendered conversation pane, so the timeline shows the
email the customer just got: 200, 422 when the values were wrong, 409 when the step is
not one the return can take now (the pane then shows where the return really is).
Without JavaScript: a redirect back, or a short page with the refusal and its status.
An agent of another store, or a conversation that is not a return's, gets 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

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
from tiski.returns.actions import (
    LineInspection,
    TransitionRefused,
    approve_return,
    close_return,
    mark_in_transit,
    mark_label_sent,
    mark_received,
    record_inspection,
    reject_return,
    resolve_return,
)
from tiski.returns.models import Resolution, Return

# A step: does the work and returns what to tell the agent ("" for nothing).
Handler = Callable[[HttpRequest, Return, Actor], str]

_GRADE = re.compile(r"^grade-(\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")
# Whole units, with or without thousands separators, then up to two decimals after the
# last separator: Finnish and Polish write "99,90", English "99.90".
_SEPARATOR = re.compile("[.,]")
_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,](\d{1,2}))?")


def _simple(action: Callable[..., Any]) -> Handler:
    def handle(request: HttpRequest, case: Return, actor: Actor) -> str:
        action(case, actor=actor)
        return ""

    return handle


def _reject(request: HttpRequest, case: Return, actor: Actor) -> str:
    reject_return(case, reason=request.POST.get("reason", ""), actor=actor)
    return ""


def _inspect(request: HttpRequest, case: Return, actor: Actor) -> str:
    lines = [
        LineInspection(
            int(found.group(1)), request.POST[key], request.POST.get(f"note-{found.group(1)}", "")
        )
        for key in request.POST
        if (found := _GRADE.match(key))
    ]
    record_inspection(case, lines=lines, actor=actor)
    return ""


def parse_amount(raw: str) -> Decimal | None:
    """An amount as the agent typed it, in any of the desk's languages: "99,90",
    "99.90", "1 299,90", "1,299.90". None when left empty."""
    raw = _SPACES.sub("", raw)
    if not raw:
        return None
    found = _AMOUNT.fullmatch(raw)
    # "1.299" is 1299 to some and 1.299 to others: only with cents is it clear.
    if found is None or (found.group(2) is None and _SEPARATOR.search(found.group(1))):
        raise ActionError(_("Write the amount like 49.90."), field="amount")
    whole, cents = found.group(1), found.group(2) or "0"
    return Decimal(f"{_SEPARATOR.sub('', whole)}.{cents}")


def _resolve(request: HttpRequest, case: Return, actor: Actor) -> str:
    settled = resolve_return(
        case,
        resolution=request.POST.get("resolution", ""),
        amount=parse_amount(request.POST.get("amount", "")),
        actor=actor,
    )
    if settled.by_hand and settled.return_case.resolution == Resolution.REFUND:
        return _("Refund by hand in the shop’s admin: %(why)s") % {"why": settled.by_hand}
    return settled.by_hand


STEPS: dict[str, Handler] = {
    "approve": _simple(approve_return),
    "reject": _reject,
    "label-sent": _simple(mark_label_sent),
    "in-transit": _simple(mark_in_transit),
    "received": _simple(mark_received),
    "inspect": _inspect,
    "resolve": _resolve,
    "close": _simple(close_return),
}


@login_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Take one step of the return handled in conversation ``pk``."""
    agent = current_agent(request)
    handler = STEPS.get(name)
    try:
        conversation = queries.conversation_for(agent, pk)
    except NotFound as exc:
        raise Http404 from exc
    case = Return.objects.filter(
        conversation_id=conversation.pk, store_id=conversation.store_id
    ).first()
    if case is None or handler is None:
        raise Http404
    error, status, notice = "", 200, ""
    try:
        notice = handler(request, case, Actor.for_agent(agent))
    except TransitionRefused as exc:
        error, status = exc.message, 409
    except ActionError as exc:
        error, status = exc.message, 422
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
    context.update(oob_row=True, return_error=error, return_notice=notice)
    if name == "reject" and error:
        context["return_reason_draft"] = request.POST.get("reason", "")
    return render(request, "conversations/_conversation.html", context, status=status)
