"""The returns report page for agents: /reports/returns/?store=<slug>&days=90."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tiski.agents.models import Agent, Membership
from tiski.agents.queries import stores_for
from tiski.core import clock
from tiski.returns.reports import DEFAULT_DAYS, MAX_DAYS, returns_report

# Offered in the period picker; any other whole number up to MAX_DAYS works in the URL.
PERIODS = (30, 90, 180, 365)


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Readable by every member of the store. Any other agent gets 404, so the URL does
    not tell them whether the store exists."""
    agent = request.user
    assert isinstance(agent, Agent)
    stores = list(stores_for(agent))
    wanted = request.GET.get("store", "")
    store = next((s for s in stores if s.slug == wanted), None) if wanted else None
    if store is None and not wanted and stores:
        store = stores[0]
    if store is None or not Membership.objects.filter(agent=agent, store=store).exists():
        raise Http404
    raw = request.GET.get("days", "") or str(DEFAULT_DAYS)
    days = int(raw) if raw.isdigit() else 0
    if not 1 <= days <= MAX_DAYS:
        return HttpResponseBadRequest(
            _("The period is a whole number of days from 1 to %(max)d.") % {"max": MAX_DAYS}
        )
    context = {
        "store": store,
        "stores": stores,
        "report": returns_report(store, days=days, now=clock.now()),
        "days": days,
        "periods": sorted({*PERIODS, days}),
    }
    return render(request, "returns/report.html", context)
