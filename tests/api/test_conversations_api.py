from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import Api
from tests.conftest import SYSTEM, inbound
from tiski.agents.models import Agent, Team
from tiski.conversations.actions import assign, set_labels
from tiski.conversations.models import Conversation, Label, Status
from tiski.stores.actions import create_api_key, revoke_api_key
from tiski.stores.models import ApiKey, ApiScope, Store


def test_the_openapi_schema_is_published(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Tiski API"
    for path in (
        "/api/v1/conversations",
        "/api/v1/contacts",
        "/api/v1/conversations/{conversation_id}/messages",
    ):
        assert path in schema["paths"]


@pytest.mark.parametrize(
    "header", [None, "Bearer nope", "Bearer tsk_abc_def", "Basic dXNlcjpwYXNz", "Bearer "]
)
def test_unauthenticated_calls_get_401(conversation: Conversation, header: str | None) -> None:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": header} if header else {}
    assert Client().get("/api/v1/conversations", **extra).status_code == 401


def test_a_revoked_key_stops_working(store: Store, conversation: Conversation) -> None:
    issued = create_api_key(store, actor=SYSTEM, name="k", scopes=[ApiScope.CONVERSATIONS_READ])
    api = Api(Client(), issued.secret)
    assert api.get("/conversations").status_code == 200
    revoke_api_key(ApiKey.objects.get(), actor=SYSTEM)
    assert api.get("/conversations").status_code == 401


def test_scopes_are_enforced(
    store: Store, conversation: Conversation, make_api: Callable[..., Api]
) -> None:
    reader = make_api(store, [ApiScope.CONVERSATIONS_READ])
    assert reader.get("/conversations").status_code == 200
    denied = reader.post(f"/conversations/{conversation.pk}/messages", {"text": "x"})
    assert denied.status_code == 403 and "conversations:write" in denied.json()["detail"]
    assert reader.get("/contacts").status_code == 403
    assert conversation.messages.count() == 1


def test_a_key_reaches_only_its_store(
    conversation: Conversation,
    other_conversation: Conversation,
    other_store: Store,
    make_api: Callable[..., Api],
) -> None:
    foreign = make_api(other_store)
    listed = foreign.get("/conversations").json()["items"]
    assert [c["id"] for c in listed] == [other_conversation.pk]
    assert foreign.get(f"/conversations/{conversation.pk}").status_code == 404
    assert foreign.get(f"/conversations/{conversation.pk}/messages").status_code == 404
    for path, body in [
        (f"/conversations/{conversation.pk}/messages", {"text": "x"}),
        (f"/conversations/{conversation.pk}/status", {"status": "closed"}),
        (f"/conversations/{conversation.pk}/assign", {"assignee": None}),
    ]:
        assert foreign.post(path, body).status_code == 404
    assert foreign.get("/conversations", store="revontuli").json()["items"] == []
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN


def test_list_filters_and_cursor(
    store: Store, owner: Agent, teammate: Agent, team: Team, label: Label, api: Api
) -> None:
    rows = [
        inbound(store, f"m{i}", email=f"k{i}@example.fi", subject=f"S{i}").conversation
        for i in range(7)
    ]
    assign(rows[0], assignee=teammate, team=team, actor=SYSTEM)
    set_labels(rows[1], [label], actor=SYSTEM)
    body = api.get("/conversations", limit=3).json()
    assert [c["subject"] for c in body["items"]] == ["S6", "S5", "S4"]
    seen = [c["id"] for c in body["items"]]
    cursor = body["next_cursor"]
    while cursor:
        body = api.get("/conversations", limit=3, cursor=cursor).json()
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
    assert sorted(seen) == sorted(c.pk for c in rows) and len(seen) == 7
    assert [c["id"] for c in api.get("/conversations", team=team.pk).json()["items"]] == [
        rows[0].pk
    ]
    assert [c["id"] for c in api.get("/conversations", label=label.pk).json()["items"]] == [
        rows[1].pk
    ]
    assert [c["id"] for c in api.get("/conversations", assignee=teammate.pk).json()["items"]] == [
        rows[0].pk
    ]
    assert len(api.get("/conversations", view="unassigned").json()["items"]) == 6
    first = api.get("/conversations").json()["items"][0]
    assert (
        first["labels"] == []
        and first["contact"]["name"]
        and first["reference"].startswith("#RVT-")
    )


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"cursor": "not-a-cursor"}, 400),
        ({"cursor": "MjAyNi0wMS0wMVQwMDowMDowMHwtNQ"}, 400),
        ({"view": "mine"}, 400),
        ({"status": "deleted"}, 422),
        ({"limit": 0}, 422),
        ({"limit": 1000}, 422),
        ({"team": "abc"}, 422),
    ],
)
def test_bad_list_parameters_get_4xx_with_a_reason(
    conversation: Conversation, api: Api, params: dict[str, object], status: int
) -> None:
    response = api.get("/conversations", **params)
    assert response.status_code == status
    assert response.json()["detail"]


def test_reply_note_and_safe_retries(conversation: Conversation, owner: Agent, api: Api) -> None:
    path = f"/conversations/{conversation.pk}/messages"
    created = api.post(
        path,
        {"text": "Hei! <b>Paketti</b> on matkalla.", "author": owner.pk, "external_id": "crm-1"},
    )
    assert created.status_code == 201
    body = created.json()
    assert (
        body["kind"] == "reply" and body["status"] == "queued" and body["author_agent"] == owner.pk
    )
    assert "<b>" not in body["body_html"] and "&lt;b&gt;" in body["body_html"]
    retry = api.post(
        path,
        {"text": "Hei! <b>Paketti</b> on matkalla.", "author": owner.pk, "external_id": "crm-1"},
    )
    assert retry.status_code == 400 and retry.json()["code"] == "duplicate"
    html = api.post(path, {"html": '<p onclick="x()">Moi</p><script>bad()</script>'})
    assert html.status_code == 201
    assert "onclick" not in html.json()["body_html"] and "script" not in html.json()["body_html"]
    assert html.json()["author_type"] == "system" and html.json()["author_label"] == "tests"
    note = api.post(path, {"kind": "note", "text": "sisäinen"})
    assert note.status_code == 201 and note.json()["kind"] == "note"
    messages = api.get(path, after_seq=body["seq"]).json()
    assert [m["seq"] for m in messages["items"]] == sorted(m["seq"] for m in messages["items"])
    assert all(m["seq"] > body["seq"] for m in messages["items"])


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"text": ""}, 400, "text"),
        ({"text": "x", "kind": "shout"}, 422, None),
        ({"text": "x" * 50_001}, 422, None),
        ({"text": "x", "author": 999999}, 400, "author"),
        ({"kind": "note", "text": "x", "html": "<p>x</p>"}, 400, "html"),
        ([], 400, "text"),
        ("not json", 400, ""),
    ],
)
def test_bad_messages_are_refused_with_field_errors(
    conversation: Conversation, api: Api, body: object, status: int, field: str | None
) -> None:
    response = api.post(f"/conversations/{conversation.pk}/messages", body)
    assert response.status_code == status
    detail = response.json()["detail"]
    assert detail
    if field:
        assert response.json()["field"] == field
    elif field is None:
        assert isinstance(detail, list) and detail[0]["loc"]
    assert conversation.messages.count() == 1


def test_assign_status_priority_and_labels(
    conversation: Conversation, teammate: Agent, team: Team, label: Label, api: Api, outsider: Agent
) -> None:
    base = f"/conversations/{conversation.pk}"
    assert (
        api.post(f"{base}/assign", {"assignee": teammate.pk, "team": team.pk}).json()["team"]["id"]
        == team.pk
    )
    # Leaving "team" out keeps it; null clears only what is named.
    body = api.post(f"{base}/assign", {"assignee": None}).json()
    assert body["assignee"] is None and body["team"]["id"] == team.pk
    assert api.post(f"{base}/assign", {"assignee": outsider.pk}).status_code == 400
    assert api.post(f"{base}/assign", {"team": 424242}).status_code == 400
    assert api.post(f"{base}/priority", {"priority": "high"}).json()["priority"] == "high"
    assert api.post(f"{base}/priority", {"priority": "meh"}).status_code == 422
    assert api.post(f"{base}/labels", {"labels": ["palautus"]}).json()["labels"] == ["palautus"]
    unknown = api.post(f"{base}/labels", {"labels": ["nope"]})
    assert unknown.status_code == 400 and "nope" in unknown.json()["detail"]
    no_time = api.post(f"{base}/status", {"status": "snoozed"})
    assert no_time.status_code == 400 and no_time.json()["field"] == "snoozed_until"
    until = (timezone.now() + timedelta(days=1)).isoformat()
    snoozed = api.post(f"{base}/status", {"status": "snoozed", "snoozed_until": until}).json()
    assert snoozed["status"] == "snoozed" and snoozed["snoozed_until"]


def test_starting_a_conversation(store: Store, other_store: Store, api: Api) -> None:
    contact = api.post(
        "/contacts",
        {"name": "Liisa", "identities": [{"kind": "email", "value": "liisa@example.fi"}]},
    ).json()
    created = api.post("/conversations", {"contact": contact["id"], "subject": "Tilauksesi"})
    assert created.status_code == 201 and created.json()["channel"] == "email"
    foreign = inbound(other_store, email="p@example.pl").conversation.contact
    assert api.post("/conversations", {"contact": foreign.pk}).status_code == 400


def test_the_agent_session_works_with_csrf(
    conversation: Conversation, owner: Agent, outsider: Agent
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    client.force_login(owner)
    assert client.get("/api/v1/conversations").status_code == 200
    path = f"/api/v1/conversations/{conversation.pk}/messages"
    assert client.post(path, {"text": "hei"}, content_type="application/json").status_code == 403
    ok = client.post(path, {"text": "hei"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 201 and ok.json()["author_agent"] == owner.pk
    assert (
        client.get("/api/v1/conversations", view="mine").json()["items"][0]["id"] == conversation.pk
    )
    other = Client()
    other.force_login(outsider)
    assert other.get(f"/api/v1/conversations/{conversation.pk}").status_code == 404
