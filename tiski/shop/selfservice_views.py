"""The public order status page, /orders/<store slug>/status/: a customer types the order
number and email and reads where the order is, in their language, with no agent.

Answers: 200 with the order; 400 and the form's errors for what cannot be an order
number or an address; 404 for no such order, the same page whether the number or the
email was wrong; 429 when failed lookups (``selfservice.lookup_order``) are over a limit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from tiski.agents.views import client_address
from tiski.shop.queries import normalize_number
from tiski.shop.selfservice import (
    LOOKUP_WINDOW,
    MAX_EMAIL,
    MAX_NUMBER,
    Found,
    for_customer,
    lookup_order,
    store_zone,
)
from tiski.stores.models import Store


class LookupForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Order number"),
        max_length=MAX_NUMBER,
        error_messages={
            "required": gettext_lazy("Enter the order number."),
            "max_length": gettext_lazy("An order number is at most 50 characters."),
        },
    )
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=MAX_EMAIL,
        error_messages={
            "required": gettext_lazy("Enter the email address you ordered with."),
            "invalid": gettext_lazy("Enter an email address like name@example.com."),
            "max_length": gettext_lazy("Enter an email address like name@example.com."),
        },
    )

    def clean_number(self) -> str:
        number = str(self.cleaned_data["number"])
        if not normalize_number(number):
            raise forms.ValidationError(_("Enter the order number."), code="required")
        return number


def page_language(request: HttpRequest, store: Store) -> str:
    """``lang`` from the form or the address, else the browser's first language the
    store serves, else the store's own."""
    served = store.served_languages()
    for asked in (request.POST.get("lang", ""), request.GET.get("lang", "")):
        if asked in served:
            return asked
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header):
        short = code.split("-")[0].lower()
        if short in served:
            return short
    return store.default_language


def ink(color: str) -> str:
    """Black or white text, whichever reads better on ``color`` (WCAG luminance)."""
    try:
        value = int(color.removeprefix("#"), 16)
    except ValueError:
        return "#fff"
    channels = []
    for shift in (16, 8, 0):
        c = ((value >> shift) & 255) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return "#111" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#fff"


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def order_status_page(request: HttpRequest, slug: str) -> HttpResponse:
    store = get_object_or_404(Store, slug=slug)
    language = page_language(request, store)
    zone = store_zone(store)
    with translation.override(language), timezone.override(zone):
        response = _page(request, store, language)
    response.headers["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _page(request: HttpRequest, store: Store, language: str) -> HttpResponse:
    form = LookupForm(request.POST if request.method == "POST" else None)
    status, problem, order = 200, "", None
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        lookup = lookup_order(
            store,
            form.cleaned_data["number"],
            form.cleaned_data["email"],
            client=client_address(request),
        )
        if lookup.found is Found.LIMITED:
            status = 429
            problem = _("Too many attempts. Wait 15 minutes and try again.")
        elif lookup.found is Found.NOTHING or lookup.order is None:
            status = 404
            problem = _(
                "We could not find an order with that number and email address. "
                "Check both and try again."
            )
        else:
            order = for_customer(lookup.order, store_zone(store))
    color = store.brand_color if len(store.brand_color) == 7 else "#1f6feb"
    context: dict[str, Any] = {
        "store": store,
        "form": form,
        "order": order,
        "problem": problem,
        "has_errors": bool(problem or form.errors),
        "language": language,
        "languages": [
            (code, translation.get_language_info(code)["name_local"])
            for code in store.served_languages()
        ],
        "brand": color,
        "brand_ink": ink(color),
    }
    response = render(request, "shop/status.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(LOOKUP_WINDOW)
    return response
