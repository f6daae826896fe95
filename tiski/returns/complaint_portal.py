"""Report a faulty item, in the return portal: /returns/<store slug>/complaint/.

The order is found by the portal's own first step (``portal.find_order_page``) and
carried in its signed order token; the items page offers the choice between returning
items and reporting a fault. A complaint is not a withdrawal: no 14 days, only
delivered items, a description and photos required, and a remedy asked for
(``actions.complaints.file_complaint`` checks it all again and stores all or nothing).
The confirmation, reached by a signature as a return's is, gives the complaint's
number and, in Poland, the day by which the shop must answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.core import signing
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from tiski.core import clock
from tiski.core.errors import ActionError
from tiski.returns.actions.complaints import (
    MAX_DESCRIPTION,
    MIN_DESCRIPTION,
    ComplaintItem,
    file_complaint,
)
from tiski.returns.cases import once
from tiski.returns.models import Complaint, Remedy
from tiski.returns.portal import (
    _context,
    _customer,
    _find_order_again,
    _in_store_language,
    _lang_query,
    _submission,
)
from tiski.returns.portal_access import order_from_token
from tiski.returns.portal_forms import (
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    PHOTO_ACCEPT,
    MultiplePhotoInput,
    PhotosField,
)
from tiski.shop.models import FulfillmentLine, Order, OrderLine
from tiski.stores.models import Store

COMPLAINT_SALT = "tiski.returns.portal.complaint"


@dataclass(frozen=True)
class FaultyLine:
    """An order line a complaint may name: delivered, up to the quantity delivered."""

    line: OrderLine
    delivered: int

    @property
    def key(self) -> str:
        return str(self.line.pk)


def complaint_lines(order: Order) -> list[FaultyLine]:
    """The lines of ``order`` that have arrived, with how many of each: a fault can only
    be found in goods the customer has."""
    arrived = dict(
        FulfillmentLine.objects.filter(line__order=order, fulfillment__delivered_at__isnull=False)
        .values("line_id")
        .annotate(n=Sum("quantity"))
        .values_list("line_id", "n")
    )
    return [
        FaultyLine(line, min(line.quantity, arrived[line.pk]))
        for line in order.lines.order_by("position", "pk")
        if arrived.get(line.pk)
    ]


class ComplaintForm(forms.Form):
    """The faulty items, what is wrong, since when, photos, and the remedy asked for."""

    description = forms.CharField(
        label=gettext_lazy("What is wrong?"),
        min_length=MIN_DESCRIPTION,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": gettext_lazy("Tell us what is wrong, in a sentence or two."),
            "min_length": gettext_lazy("Tell us what is wrong, in a sentence or two."),
            "max_length": gettext_lazy("A description is at most %(limit_value)d characters."),
        },
    )
    noticed = forms.DateField(
        label=gettext_lazy("When did you notice it? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Enter the date like 2025-03-31.")},
    )
    photos = PhotosField(
        label=gettext_lazy("Photos of the fault"),
        required=False,  # PhotosField checks each file; clean_photos asks for one at least
        widget=MultiplePhotoInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    remedy = forms.ChoiceField(
        label=gettext_lazy("What would you like us to do?"),
        choices=Remedy.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what you would like us to do."),
            "invalid_choice": gettext_lazy("Choose what you would like us to do."),
        },
    )

    def __init__(self, lines: list[FaultyLine], today: date, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lines = lines
        self.today = today
        for option in lines:
            self.fields[f"quantity-{option.key}"] = forms.TypedChoiceField(
                label=_("How many are faulty"),
                choices=[(n, str(n)) for n in range(option.delivered + 1)],
                coerce=int,
                initial=0,
                error_messages={
                    "invalid_choice": _("You can report at most %(n)d of %(item)s.")
                    % {"n": option.delivered, "item": option.line.title},
                    "required": _("Choose how many are faulty."),
                },
            )

    def clean_noticed(self) -> date | None:
        noticed: date | None = self.cleaned_data.get("noticed")
        if noticed is not None and noticed > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        return noticed

    def clean_photos(self) -> object:
        photos = self.cleaned_data.get("photos")
        if not photos:
            raise forms.ValidationError(_("Add at least one photo of the fault."))
        return photos

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        keys = [f"quantity-{option.key}" for option in self.lines]
        if not any(data.get(key) for key in keys) and not any(k in self.errors for k in keys):
            self.add_error(None, _("Choose the faulty item."))
        return data

    def items(self) -> list[ComplaintItem]:
        """The chosen lines, for ``file_complaint`` (after ``is_valid``)."""
        return [
            ComplaintItem(option.line.pk, self.cleaned_data[f"quantity-{option.key}"])
            for option in self.lines
            if self.cleaned_data.get(f"quantity-{option.key}")
        ]

    def place_error(self, action_field: str | None, message: str) -> None:
        """An ActionError of ``file_complaint`` at its field, else at the items."""
        self.add_error(action_field if action_field in self.fields else None, message)


def complaint_signature(complaint: Complaint) -> str:
    return signing.Signer(salt=COMPLAINT_SALT).signature(f"{complaint.store_id}.{complaint.number}")


def complaint_from_signature(store: Store, number: int, signature: str) -> Complaint | None:
    expected = signing.Signer(salt=COMPLAINT_SALT).signature(f"{store.pk}.{number}")
    if not constant_time_compare(expected, signature):
        return None
    return Complaint.objects.filter(store=store, number=number).select_related("order").first()


# --- the form -----------------------------------------------------------------------------


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def complaint_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _in_store_language(request, slug, _complaint)


def _complaint(request: HttpRequest, store: Store, language: str) -> HttpResponse:
    posted = request.method == "POST"
    token = (request.POST if posted else request.GET).get("t", "")
    order = order_from_token(store, token)
    if order is None:
        return _find_order_again(request, store, language)
    zone = ZoneInfo(store.timezone)
    today = clock.now().astimezone(zone).date()
    lines = complaint_lines(order)
    form = ComplaintForm(
        lines, today, request.POST if posted else None, request.FILES if posted else None
    )
    submission = _submission(request)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                complaint = _file_once(order, form, language, submission, zone)
            except ActionError as refused:
                form.place_error(refused.field, refused.message)
            else:
                target = reverse(
                    "returns-portal-complaint-done",
                    args=[store.slug, complaint.number, complaint_signature(complaint)],
                )
                return HttpResponseRedirect(target + _lang_query(language), status=303)
    context = _context(
        store,
        language,
        order=order,
        token=token,
        submission=submission,
        form=form,
        rows=[{"option": o, "quantity": form[f"quantity-{o.key}"]} for o in lines],
        today=today,
        has_errors=bool(form.errors),
        photos_lost=bool(form.is_bound and form.errors and request.FILES.getlist("photos")),
        max_photos=MAX_PHOTOS,
        max_photo_mb=MAX_PHOTO_BYTES // (1024 * 1024),
        keep={"t": token},
    )
    return render(request, "returns/portal/complaint.html", context, status=status)


def _file_once(
    order: Order, form: ComplaintForm, language: str, submission: str, zone: ZoneInfo
) -> Complaint:
    """As the return form does: a form sent twice finds the first complaint."""
    noticed = form.cleaned_data.get("noticed")
    return once(
        Complaint,
        order,
        submission,
        lambda: file_complaint(
            order,
            items=form.items(),
            description=form.cleaned_data["description"],
            requested_remedy=form.cleaned_data["remedy"],
            photos=form.cleaned_data["photos"],
            actor=_customer(order),
            language=language,
            # A day, not an instant: noon keeps it that day in the store's time zone.
            noticed_at=datetime.combine(noticed, time(12), zone) if noticed else None,
        ),
    )


# --- the confirmation ---------------------------------------------------------------------


@never_cache
@require_GET
def complaint_done_page(
    request: HttpRequest, slug: str, number: int, signature: str
) -> HttpResponse:
    def page(request: HttpRequest, store: Store, language: str) -> HttpResponse:
        complaint = complaint_from_signature(store, number, signature)
        if complaint is None:
            raise Http404("No such complaint.")
        lines = list(
            complaint.lines.select_related("order_line").order_by(
                "order_line__position", "order_line_id"
            )
        )
        context = _context(
            store,
            language,
            complaint=complaint,
            order=complaint.order,
            lines=lines,
            start_url=reverse("returns-portal", args=[store.slug]) + _lang_query(language),
        )
        return render(request, "returns/portal/complaint_done.html", context)

    return _in_store_language(request, slug, page)
