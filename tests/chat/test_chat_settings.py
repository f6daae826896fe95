from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import SYSTEM, recorded
from tiski.chat.actions import save_chat_settings
from tiski.core.errors import ActionError
from tiski.stores.models import Store


def session(store: Store, **body: object) -> dict[str, object]:
    response = Client().post(
        "/chat/session",
        json.dumps({"token": store.widget_token, **body}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return dict(response.json())


def test_greeting_and_prechat_reach_the_widget(store: Store) -> None:
    from tiski.stores.actions import update_store

    update_store(store, actor=SYSTEM, languages=["fi", "en"])
    with recorded() as events:
        save_chat_settings(
            store,
            actor=SYSTEM,
            greeting={"fi": "Moikka! Miten voimme auttaa?"},
            prechat_fields=["name", "email", "topic"],
            prechat_required=["email"],
            topics={"fi": ["Tilaus", "Palautus"]},
        )
    assert [e.type for e in events] == ["chat.settings_saved"]
    body = session(store, languages=["fi"])
    assert body["store"]["greeting"] == "Moikka! Miten voimme auttaa?"  # type: ignore[index]
    assert body["prechat"] == {
        "fields": ["name", "email", "topic"],
        "required": ["email"],
        "topics": ["Tilaus", "Palautus"],
    }
    # No greeting written for English: the standard one, in English.
    english = session(store, languages=["en-GB"])
    assert english["language"] == "en"
    assert english["store"]["greeting"] == "Hi! How can we help you?"  # type: ignore[index]
    # A language the shop does not serve gets the shop's own.
    assert session(store, languages=["de"])["language"] == "fi"


@pytest.mark.parametrize(
    "values",
    [
        {"prechat_fields": ["shoe size"]},
        {"prechat_fields": ["name"], "prechat_required": ["email"]},
        {"greeting": {"de": "Hallo"}},
        {"greeting": {"fi": "x" * 501}},
        {"topics": {"fi": "Tilaus"}},
    ],
)
def test_bad_settings_are_refused(store: Store, values: dict[str, object]) -> None:
    with pytest.raises(ActionError):
        save_chat_settings(store, actor=SYSTEM, **values)
    assert session(store)["prechat"] is None
