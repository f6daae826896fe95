"""What the return portal offers for an order, and the form the customer fills in.

``offer_for`` is the one place that decides, per order line, how many items may be
sent back and why not (the eligibility rules through ``queries.return_options``), and
what the store offers besides (store credit, who pays the shipping). The form checks
what came back against that offer; ``request_return`` checks it all again. And
``check_photos`` looks at the bytes of every photo, never at its name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tiski.conversations.attachments import IncomingFile, sniff_type
from tiski.core import clock
from tiski.returns.actions import ReturnItem
from tiski.returns.actions.requests import MAX_COMMENT, MAX_NOTE
from tiski.returns.models import Resolution, ReturnSettings
from tiski.returns.queries import return_options
from tiski.returns.reasons import ReasonChoice, store_reasons
from tiski.shop.models import Order, OrderLine, ProductVariant

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"


@dataclass(frozen=True)
class LineOption:
    """One order line as the portal offers it."""

    line: OrderLine
    bought: int
    returnable: int
    # Why nothing (or not all) of the line can be returned, in the active language.
    why_not: str = ""
    # Other variants of the same product the customer may exchange it for.
    variants: Sequence[ProductVariant] = field(default_factory=tuple)
    # Sealed goods (hygiene, media): returnable only if the seal is unbroken, so ask.
    requires_seal: bool = False

    @property
    def key(self) -> str:
        return str(self.line.pk)


@dataclass(frozen=True)
class PortalOffer:
    """What the portal offers for one order, now."""

    lines: list[LineOption]
    # The last day to send the withdrawal notice, once everything has arrived.
    last_day: date | None
    customer_pays_shipping: bool
    offers_store_credit: bool
    store_credit_bonus: Decimal
    # The shop's restocking fee (%), taken off a refund when the law's 14 days are over
    # and the shop's longer window carries the return; else 0.
    restocking_fee: Decimal
    # The store's reasons, labelled in the active language.
    reasons: list[ReasonChoice]


def offer_for(order: Order, now: datetime | None = None) -> PortalOffer:
    """Per line of ``order``: how many may be returned now and, if not all, why (the
    eligibility rules, ``queries.return_options``, in the active language)."""
    now = now or clock.now()
    options = return_options(order, now)
    lines = [option.line for option in options.lines]
    variants = _exchange_variants(order, lines)
    offered = []
    for option in options.lines:
        eligibility, line = option.eligibility, option.line
        why_not = " ".join(reason.message for reason in eligibility.reasons)
        if order.cancelled_at is not None:
            why_not = _("The order was cancelled.")
        offered.append(
            LineOption(
                line=line,
                bought=line.quantity,
                returnable=0 if order.cancelled_at else eligibility.returnable_quantity,
                why_not=why_not,
                variants=tuple(variants.get(line.pk, ())),
                requires_seal=eligibility.requires_seal,
            )
        )
    deadline = options.eligibility.deadline
    settings = ReturnSettings.objects.filter(store=order.store_id).first()
    return PortalOffer(
        lines=offered,
        last_day=deadline.last_day if deadline else None,
        customer_pays_shipping=options.eligibility.customer_pays_return_shipping,
        offers_store_credit=bool(settings and settings.offers_store_credit),
        store_credit_bonus=settings.store_credit_bonus_percent if settings else Decimal(0),
        restocking_fee=settings.restocking_fee_percent
        if settings and options.eligibility.beyond_statutory(now)
        else Decimal(0),
        reasons=store_reasons(order.store),
    )


def _exchange_variants(order: Order, lines: Sequence[OrderLine]) -> dict[int, list[ProductVariant]]:
    """Per line, the other variants of its product the shop has (or does not count)."""
    products = {line.product_id for line in lines if line.product_id is not None}
    if not products:
        return {}
    in_catalogue = (
        ProductVariant.objects.filter(
            store=order.store_id, product_id__in=products, product__active=True
        )
        .filter(Q(stock__isnull=True) | Q(stock__gt=0))
        .order_by("pk")
    )
    by_product: dict[int, list[ProductVariant]] = {}
    for variant in in_catalogue:
        by_product.setdefault(variant.product_id, []).append(variant)
    return {
        line.pk: [v for v in by_product.get(line.product_id, []) if v.pk != line.variant_id]
        for line in lines
        if line.product_id is not None
    }


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input, each checked by its bytes (``check_photos``)."""

    def clean(self, data: object, initial: object = None) -> list[IncomingFile]:
        uploads = data if isinstance(data, list) else [data] if data else []
        return check_photos([u for u in uploads if isinstance(u, UploadedFile)])


class ReturnForm(forms.Form):
    """The items, reasons, resolution and comment of one return request."""

    resolution = forms.ChoiceField(
        label=gettext_lazy("How would you like it resolved?"),
        choices=Resolution.choices,
        initial=Resolution.REFUND,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how you want it resolved.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": gettext_lazy("A comment is at most %(limit_value)d characters.")
        },
    )

    photos = PhotosField(
        label=gettext_lazy("Photos (optional)"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def __init__(self, offer: PortalOffer, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.offer = offer
        if not offer.offers_store_credit:
            # The law's default (a refund) and an exchange are always there; credit only
            # where the shop offers it.
            resolution = self.fields["resolution"]
            assert isinstance(resolution, forms.ChoiceField)
            resolution.choices = [
                (value, label)
                for value, label in Resolution.choices
                if value != Resolution.STORE_CREDIT
            ]
        self.options = [option for option in offer.lines if option.returnable > 0]
        for option in self.options:
            key = option.key
            self.fields[f"quantity-{key}"] = forms.TypedChoiceField(
                label=_("How many to return"),
                choices=[(n, str(n)) for n in range(option.returnable + 1)],
                coerce=int,
                initial=0,
                error_messages={
                    "invalid_choice": _("You can return at most %(n)d of %(item)s.")
                    % {"n": option.returnable, "item": option.line.title},
                    "required": _("Choose how many to return."),
                },
            )
            self.fields[f"reason-{key}"] = forms.ChoiceField(
                label=_("Reason"),
                choices=[("", _("Choose a reason")), *((r.code, r.label) for r in offer.reasons)],
                required=False,
                error_messages={"invalid_choice": _("Choose a reason from the list.")},
            )
            self.fields[f"exchange-{key}"] = forms.TypedChoiceField(
                label=_("Exchange for"),
                choices=[
                    ("", _("Choose the size or colour")),
                    *[(v.pk, v.title or str(v)) for v in option.variants],
                ],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": _("Choose a size or colour from the list.")},
            )
            if option.requires_seal:
                self.fields[f"sealed-{key}"] = forms.TypedChoiceField(
                    label=_("Is the seal unbroken?"),
                    choices=[
                        ("", _("Choose")),
                        ("yes", _("Yes, still sealed")),
                        ("no", _("No, opened")),
                    ],
                    coerce=lambda answer: answer == "no",  # the action asks "unsealed?"
                    empty_value=None,
                    required=False,
                )
            self.fields[f"note-{key}"] = forms.CharField(
                label=_("Note (optional)"),
                required=False,
                max_length=MAX_NOTE,
                error_messages={
                    "max_length": _("A note is at most %(n)d characters.") % {"n": MAX_NOTE}
                },
            )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        chosen = [o for o in self.options if data.get(f"quantity-{o.key}")]
        if not self.errors and not chosen:
            self.add_error(None, _("Choose at least one item to return."))
        for option in chosen:
            key = option.key
            if not data.get(f"reason-{key}"):
                self.add_error(
                    f"reason-{key}",
                    _("Choose a reason for %(item)s.") % {"item": option.line.title},
                )
            if option.requires_seal and data.get(f"sealed-{key}") is None:
                self.add_error(
                    f"sealed-{key}",
                    _("Tell us whether the seal of %(item)s is unbroken.")
                    % {"item": option.line.title},
                )
            if data.get("resolution") == Resolution.EXCHANGE and not data.get(f"exchange-{key}"):
                self.add_error(
                    f"exchange-{key}",
                    _("Choose the size or colour you want instead of %(item)s.")
                    % {"item": option.line.title}
                    if option.variants
                    else _("%(item)s has no other size or colour to exchange for.")
                    % {"item": option.line.title},
                )
        return data

    def items(self) -> list[ReturnItem]:
        """The lines chosen, for ``request_return`` (after ``is_valid``)."""
        data = self.cleaned_data
        exchange = data.get("resolution") == Resolution.EXCHANGE
        return [
            ReturnItem(
                line_id=option.line.pk,
                quantity=data[f"quantity-{option.key}"],
                reason=data[f"reason-{option.key}"],
                exchange_variant_id=data.get(f"exchange-{option.key}") if exchange else None,
                note=data.get(f"note-{option.key}", ""),
                unsealed=data.get(f"sealed-{option.key}"),
            )
            for option in self.options
            if data.get(f"quantity-{option.key}")
        ]

    def place_error(self, action_field: str | None, message: str) -> None:
        """Show an ActionError of ``request_return`` where it belongs: at the field of
        that name, else at the items (their messages name the item)."""
        self.add_error(action_field if action_field in self.fields else None, message)


def photo_type(content: bytes) -> str | None:
    """The image type the bytes are, of those the portal takes; None for anything else."""
    sniffed = sniff_type(content)
    return sniffed if sniffed in PHOTO_TYPES else None


def check_photos(uploads: Sequence[UploadedFile]) -> list[IncomingFile]:
    """The uploaded photos as files to attach; ValidationError names the first bad one."""
    uploads = [u for u in uploads if u.name or u.size]
    if len(uploads) > MAX_PHOTOS:
        raise forms.ValidationError(
            ngettext("Attach at most %(n)d photo.", "Attach at most %(n)d photos.", MAX_PHOTOS)
            % {"n": MAX_PHOTOS}
        )
    files = []
    for upload in uploads:
        name = upload.name or "photo"
        # The size first: a huge file is refused before it is read into memory.
        if upload.size is None or upload.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(
                _("%(name)s is larger than %(mb)d MB.")
                % {"name": name, "mb": MAX_PHOTO_BYTES // (1024 * 1024)}
            )
        content = upload.read()
        if not content:
            raise forms.ValidationError(_("%(name)s is empty.") % {"name": name})
        kind = photo_type(content)
        if kind is None:
            raise forms.ValidationError(
                _("%(name)s is not a photo. Attach JPEG, PNG, WebP or HEIC images.")
                % {"name": name}
            )
        files.append(IncomingFile(filename=name, content=content, declared_type=kind))
    return files
