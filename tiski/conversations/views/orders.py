"""An order of the conversation's store, for the sidebar: the one a message mentions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiski.conversations import queries
from tiski.conversations.views.pages import current_agent
from tiski.core.errors import NotFound
from tiski.shop.sidebar import store_order


@login_required
@require_GET
def order(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """The order as the sidebar shows it, opened: only an order of the conversation's
    store, and only to an agent who may see the conversation."""
    try:
        conversation = queries.conversation_for(current_agent(request), pk)
    except NotFound as exc:
        raise Http404 from exc
    card = store_order(conversation, order_pk)
    if card is None:
        raise Http404
    return render(
        request, "shop/_order.html", {"card": card, "conversation": conversation, "open": True}
    )
