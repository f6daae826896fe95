"""Every write to returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tiski.conversations.actions import send_automatic_reply
from tiski.conversations.attachments import IncomingFile
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.returns.cases import customer_language, next_number, open_conversation
from tiski.returns.deadlines import refund_due
from tiski.returns.events import ReturnRequested
from tiski.returns.models import (
    Resolution,
    Return,
    ReturnLine,
    ReturnSettings,
)
from tiski.returns.portal_access import return_signature
from tiski.returns.queries import ReturnOptions, return_options
from tiski.returns.reasons import reason_label, reason_labels, store_reasons
from tiski.shop.models import Order, OrderLine, ProductVariant

MAX_COMMENT = 2000
MAX_NOTE = 500


@dataclass(frozen=True)
class ReturnItem:
    """One line the customer sends back: how many, why, and what instead (exchange)."""

    line_id: int
    quantity: int
    reason: str
    exchange_variant_id: int | None = None
    note: str = ""
    # For sealed goods (hygiene, media): whether the customer broke the seal.
    unsealed: bool | None = None


def _check_items(
    order: Order, items: Sequence[ReturnItem], resolution: str, options: ReturnOptions
) -> list[tuple[OrderLine, ReturnItem, ProductVariant | None]]:
    if not items:
        raise ActionError(_("Choose at least one item to return."), field="items")
    if resolution not in Resolution.values:
        raise ActionError(_("Choose how you want to be refunded."), field="resolution")
    lines = {option.line.pk: option.line for option in options.lines}
    seen: set[int] = set()
    checked = []
    # The store's own list; a code it dropped cannot be chosen for a new return.
    offered = {reason.code for reason in store_reasons(order.store)}
    for item in items:
        line = lines.get(item.line_id)
        if line is None:
            # A line id from another order, or made up: say nothing about it.
            raise ActionError(_("That item is not in this order."), field="items")
        if item.line_id in seen:
            raise ActionError(_("Each item may be listed once."), field="items")
        seen.add(item.line_id)
        if item.reason not in offered:
            raise ActionError(_("Choose a reason for each item."), field="reason")
        if len(item.note) > MAX_NOTE:
            raise ActionError(
                _("A note is at most %(n)d characters.") % {"n": MAX_NOTE}, field="note"
            )
        option = options.for_line(line.pk)
        assert option is not None  # the lines came from the options
        left = option.eligibility.returnable_quantity
        if item.quantity < 1 or item.quantity > left:
            if left <= 0:
                # Why not, in the rules' words: the period ended, already returned, ...
                why = " ".join(reason.message for reason in option.eligibility.reasons)
                message = (
                    f"{line.title}: {why}"
                    if why
                    else _("%(item)s cannot be returned.") % {"item": line.title}
                )
            else:
                message = _("You can return at most %(n)d of %(item)s.") % {
                    "n": left,
                    "item": line.title,
                }
            raise ActionError(message, field="quantity")
        variant = None
        if resolution == Resolution.EXCHANGE:
            variant = (
                ProductVariant.objects.filter(
                    pk=item.exchange_variant_id or 0,
                    store=order.store,
                    product_id=line.product_id,
                ).first()
                if line.product_id is not None
                else None
            )
            if variant is None:
                raise ActionError(
                    _("Choose the size or colour you want instead of %(item)s.")
                    % {"item": line.title},
                    field="exchange_variant",
                )
        elif item.exchange_variant_id is not None:
            raise ActionError(_("Only an exchange takes another variant."), field="resolution")
        checked.append((line, item, variant))
    return checked


def _terms(
    settings: ReturnSettings | None, options: ReturnOptions, now: datetime
) -> dict[str, Decimal]:
    """The shop's terms the return is made under, kept on it: a restocking fee only
    after the law's 14 days (a statutory withdrawal cannot be charged one), and the
    bonus store credit would carry."""
    if settings is None:
        return {}
    late = options.eligibility.beyond_statutory(now)
    return {
        "restocking_fee_percent": settings.restocking_fee_percent if late else Decimal(0),
        "credit_bonus_percent": settings.store_credit_bonus_percent
        if settings.offers_store_credit
        else Decimal(0),
    }


def label_url(case: Return) -> str:
    """The return label's address, for the customer's email (``TISKI_BASE_URL``)."""
    path = reverse(
        "returns-portal-label", args=[case.store.slug, case.number, return_signature(case)]
    )
    return f"{settings.BASE_URL}{path}"


@transaction.atomic
def request_return(
    order: Order,
    *,
    items: Sequence[ReturnItem],
    actor: Actor,
    resolution: str = Resolution.REFUND,
    comment: str = "",
    language: str = "",
    photos: Sequence[IncomingFile] = (),
) -> Return:
    """A customer's return request for ``order`` (whose ownership the caller checked:
    number and email, or a signed-in customer). All or nothing: one refused item
    refuses the request, and nothing is stored.

    The request opens a conversation in the inbox, by email to the order's address, and
    confirms the request to the customer there in their language. ``photos`` (checked
    by the caller for what it accepts) are attached to the request's message there.
    """
    order = Order.objects.select_for_update().select_related("store").get(pk=order.pk)
    store = order.store
    if order.cancelled_at is not None:
        raise ActionError(_("This order was cancelled; there is nothing to return."))
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ActionError(
            _("A comment is at most %(n)d characters.") % {"n": MAX_COMMENT}, field="comment"
        )
    language = customer_language(order, language)
    now = clock.now()
    terms = ReturnSettings.objects.filter(store=store).first()
    if resolution == Resolution.STORE_CREDIT and not (terms and terms.offers_store_credit):
        raise ActionError(_("This shop does not offer store credit."), field="resolution")
    with translation.override(language):
        options = return_options(order, now, {item.line_id: item.unsealed for item in items})
        checked = _check_items(order, items, resolution, options)
    deadline = options.eligibility.deadline
    case = Return.objects.create(
        store=store,
        order=order,
        contact=order.contact,
        number=next_number(Return, store),
        resolution=resolution,
        comment=comment,
        language=language,
        requested_at=now,
        withdrawal_deadline=deadline.last_day if deadline else None,
        refund_due=refund_due(now, store.timezone, store.country or "FI").last_day,
        **_terms(terms, options, now),
    )
    ReturnLine.objects.bulk_create(
        [
            ReturnLine(
                return_case=case,
                order_line=line,
                quantity=item.quantity,
                reason=item.reason,
                exchange_variant=variant,
                note=item.note.strip(),
            )
            for line, item, variant in checked
        ]
    )
    if order.email:
        _open_conversation(case, order, checked, actor, photos)
    publish(
        ReturnRequested(
            store_id=store.pk,
            actor=actor,
            return_id=case.pk,
            number=case.number,
            order_id=order.pk,
            conversation_id=case.conversation_id,
        )
    )
    return case


def _open_conversation(
    case: Return,
    order: Order,
    checked: Sequence[tuple[OrderLine, ReturnItem, ProductVariant | None]],
    actor: Actor,
    photos: Sequence[IncomingFile] = (),
) -> None:
    with translation.override(case.language):
        labels = reason_labels(order.store)
        subject = _("Return %(reference)s, order %(number)s") % {
            "reference": case.reference,
            "number": order.display_number,
        }
        lines = [
            f"{item.quantity} × {line.title}"
            + (f" ({line.variant_title})" if line.variant_title else "")
            + f": {reason_label(order.store, item.reason, labels)}"
            + (f" → {variant.title}" if variant else "")
            for line, item, variant in checked
        ]
        request = "\n".join(
            [
                _("Return request %(reference)s for order %(number)s")
                % {"reference": case.reference, "number": order.display_number},
                "",
                *lines,
                "",
                _("Resolution: %(resolution)s") % {"resolution": Resolution(case.resolution).label},
                *([_("Comment: %(comment)s") % {"comment": case.comment}] if case.comment else []),
            ]
        )
        confirmation = _(
            "Thank you, we have received your return request %(reference)s for order "
            "%(number)s. Print the return label, attach it to the parcel and take it to a "
            "parcel point: %(label)s We will let you know when the parcel has arrived."
        ) % {
            "reference": case.reference,
            "number": order.display_number,
            "label": label_url(case),
        }
    conversation = open_conversation(case, order, subject=subject, text=request, photos=photos)
    send_automatic_reply(conversation, actor=actor, text=confirmation)
