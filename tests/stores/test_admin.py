from __future__ import annotations

from django.test import Client

from tiski.agents.models import Agent
from tiski.conversations.models import CannedResponse
from tiski.stores.actions import authenticate_api_key
from tiski.stores.models import ApiKey, Store


def admin_client(owner: Agent) -> Client:
    owner.is_staff = owner.is_superuser = True
    owner.save()
    client = Client()
    client.force_login(owner)
    return client


def test_an_api_key_made_in_the_admin_is_shown_once_and_works(store: Store, owner: Agent) -> None:
    client = admin_client(owner)
    response = client.post(
        "/admin/stores/apikey/add/",
        {"store": store.pk, "name": "Verkkokauppa", "scopes": '["conversations:read"]'},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    secret = next(m.split(": ")[-1] for m in shown if "tsk_" in m)
    key = ApiKey.objects.get()
    assert authenticate_api_key(secret) == key
    assert secret not in client.get(f"/admin/stores/apikey/{key.pk}/change/").content.decode()


def test_a_canned_response_with_an_unknown_placeholder_is_refused_in_the_form(
    store: Store, owner: Agent
) -> None:
    response = admin_client(owner).post(
        "/admin/conversations/cannedresponse/add/",
        {"store": store.pk, "shortcut": "hei", "title": "Hei", "body": "{{ user.password }}"},
    )
    assert response.status_code == 200
    assert "Unknown placeholder user.password" in response.content.decode()
    assert not CannedResponse.objects.exists()
