"""Returns (the customer withdraws from the purchase) and complaints (the goods are
faulty), each handled in its own inbox conversation.

A return is asked for a whole order or part of it, line by line with a reason each, and
is resolved by a refund to the original payment method (the default the law expects),
an exchange for another variant, or store credit. A complaint has no withdrawal
period, needs a description (and photos, attached to its conversation), and ends in a
repair, a replacement, a price reduction or a refund; in Poland it must be answered
within 14 days or it is deemed accepted (``deadlines.py``).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiski.contacts.models import Contact
from tiski.conversations.models import Conversation
from tiski.shop.models import Order, OrderLine, ProductVariant
from tiski.stores.models import Store


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LABEL_SENT = "label_sent", _("Label sent")
    IN_TRANSIT = "in_transit", _("On its way back")
    RECEIVED = "received", _("Received")
    INSPECTED = "inspected", _("Inspected")
    REFUNDED = "refunded", _("Refunded")
    EXCHANGED = "exchanged", _("Exchanged")
    CREDITED = "credited", _("Store credit given")
    CLOSED = "closed", _("Closed")


# Lines in a return in one of these states still hold their quantity: a second return
# cannot ask for it again.
HOLDING = [s for s in ReturnStatus.values if s not in (ReturnStatus.REJECTED,)]


class Resolution(models.TextChoices):
    REFUND = "refund", _("Refund to the original payment method")
    EXCHANGE = "exchange", _("Exchange for another size or colour")
    STORE_CREDIT = "store_credit", _("Store credit")


class ReturnReason(models.TextChoices):
    TOO_SMALL = "too_small", _("Too small")
    TOO_LARGE = "too_large", _("Too large")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described or pictured")
    CHANGED_MIND = "changed_mind", _("Changed my mind")
    ARRIVED_LATE = "arrived_late", _("Arrived too late")
    DAMAGED = "damaged", _("Damaged or faulty")
    WRONG_ITEM = "wrong_item", _("Wrong item sent")
    OTHER = "other", _("Other reason")


class Case(models.Model):
    """What a return and a complaint share: the order it is about, the inbox
    conversation it is handled in, its per-store number and the customer's language."""

    # "R" or "C": the number as the customer and the staff read it, "R1001".
    prefix: ClassVar[str] = ""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="%(class)ss")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="%(class)ss")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="%(class)ss"
    )
    # The inbox conversation the case is handled in.
    conversation = models.OneToOneField(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)s_case",
    )
    # Per store, shown with the prefix.
    number = models.PositiveIntegerField()
    # The portal form's one-time key: the same form sent twice makes one case.
    submission = models.CharField(max_length=64, blank=True, default="")
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="%(class)s_store_number"),
            models.UniqueConstraint(
                fields=["order", "submission"],
                condition=~models.Q(submission=""),
                name="%(class)s_submitted_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.prefix}{self.number}"


class Return(Case):
    prefix = "R"

    status = models.CharField(
        _("status"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=Resolution.choices, default=Resolution.REFUND
    )
    comment = models.TextField(_("comment"), blank=True)
    # The customer's notice of withdrawal: the refund's 14 days run from it.
    requested_at = models.DateTimeField()
    # The last day of the withdrawal period when it was asked for (store time zone).
    withdrawal_deadline = models.DateField(null=True, blank=True)
    # The refund is due 14 days after the notice (Directive 2011/83/EU art. 13).
    refund_due = models.DateField(null=True, blank=True)
    # The shop's terms when the return was asked for, kept as they were then: the fee
    # only when it came after the law's 14 days (0 otherwise), the bonus on store credit.
    restocking_fee_percent = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    credit_bonus_percent = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    # Why an agent said no; shown to the customer in the rejection email.
    rejection_reason = models.TextField(blank=True)
    # Set when the money went back (or credit or the exchange went out).
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta(Case.Meta):
        ordering = ["-requested_at", "-id"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")


class InspectionGrade(models.TextChoices):
    AS_NEW = "as_new", _("As new, can be sold again")
    OPENED = "opened", _("Opened, complete")
    USED = "used", _("Signs of use")
    DAMAGED = "damaged", _("Damaged")
    MISSING = "missing", _("Not in the parcel")


class ReturnLine(models.Model):
    return_case = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="returns")
    quantity = models.PositiveIntegerField(_("quantity"))
    # A code of the store's reasons (``reasons.py``), not a fixed choice: stores add
    # their own, and a code a store drops stays on its old returns.
    reason = models.CharField(_("reason"), max_length=30)
    # For an exchange: what the customer wants instead.
    exchange_variant = models.ForeignKey(
        ProductVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Filled in when the parcel is opened at the warehouse.
    grade = models.CharField(
        _("inspection"), max_length=20, choices=InspectionGrade.choices, blank=True
    )
    inspection_note = models.CharField(_("inspection note"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["return_case", "order_line"], name="return_line_once_per_return"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="return_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id}"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("Being reviewed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Remedy(models.TextChoices):
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    PRICE_REDUCTION = "price_reduction", _("Price reduction")
    REFUND = "refund", _("Refund")


class Complaint(Case):
    prefix = "C"

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    description = models.TextField(_("what is wrong"))
    requested_remedy = models.CharField(
        _("remedy asked for"), max_length=20, choices=Remedy.choices
    )
    decided_remedy = models.CharField(
        _("remedy given"), max_length=20, choices=Remedy.choices, blank=True
    )
    received_at = models.DateTimeField()
    # The goods' delivery, from which the two years of liability run.
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Poland: the answer is due by the end of this day (store time zone), or the
    # complaint is deemed accepted. Null where no such rule applies.
    answer_due = models.DateField(null=True, blank=True)
    # The answer on a durable medium: when, and the message that carried it.
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_message = models.ForeignKey(
        "conversations.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The last deadline warning given (a DeadlineStatus), so each is given once.
    warned = models.CharField(max_length=20, blank=True)

    class Meta(Case.Meta):
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")


class ComplaintLine(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="complaints")
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "order_line"], name="complaint_line_once"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="complaint_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id}"


class ReturnSettings(models.Model):
    """A store's own return terms, on top of what the law gives every customer."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="return_settings")
    shop_window_days = models.PositiveSmallIntegerField(
        _("return window (days)"),
        default=14,
        help_text=_("Counted from delivery. The law's 14 days apply whatever this says."),
    )
    # {"product category as the shop names it": "sealed_hygiene" | "made_to_order" | ...}
    category_exclusions = models.JSONField(_("excluded categories"), default=dict, blank=True)
    # Lists of order emails, product ids and order numbers as the shop knows them.
    blocked_customers = models.JSONField(default=list, blank=True)
    blocked_products = models.JSONField(default=list, blank=True)
    blocked_orders = models.JSONField(default=list, blank=True)
    allowed_customers = models.JSONField(default=list, blank=True)
    allowed_products = models.JSONField(default=list, blank=True)
    allowed_orders = models.JSONField(default=list, blank=True)
    customer_pays_return_shipping = models.BooleanField(
        _("customer pays return shipping"), default=False
    )
    restocking_fee_percent = models.DecimalField(
        _("restocking fee (%)"),
        max_digits=4,
        decimal_places=1,
        default=0,
        help_text=_("Only for returns beyond the law's 14 days."),
    )
    offers_store_credit = models.BooleanField(_("offer store credit"), default=False)
    store_credit_bonus_percent = models.DecimalField(
        _("store credit bonus (%)"), max_digits=4, decimal_places=1, default=0
    )
    # [{"code": "too_tight", "labels": {"fi": "...", "en": "..."}}]; empty: Tiski's eight
    # (``ReturnReason``). Checked by ``check_return_settings``, read by ``reasons.py``.
    reasons = models.JSONField(
        _("return reasons"),
        default=list,
        blank=True,
        help_text=_(
            'Empty: the standard reasons. Otherwise a list like [{"code": "too_tight", '
            '"labels": {"fi": "Liian tiukka", "en": "Too tight"}}]; a standard code '
            "(too_small, damaged, ...) may be given your own words."
        ),
    )

    class Meta:
        verbose_name = _("return settings")
        verbose_name_plural = _("return settings")

    def __str__(self) -> str:
        return f"{self.store}"
