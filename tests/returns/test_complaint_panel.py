"""The complaint panel beside its conversation: what it shows, the Polish answer clock
with a frozen clock, answering (accept, reject), and the refusals (422, 409, 404)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.conftest import SYSTEM, logged_in, make_agent
from tests.returns.test_complaints import PHOTO, line
from tests.returns.test_request import delivered, item
from tests.shop.test_selfservice import stored
from tiski.agents.models import Agent, Role
from tiski.conversations.models import Conversation, DeliveryStatus, Message
from tiski.core import clock
from tiski.returns.actions import request_return
from tiski.returns.actions.complaints import ComplaintItem, file_complaint
from tiski.returns.models import Complaint, ComplaintStatus, Remedy
from tiski.stores.models import Store

HTMX = {"HX-Request": "true", "HX-Target": "conversation"}
WARSAW = ZoneInfo("Europe/Warsaw")
# A Monday in Poland with no holiday near: the answer is due 14 days later, Monday 16 June.
RECEIVED = datetime(2025, 6, 2, 10, 0, tzinfo=WARSAW)


def complain(order_store: Store, **order: object) -> Complaint:
    with clock.frozen_at(RECEIVED):
        placed = stored(order_store, language="fi", fulfillments=delivered(30), **order)
        return file_complaint(
            placed,
            items=[ComplaintItem(line(placed).pk)],
            description="Vetoketju hajosi toisella käyttökerralla.",
            requested_remedy=Remedy.REPLACEMENT,
            photos=[PHOTO],
            actor=SYSTEM,
        )


@pytest.fixture
def finnish(store: Store, owner: Agent) -> Complaint:
    return complain(store)


@pytest.fixture
def polish(other_store: Store) -> Complaint:
    """A complaint to kubek, the Polish store."""
    return complain(other_store, id="o-pl", number="555")


@pytest.fixture
def kubek_agent(other_store: Store) -> Agent:
    """An agent of the Polish store who reads the desk in English."""
    return make_agent("agent@kubek.example", "Piotr", other_store, Role.AGENT, language="en")


def page(client: Client, complaint: Complaint) -> str:
    answer = client.get(f"/conversations/{complaint.conversation_id}/")
    assert answer.status_code == 200
    return answer.content.decode()


def answer_url(complaint: Complaint) -> str:
    return f"/conversations/{complaint.conversation_id}/complaint/answer/"


def test_the_panel_shows_the_complaint(finnish: Complaint, owner_client: Client) -> None:
    html = page(owner_client, finnish)
    assert 'id="complaint-panel"' in html and 'id="return-panel"' not in html
    assert "C1001" in html and "complaint-status-received" in html
    assert "Kuoritakki Tunturi" in html and "Vetoketju hajosi" in html
    assert "Replacement" in html and "Delivered" in html
    assert "complaint-notes" in html  # the legal points, rendered
    assert "Answer due" not in html  # Finland sets no answer date
    assert answer_url(finnish) in html


def test_no_complaint_panel_beside_other_conversations(
    conversation: Conversation, owner_client: Client
) -> None:
    html = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'id="complaint-panel"' not in html
    answer = owner_client.post(
        f"/conversations/{conversation.pk}/complaint/answer/",
        {"decision": "reject", "text": "Ei."},
        headers=HTMX,
    )
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("now", "state", "text"),
    [
        (datetime(2025, 6, 5, 12, 0, tzinfo=WARSAW), "complaint-due-ok", "11 days left"),
        (datetime(2025, 6, 14, 12, 0, tzinfo=WARSAW), "complaint-due-due_soon", "2 days left"),
        (datetime(2025, 6, 16, 23, 0, tzinfo=WARSAW), "complaint-due-due_today", "Due today"),
        (datetime(2025, 6, 18, 9, 0, tzinfo=WARSAW), "complaint-due-overdue", "Overdue by 2 days"),
    ],
)
def test_the_polish_answer_clock(
    polish: Complaint, kubek_agent: Agent, now: datetime, state: str, text: str
) -> None:
    assert polish.answer_due is not None and polish.answer_due.isoformat() == "2025-06-16"
    client = logged_in(kubek_agent)
    with clock.frozen_at(now):
        html = page(client, polish)
    assert state in html and text in html


def test_an_accepted_answer_goes_by_email_and_shows_when(
    polish: Complaint, kubek_agent: Agent
) -> None:
    client = logged_in(kubek_agent)
    with clock.frozen_at(datetime(2025, 6, 10, 9, 0, tzinfo=WARSAW)):
        answer = client.post(
            answer_url(polish),
            {"decision": "accept", "remedy": Remedy.REPAIR, "text": "Naprawimy kurtkę."},
            headers=HTMX,
        )
        assert answer.status_code == 200
        html = answer.content.decode()
    complaint = Complaint.objects.get(pk=polish.pk)
    assert complaint.status == ComplaintStatus.ACCEPTED and complaint.decided_remedy == "repair"
    assert complaint.answer_message is not None
    assert complaint.answer_message.body_text.startswith("Naprawimy kurtkę.")
    assert f'href="#m-{complaint.answer_message.seq}"' in html and "sent by email" in html
    assert "complaint-in-time" in html
    assert 'action="' + answer_url(polish) + '"' not in html  # no second answer offered
    assert "complaint-due-" not in html  # the clock stopped


def test_an_answer_whose_email_failed_is_not_counted_as_given(
    polish: Complaint, kubek_agent: Agent
) -> None:
    client = logged_in(kubek_agent)
    with clock.frozen_at(datetime(2025, 6, 10, 9, 0, tzinfo=WARSAW)):
        client.post(answer_url(polish), {"decision": "reject", "text": "Odrzucamy."}, headers=HTMX)
    complaint = Complaint.objects.get(pk=polish.pk)
    assert complaint.answer_message is not None
    html = page(client, complaint)
    assert "complaint-in-time" in html and "complaint-undelivered" not in html
    # The mail server bounced it: the answer has not reached the customer.
    Message.objects.filter(pk=complaint.answer_message.pk).update(status=DeliveryStatus.FAILED)
    html = page(client, complaint)
    assert "complaint-undelivered" in html and "complaint-in-time" not in html


def test_a_late_answer_is_marked_late(polish: Complaint, kubek_agent: Agent) -> None:
    client = logged_in(kubek_agent)
    with clock.frozen_at(datetime(2025, 6, 20, 9, 0, tzinfo=WARSAW)):
        answer = client.post(
            answer_url(polish), {"decision": "reject", "text": "Odrzucamy."}, headers=HTMX
        )
    assert answer.status_code == 200 and "complaint-late" in answer.content.decode()


def test_a_rejection_and_then_a_second_answer_is_409(
    finnish: Complaint, owner_client: Client
) -> None:
    first = owner_client.post(
        answer_url(finnish),
        {"decision": "reject", "remedy": Remedy.REFUND, "text": "Vika johtuu käytöstä."},
        headers=HTMX,
    )
    assert first.status_code == 200
    complaint = Complaint.objects.get(pk=finnish.pk)
    assert complaint.status == ComplaintStatus.REJECTED and complaint.decided_remedy == ""
    sent = Message.objects.filter(conversation=finnish.conversation).count()
    second = owner_client.post(
        answer_url(finnish),
        {"decision": "accept", "remedy": Remedy.REFUND, "text": "Sittenkin."},
        headers=HTMX,
    )
    assert second.status_code == 409
    assert "This complaint has already been answered." in second.content.decode()
    assert Message.objects.filter(conversation=finnish.conversation).count() == sent
    assert Complaint.objects.get(pk=finnish.pk).status == ComplaintStatus.REJECTED
    # Without htmx: the refusal on a page of its own, with the same status.
    plain = owner_client.post(answer_url(finnish), {"decision": "reject", "text": "Ei."})
    assert plain.status_code == 409


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"text": "Korjaamme."}, "Choose to accept or reject the complaint."),
        ({"decision": "accept", "remedy": "", "text": "Korjaamme."}, "Choose the remedy you give."),
        (
            {"decision": "accept", "remedy": "repair", "text": "  "},
            "Write the answer to the customer.",
        ),
    ],
)
def test_wrong_values_are_422_with_the_draft_kept(
    finnish: Complaint, owner_client: Client, data: dict[str, str], error: str
) -> None:
    answer = owner_client.post(answer_url(finnish), data, headers=HTMX)
    assert answer.status_code == 422
    html = answer.content.decode()
    assert error in html
    if data["text"].strip():
        assert data["text"] in html
    complaint = Complaint.objects.get(pk=finnish.pk)
    assert complaint.status == ComplaintStatus.RECEIVED and complaint.answered_at is None


def test_an_agent_of_another_store_gets_404(finnish: Complaint, outsider_client: Client) -> None:
    assert outsider_client.get(f"/conversations/{finnish.conversation_id}/").status_code == 404
    answer = outsider_client.post(
        answer_url(finnish), {"decision": "reject", "text": "Nie."}, headers=HTMX
    )
    assert answer.status_code == 404
    assert Complaint.objects.get(pk=finnish.pk).answered_at is None
    anonymous = Client().post(answer_url(finnish), {"decision": "reject", "text": "x"})
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_the_return_panel_still_shows_beside_a_return(store: Store, owner_client: Client) -> None:
    order = stored(store, language="fi", fulfillments=delivered(3))
    case = request_return(order, items=[item(order, "l-1", reason="too_small")], actor=SYSTEM)
    html = owner_client.get(f"/conversations/{case.conversation_id}/").content.decode()
    assert 'id="return-panel"' in html and 'id="complaint-panel"' not in html
