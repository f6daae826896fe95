"""Complaints about faulty goods: filing, answering, and the Polish answer clock.

A complaint is not a withdrawal: no 14-day period, a description and photos are
required, and it ends in a repair, a replacement, a price reduction or a refund. In
Poland the shop must answer within 14 days or the complaint is deemed accepted
(``deadlines.polish_complaint_answer_due``); ``warn_due_complaints`` runs on the
worker's timer and warns in the conversation, once per stage, and raises its priority.
The answer goes out as an email from the conversation, which is the durable medium the
law asks for; the complaint keeps which message it was and when it was sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiski.agents.models import Agent
from tiski.conversations.actions import (
    add_note,
    change_priority,
    send_automatic_reply,
    send_reply,
)
from tiski.conversations.attachments import IncomingFile, sniff_type
from tiski.conversations.models import Priority
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.returns.cases import customer_language, next_number, open_conversation
from tiski.returns.deadlines import (
    DeadlineStatus,
    complaint_window,
    deadline_state,
    done_in_time,
    polish_complaint_answer_due,
)
from tiski.returns.events import ComplaintAnswered, ComplaintFiled
from tiski.returns.models import Complaint, ComplaintLine, ComplaintStatus, Remedy
from tiski.shop.models import FulfillmentLine, Order, OrderLine

MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 5000
MAX_PHOTOS = 10
OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.IN_REVIEW)


@dataclass(frozen=True)
class ComplaintItem:
    line_id: int
    quantity: int = 1


def _checked_lines(order: Order, items: Sequence[ComplaintItem]) -> list[tuple[OrderLine, int]]:
    if not items:
        raise ActionError(_("Choose the faulty item."), field="items")
    lines = {line.pk: line for line in OrderLine.objects.filter(order=order)}
    seen: set[int] = set()
    checked = []
    for item in items:
        line = lines.get(item.line_id)
        if line is None:
            raise ActionError(_("That item is not in this order."), field="items")
        if item.line_id in seen:
            raise ActionError(_("Each item may be listed once."), field="items")
        seen.add(item.line_id)
        if not 1 <= item.quantity <= line.quantity:
            raise ActionError(
                _("You can complain about at most %(n)d of %(item)s.")
                % {"n": line.quantity, "item": line.title},
                field="quantity",
            )
        checked.append((line, item.quantity))
    return checked


def _checked_photos(photos: Sequence[IncomingFile]) -> None:
    if not photos:
        raise ActionError(_("Add at least one photo of the fault."), field="photos")
    if len(photos) > MAX_PHOTOS:
        raise ActionError(_("Add at most %(n)d photos.") % {"n": MAX_PHOTOS}, field="photos")
    for photo in photos:
        if not (sniff_type(photo.content) or "").startswith("image/"):
            raise ActionError(
                _("%(name)s is not a photo.") % {"name": photo.filename[:100]}, field="photos"
            )


@transaction.atomic
def file_complaint(
    order: Order,
    *,
    items: Sequence[ComplaintItem],
    description: str,
    requested_remedy: str,
    photos: Sequence[IncomingFile],
    actor: Actor,
    language: str = "",
    noticed_at: datetime | None = None,
) -> Complaint:
    """A customer's complaint about faulty goods of ``order`` (whose ownership the
    caller checked). Opens an email conversation with the photos, notes the legal
    points for the agent, and confirms it to the customer (with the answer date in
    Poland). All or nothing."""
    order = Order.objects.select_for_update().select_related("store").get(pk=order.pk)
    store = order.store
    description = description.strip()
    if len(description) < MIN_DESCRIPTION:
        raise ActionError(_("Tell us what is wrong, in a sentence or two."), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise ActionError(
            _("A description is at most %(n)d characters.") % {"n": MAX_DESCRIPTION},
            field="description",
        )
    if requested_remedy not in Remedy.values:
        raise ActionError(_("Choose what you would like us to do."), field="remedy")
    checked = _checked_lines(order, items)
    _checked_photos(photos)
    delivered_at = FulfillmentLine.objects.filter(
        line__in=[line for line, _n in checked], fulfillment__delivered_at__isnull=False
    ).aggregate(at=Max("fulfillment__delivered_at"))["at"]
    if delivered_at is None:
        raise ActionError(
            _("This item has not been delivered yet. If it is lost, write to us in the chat."),
            field="items",
        )
    now = clock.now()
    language = customer_language(order, language)
    window = complaint_window(
        store.country or "FI",
        delivered_at,
        now,
        noticed_at=noticed_at,
        received_at=now,
        tz=store.timezone,
    )
    # Polish law's clock, on Polish days: the same reckoning the panel, the answer and
    # the warnings use (``polish_complaint_answer_due`` on Warsaw time).
    answer_due = (
        polish_complaint_answer_due(now)
        if window.answer_due is not None or store.country == "PL"
        else None
    )
    complaint = Complaint.objects.create(
        store=store,
        order=order,
        contact=order.contact,
        number=next_number(Complaint, store),
        description=description,
        requested_remedy=requested_remedy,
        language=language,
        received_at=now,
        delivered_at=delivered_at,
        answer_due=answer_due.last_day if answer_due else None,
    )
    ComplaintLine.objects.bulk_create(
        [ComplaintLine(complaint=complaint, order_line=line, quantity=n) for line, n in checked]
    )
    if order.email:
        _open_conversation(complaint, order, checked, photos, actor, window.notes)
    publish(
        ComplaintFiled(
            store_id=store.pk,
            actor=actor,
            complaint_id=complaint.pk,
            number=complaint.number,
            order_id=order.pk,
            answer_due=complaint.answer_due.isoformat() if complaint.answer_due else "",
        )
    )
    return complaint


def _open_conversation(
    complaint: Complaint,
    order: Order,
    checked: Sequence[tuple[OrderLine, int]],
    photos: Sequence[IncomingFile],
    actor: Actor,
    notes: Sequence[object],
) -> None:
    with translation.override(complaint.language):
        subject = _("Complaint %(reference)s, order %(number)s") % {
            "reference": complaint.reference,
            "number": order.display_number,
        }
        text = "\n".join(
            [
                *(f"{n} × {line.title}" for line, n in checked),
                "",
                complaint.description,
                "",
                _("Asks for: %(remedy)s") % {"remedy": Remedy(complaint.requested_remedy).label},
            ]
        )
        if complaint.answer_due:
            confirmation = _(
                "Thank you, we have received your complaint %(reference)s about order "
                "%(number)s. We will answer by %(date)s."
            ) % {
                "reference": complaint.reference,
                "number": order.display_number,
                "date": date_format(complaint.answer_due),
            }
        else:
            confirmation = _(
                "Thank you, we have received your complaint %(reference)s about order "
                "%(number)s. We will look into it and answer you as soon as we can."
            ) % {"reference": complaint.reference, "number": order.display_number}
    conversation = open_conversation(complaint, order, subject=subject, text=text, photos=photos)
    # The legal points, for the agents, in the store's language.
    with translation.override(complaint.store.default_language):
        rendered = [str(getattr(note, "text", note)) for note in notes]
    if rendered:
        add_note(conversation, actor=actor, text="\n\n".join(rendered))
    send_automatic_reply(conversation, actor=actor, text=confirmation)


@transaction.atomic
def answer_complaint(
    complaint: Complaint,
    *,
    accepted: bool,
    text: str,
    author: Agent,
    actor: Actor,
    remedy: str = "",
) -> Complaint:
    """The shop's answer, sent to the customer by email from the complaint's
    conversation (a durable medium); records when, which message, and the decision."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status not in OPEN:
        raise ActionError(_("This complaint has already been answered."), code="conflict")
    if complaint.conversation is None:
        raise ActionError(_("This complaint has no conversation to answer in."))
    if not text.strip():
        raise ActionError(_("Write the answer to the customer."), field="text")
    if accepted and remedy not in Remedy.values:
        raise ActionError(_("Choose the remedy you give."), field="remedy")
    message = send_reply(complaint.conversation, actor=actor, text=text, author=author)
    now = clock.now()
    complaint.status = ComplaintStatus.ACCEPTED if accepted else ComplaintStatus.REJECTED
    complaint.decided_remedy = remedy if accepted else ""
    complaint.answered_at = now
    complaint.answer_message = message
    complaint.save(
        update_fields=["status", "decided_remedy", "answered_at", "answer_message", "updated_at"]
    )
    on_time = True
    if complaint.answer_due is not None:
        on_time = done_in_time(polish_complaint_answer_due(complaint.received_at), now)
    publish(
        ComplaintAnswered(
            store_id=complaint.store_id,
            actor=actor,
            complaint_id=complaint.pk,
            accepted=accepted,
            on_time=on_time,
        )
    )
    return complaint


WARNINGS: dict[str, tuple[str, Promise]] = {
    DeadlineStatus.DUE_SOON: (
        Priority.HIGH,
        gettext_lazy("The answer to complaint %(reference)s is due by %(date)s."),
    ),
    DeadlineStatus.DUE_TODAY: (
        Priority.URGENT,
        gettext_lazy("The answer to complaint %(reference)s is due today, %(date)s."),
    ),
    DeadlineStatus.OVERDUE: (
        Priority.URGENT,
        gettext_lazy(
            "The answer to complaint %(reference)s was due by %(date)s. Without an answer "
            "in time the complaint is deemed accepted under Polish law."
        ),
    ),
}


def warn_due_complaints(now: datetime | None = None) -> int:
    """Warn in each unanswered complaint's conversation as its answer date nears and
    passes (once per stage), raising the conversation's priority. Safe in several
    workers at once: each complaint is locked while it is warned."""
    now = now or clock.now()
    warned = 0
    candidates = Complaint.objects.filter(
        answer_due__isnull=False, answered_at__isnull=True, status__in=OPEN
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            complaint = (
                Complaint.objects.select_for_update(of=("self",))
                .select_related("store", "conversation")
                .get(pk=pk)
            )
            state = deadline_state(polish_complaint_answer_due(complaint.received_at), now)
            if state.status not in WARNINGS or complaint.warned == state.status:
                continue
            priority, template = WARNINGS[state.status]
            if complaint.conversation is not None:
                with translation.override(complaint.store.default_language):
                    text = str(template) % {
                        "reference": complaint.reference,
                        "date": date_format(state.deadline.last_day),
                    }
                actor = Actor.system("Tiski")
                add_note(complaint.conversation, actor=actor, text=text)
                change_priority(complaint.conversation, priority=priority, actor=actor)
            complaint.warned = state.status
            complaint.save(update_fields=["warned"])
            warned += 1
    return warned
