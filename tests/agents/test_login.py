from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.cache import cache
from django.test import Client, override_settings

from tests.conftest import PASSWORD
from tiski.agents.actions import create_agent
from tiski.agents.models import Agent
from tiski.conversations.models import Conversation


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def login(client: Client, email: str, password: str, **extra: str) -> Any:
    return client.post(
        "/login/", {"email": email, "password": password, **extra}, REMOTE_ADDR="10.0.0.1"
    )


def test_login_and_logout(owner: Agent) -> None:
    client = Client()
    response = login(client, "OWNER@revontuli.example", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/inbox/all/").status_code == 200
    assert client.get("/logout/").status_code == 405  # a link cannot log you out
    assert client.post("/logout/").status_code == 302
    assert client.get("/inbox/all/").status_code == 302


def test_a_wrong_password_says_so_without_telling_which_part(owner: Agent) -> None:
    response = login(Client(), owner.email, "wrong")
    assert response.status_code == 400
    assert b"Email or password is wrong." in response.content


def test_login_only_redirects_to_our_own_pages(owner: Agent) -> None:
    response = login(Client(), owner.email, PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/"
    response = login(Client(), owner.email, PASSWORD, next="/conversations/1/")
    assert response["Location"] == "/conversations/1/"


@override_settings(LOGIN_RATE_LIMIT=3)
def test_failed_logins_are_rate_limited_per_account(owner: Agent) -> None:
    for _ in range(3):
        assert login(Client(), owner.email, "guess").status_code == 400
    blocked = login(Client(), owner.email, PASSWORD)
    assert blocked.status_code == 429
    assert b"Too many failed attempts" in blocked.content


@override_settings(LOGIN_RATE_LIMIT=3)
def test_failed_logins_are_rate_limited_per_address(owner: Agent, teammate: Agent) -> None:
    for n in range(3):
        login(Client(), f"nobody{n}@example.fi", "guess")
    assert login(Client(), teammate.email, PASSWORD).status_code == 429


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(db: None) -> None:
    from django.conf import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    agent = create_agent(email="a@x.example", name="A", password="a long passphrase")
    assert identify_hasher(agent.password).algorithm == "argon2"
    assert agent.check_password("a long passphrase")


def test_the_production_settings_list_argon2_first() -> None:
    # Tests swap in a fast hasher; the real list lives in the settings module's source.
    from pathlib import Path

    import tiski.settings

    text = Path(tiski.settings.__file__).read_text(encoding="utf-8")
    assert text.index('"django.contrib.auth.hashers.Argon2PasswordHasher"') < text.index(
        '"django.contrib.auth.hashers.PBKDF2PasswordHasher"'
    )


def test_forms_need_a_csrf_token(owner: Agent, conversation: Conversation) -> None:
    client = Client(enforce_csrf_checks=True)
    assert login(client, owner.email, PASSWORD).status_code == 403
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    client.force_login(owner)
    response = client.post(f"/conversations/{conversation.pk}/reply/", {"text": "x"})
    assert response.status_code == 403
    response = client.post(
        f"/conversations/{conversation.pk}/reply/",
        {"text": "Hei", "kind": "note"},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 302
