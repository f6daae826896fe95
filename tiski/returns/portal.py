"""The return portal, /returns/<store slug>/: a customer sends items back with no agent.

1. Find the order by its number and email (``selfservice.lookup_order``: its rate limits,
   one answer for a wrong number or a wrong email, 429 over a limit), or, for a customer
   the shop signed in (the widget's link carries ``portal_access.customer_token``),
   choose one of their recent orders.
2. Choose items, a reason each, photos, and the resolution; ``request_return`` stores
   it. The order travels between the steps in a signed, time-limited token
   (``portal_access``), never as an id the form could change.
3. The confirmation: the return number, what happens next, and the label PDF.

Server-rendered and complete without JavaScript; the store's colours and the customer's
language, as on the order status page (whose ``page_language`` and ``ink`` it uses).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from tiski.agents.views import client_address
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.returns.actions import request_return
from tiski.returns.cases import once
from tiski.returns.label import label_pdf
from tiski.returns.models import Return
from tiski.returns.portal_access import (
    customer_from_token,
    order_from_token,
    order_token,
    return_from_signature,
    return_signature,
)
from tiski.returns.portal_forms import (
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    ReturnForm,
    offer_for,
)
from tiski.returns.reasons import reason_label, reason_labels
from tiski.shop.models import Order
from tiski.shop.selfservice import (
    LOOKUP_WINDOW,
    MAX_NUMBER,
    Found,
    customer_orders,
    for_customer,
    lookup_order,
    store_zone,
)
from tiski.shop.selfservice_views import LookupForm, ink, page_language
from tiski.stores.models import Store

Page = Callable[[HttpRequest, Store, str], HttpResponse]


def _in_store_language(request: HttpRequest, slug: str, page: Page) -> HttpResponse:
    store = get_object_or_404(Store, slug=slug)
    language = page_language(request, store)
    with translation.override(language), timezone.override(store_zone(store)):
        response = page(request, store, language)
    response.headers["Content-Language"] = language
    # The order token can ride in the address: it must not leave the desk with a click
    # (same-origin, not no-referrer: that makes the browser post "Origin: null", which
    # the CSRF check rightly refuses).
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex"
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _context(
    store: Store, language: str, *, keep: dict[str, str] | None = None, **extra: Any
) -> dict[str, Any]:
    """What every portal page shows; ``keep`` rides along when the language changes."""
    color = store.brand_color if len(store.brand_color) == 7 else "#1f6feb"
    return {
        "store": store,
        "language": language,
        "languages": [
            (
                code,
                translation.get_language_info(code)["name_local"],
                _lang_query(code, **(keep or {})),
            )
            for code in store.served_languages()
        ],
        "brand": color,
        "brand_ink": ink(color),
        **extra,
    }


def _lang_query(language: str, **more: str) -> str:
    return "?" + urlencode({**more, "lang": language})


# --- step 1: find the order ------------------------------------------------------------


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def find_order_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _in_store_language(request, slug, _find_order)


def _find_order(request: HttpRequest, store: Store, language: str) -> HttpResponse:
    # The order status page links here with the number the customer just typed.
    number = request.GET.get("number", "")[:MAX_NUMBER]
    form = LookupForm(
        request.POST if request.method == "POST" else None, initial={"number": number}
    )
    status, problem = 200, ""
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        lookup = lookup_order(
            store,
            form.cleaned_data["number"],
            form.cleaned_data["email"],
            client=client_address(request),
        )
        if lookup.found is Found.ORDER and lookup.order is not None:
            target = reverse("returns-portal-items", args=[store.slug])
            query = _lang_query(language, t=order_token(lookup.order))
            return HttpResponseRedirect(target + query, status=303)
        if lookup.found is Found.LIMITED:
            status, problem = 429, _("Too many attempts. Wait 15 minutes and try again.")
        else:
            status, problem = (
                404,
                _(
                    "We could not find an order with that number and email address. "
                    "Check both and try again."
                ),
            )
    signed_in = request.GET.get("c", "")
    context = _context(
        store,
        language,
        form=form,
        problem=problem,
        has_errors=bool(problem or form.errors),
        own_orders=_own_orders(store, signed_in, language),
        signed_in=signed_in,
        keep={"c": signed_in} if signed_in else None,
    )
    response = render(request, "returns/portal/find.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(LOOKUP_WINDOW)
    return response


# How many of a signed-in customer's newest orders the first step lists.
OWN_ORDERS = 10


def _own_orders(store: Store, token: str, language: str) -> list[dict[str, Any]] | None:
    """A signed-in customer's newest orders, each with the links that go on with it;
    None when the token names nobody (no token, forged, expired, another store's)."""
    customer_id = customer_from_token(store, token)
    if customer_id is None:
        return None
    zone = store_zone(store)
    listed = []
    for order in customer_orders(store, customer_id, limit=OWN_ORDERS):
        query = _lang_query(language, t=order_token(order))
        listed.append(
            {
                "order": for_customer(order, zone),
                "cancelled": order.cancelled_at is not None,
                "url": reverse("returns-portal-items", args=[store.slug]) + query,
            }
        )
    return listed


# --- step 2: choose the items ----------------------------------------------------------


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def choose_items_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _in_store_language(request, slug, _choose_items)


def _choose_items(request: HttpRequest, store: Store, language: str) -> HttpResponse:
    token = (request.POST if request.method == "POST" else request.GET).get("t", "")
    order = order_from_token(store, token)
    if order is None:
        # Forged, for another store, or too old: back to the start, saying why.
        return _find_order_again(request, store, language)
    offer = offer_for(order)
    form = ReturnForm(
        offer,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    status = 200
    submission = _submission(request)
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                case = _request_once(order, form, language, submission)
            except ActionError as refused:
                form.place_error(refused.field, refused.message)
            else:
                target = reverse(
                    "returns-portal-done", args=[store.slug, case.number, return_signature(case)]
                )
                return HttpResponseRedirect(target + _lang_query(language), status=303)
    context = _context(
        store,
        language,
        order=order,
        token=token,
        submission=submission,
        form=form,
        offer=offer,
        rows=[
            {
                "option": option,
                "fields": {
                    name: form[f"{name}-{option.key}"]
                    for name in ("quantity", "reason", "exchange", "sealed", "note")
                    if f"{name}-{option.key}" in form.fields
                }
                if option.returnable
                else None,
            }
            for option in offer.lines
        ],
        can_return=bool(form.options),
        has_errors=bool(form.errors),
        # Files cannot be put back into a file input: ask for them again.
        photos_lost=bool(form.is_bound and form.errors and request.FILES.getlist("photos")),
        max_photos=MAX_PHOTOS,
        max_photo_mb=MAX_PHOTO_BYTES // (1024 * 1024),
        keep={"t": token},
    )
    return render(request, "returns/portal/items.html", context, status=status)


def _find_order_again(request: HttpRequest, store: Store, language: str) -> HttpResponse:
    form = LookupForm()
    context = _context(
        store,
        language,
        form=form,
        problem=_("That page has expired. Find your order again to go on."),
        has_errors=True,
    )
    return render(request, "returns/portal/find.html", context, status=403)


SUBMISSION = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _submission(request: HttpRequest) -> str:
    """The form's one-time key: a double tap on a phone sends it twice, and the second
    must find the first's return instead of making another of what is left."""
    sent = request.POST.get("submission", "") if request.method == "POST" else ""
    return sent if SUBMISSION.fullmatch(sent) else secrets.token_urlsafe(16)


def _request_once(order: Order, form: ReturnForm, language: str, submission: str) -> Return:
    return once(
        Return,
        order,
        submission,
        lambda: request_return(
            order,
            items=form.items(),
            actor=_customer(order),
            resolution=form.cleaned_data["resolution"],
            comment=form.cleaned_data["comment"],
            language=language,
            photos=form.cleaned_data["photos"],
        ),
    )


def _customer(order: Order) -> Actor:
    if order.contact is not None:
        return Actor.for_contact(order.contact)
    return Actor.system("return portal")


# --- step 3: the confirmation and the label ---------------------------------------------


def _signed_return(store: Store, number: int, signature: str) -> Return:
    case = return_from_signature(store, number, signature)
    if case is None:
        raise Http404("No such return.")
    return case


@never_cache
@require_GET
def confirmation_page(request: HttpRequest, slug: str, number: int, signature: str) -> HttpResponse:
    def page(request: HttpRequest, store: Store, language: str) -> HttpResponse:
        case = _signed_return(store, number, signature)
        lines = list(
            case.lines.select_related("order_line", "exchange_variant").order_by(
                "order_line__position", "order_line_id"
            )
        )
        labels = reason_labels(store)
        context = _context(
            store,
            language,
            case=case,
            order=case.order,
            lines=[(line, reason_label(store, line.reason, labels)) for line in lines],
            label_url=reverse("returns-portal-label", args=[store.slug, case.number, signature]),
            start_url=reverse("returns-portal", args=[store.slug]) + _lang_query(language),
        )
        return render(request, "returns/portal/done.html", context)

    return _in_store_language(request, slug, page)


@never_cache
@require_GET
def label_download(request: HttpRequest, slug: str, number: int, signature: str) -> HttpResponse:
    store = get_object_or_404(Store, slug=slug)
    case = _signed_return(store, number, signature)
    response = HttpResponse(label_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="return-{case.reference}.pdf"'
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def label_path(case: Return) -> str:
    """The label's address on this desk (a path; the caller adds the host)."""
    return reverse(
        "returns-portal-label", args=[case.store.slug, case.number, return_signature(case)]
    )
