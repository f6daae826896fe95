"""What the customer reads at each step of their return, in the return's language.

Each text is built under ``translation.override(case.language)``: the agent's own
language never leaks into the customer's email.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _

from tiski.returns.models import Return, ReturnLine
from tiski.shop.display import money


def _names(case: Return) -> dict[str, str]:
    return {"reference": case.reference, "number": case.order.display_number}


def approved_text(case: Return) -> str:
    with translation.override(case.language):
        return _(
            "Your return %(reference)s for order %(number)s is approved.\n\n"
            "Please pack the items securely, write %(reference)s on the parcel and send "
            "it back to us within 14 days. We will email you when it arrives."
        ) % _names(case)


def rejected_text(case: Return) -> str:
    with translation.override(case.language):
        return _(
            "We are sorry, but we cannot accept your return %(reference)s for order "
            "%(number)s.\n\nReason: %(reason)s"
        ) % {**_names(case), "reason": case.rejection_reason}


def label_sent_text(case: Return) -> str:
    with translation.override(case.language):
        return _(
            "The return label for %(reference)s is on its way to you. Attach it to the "
            "parcel and hand the parcel to the carrier."
        ) % _names(case)


def received_text(case: Return) -> str:
    with translation.override(case.language):
        return _(
            "We have received the items of your return %(reference)s. We will let you "
            "know as soon as the return is settled."
        ) % _names(case)


def refunded_text(case: Return, amount: Decimal | None, *, by_hand: bool) -> str:
    with translation.override(case.language):
        values = {**_names(case)}
        if amount is not None:
            values["amount"] = money(amount, case.order.currency)
        if by_hand:
            if amount is None:
                text = _(
                    "Your refund for return %(reference)s is approved and will be paid to "
                    "your original payment method."
                )
            else:
                text = _(
                    "Your refund of %(amount)s for return %(reference)s is approved and will "
                    "be paid to your original payment method."
                )
        elif amount is None:
            text = _(
                "We have refunded your return %(reference)s to your original payment "
                "method. It may take a few days to show on your account."
            )
        else:
            text = _(
                "We have refunded %(amount)s for your return %(reference)s to your original "
                "payment method. It may take a few days to show on your account."
            )
        text = text % values
        if case.restocking_fee_percent:
            text += " " + fee_text(case)
        return text


def fee_text(case: Return) -> str:
    """Why less than the price comes back: said in the active language."""
    return _(
        "As the return was made after the 14-day statutory period, under our own longer "
        "return period, a restocking fee of %(percent)s %% of the items' price was deducted."
    ) % {"percent": percent(case.restocking_fee_percent)}


def percent(value: Decimal) -> str:
    """12.5 as "12,5" in Finnish, 10.0 as "10": a percentage as people write it."""
    whole = value == value.to_integral_value()
    return formats.number_format(value.quantize(Decimal(1)) if whole else value)


def exchanged_text(case: Return, lines: Sequence[ReturnLine]) -> str:
    with translation.override(case.language):
        items = "\n".join(
            f"{line.quantity} × {line.order_line.title}"
            + (f" ({line.exchange_variant.title})" if line.exchange_variant else "")
            for line in lines
        )
        return _(
            "Your exchange for return %(reference)s is on its way. We are sending you:\n\n%(items)s"
        ) % {**_names(case), "items": items}


def credited_text(case: Return, amount: Decimal) -> str:
    with translation.override(case.language):
        return _(
            "Your return %(reference)s is settled with store credit of %(amount)s. We will "
            "send you the details of how to use it."
        ) % {**_names(case), "amount": money(amount, case.order.currency)}


def closed_text(case: Return) -> str:
    with translation.override(case.language):
        return _("Your return %(reference)s is now closed. Thank you for shopping with us.") % (
            _names(case)
        )
