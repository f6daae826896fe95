"""Whatever a client sends, the API answers with a 2xx or 4xx, never a 500."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Api
from tiski.conversations.models import Conversation

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
fields = st.sampled_from(
    ["text", "html", "kind", "author", "external_id", "status", "snoozed_until", "priority",
     "labels", "assignee", "team", "name", "identities", "language", "contact", "store", "channel"]
)  # fmt: skip
bodies = st.one_of(json_values, st.dictionaries(fields, json_values, max_size=5))
paths = st.sampled_from(["messages", "status", "priority", "labels", "assign", "", "/contacts"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=paths, body=bodies)
def test_random_payloads_never_cause_a_server_error(
    conversation: Conversation, api: Api, path: str, body: Any
) -> None:
    if path == "/contacts":
        url = "/contacts"
    elif path:
        url = f"/conversations/{conversation.pk}/{path}"
    else:
        url = "/conversations"
    response = api.post(url, body)
    assert response.status_code < 500, (url, body, response.content[:300])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["view", "status", "store", "team", "label", "assignee", "cursor", "limit"]
        ),
        st.text(max_size=30),
        max_size=4,
    )
)
def test_random_list_parameters_never_cause_a_server_error(
    conversation: Conversation, api: Api, params: dict[str, str]
) -> None:
    response = api.get("/conversations", **params)
    assert response.status_code < 500, (params, response.content[:300])
