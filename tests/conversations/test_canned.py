from __future__ import annotations

import pytest

from tests.conftest import SYSTEM, recorded
from tiski.agents.models import Agent
from tiski.contacts.actions import update_contact
from tiski.conversations.actions import delete_canned_response, save_canned_response
from tiski.conversations.canned import render_canned
from tiski.conversations.models import CannedResponse, Conversation
from tiski.core.errors import ActionError
from tiski.stores.models import Store

BODY = (
    "Hei {{ contact.first_name }}! Tilauksesi {{conversation.reference}} on matkalla. "
    "T. {{ agent.name }}"
)


def test_placeholders_are_filled(store: Store, conversation: Conversation, owner: Agent) -> None:
    assert render_canned(BODY, conversation, owner) == (
        "Hei Matti! Tilauksesi #RVT-1 on matkalla. T. Olli Omistaja"
    )


def test_a_missing_name_leaves_no_stray_space(conversation: Conversation, owner: Agent) -> None:
    update_contact(conversation.contact, name="", actor=SYSTEM)
    conversation.contact.refresh_from_db()
    assert (
        render_canned("Hei {{ contact.first_name }}! Kiitos.", conversation, owner)
        == "Hei! Kiitos."
    )


def test_template_syntax_is_not_evaluated(conversation: Conversation, owner: Agent) -> None:
    body = "{% load static %}{{ settings.SECRET_KEY }}"
    with pytest.raises(ActionError, match=r"Unknown placeholder settings\.SECRET_KEY"):
        save_canned_response(conversation.store, actor=SYSTEM, shortcut="x", title="x", body=body)
    assert render_canned("{% now 'Y' %}", conversation, owner) == "{% now 'Y' %}"


def test_saving_and_deleting(store: Store) -> None:
    with recorded() as events:
        saved = save_canned_response(
            store, actor=SYSTEM, shortcut="seuranta", title="Seuranta", body=BODY
        )
        save_canned_response(
            store, actor=SYSTEM, shortcut="seuranta-2", title="T", body="b", existing=saved
        )
        delete_canned_response(saved, actor=SYSTEM)
    assert [(e.type, e.payload().get("created")) for e in events] == [
        ("canned_response.saved", True),
        ("canned_response.saved", False),
        ("canned_response.deleted", None),
    ]
    assert not CannedResponse.objects.exists()


@pytest.mark.parametrize("shortcut", ["", "Has Space", "ÄÄKKÖNEN", "x" * 41])
def test_bad_shortcuts_are_refused(store: Store, shortcut: str) -> None:
    with pytest.raises(ActionError):
        save_canned_response(store, actor=SYSTEM, shortcut=shortcut, title="t", body="b")


def test_shortcuts_are_unique_per_store(store: Store, other_store: Store) -> None:
    save_canned_response(store, actor=SYSTEM, shortcut="kiitos", title="t", body="b")
    save_canned_response(other_store, actor=SYSTEM, shortcut="kiitos", title="t", body="b")
    with pytest.raises(ActionError, match="already in use"):
        save_canned_response(store, actor=SYSTEM, shortcut="kiitos", title="t2", body="b2")
