from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.conftest import SYSTEM
from tiski.stores.actions import create_api_key
from tiski.stores.models import ApiScope, Store

ALL_SCOPES = list(ApiScope.values)


class Api:
    """A client for one API key (or for an agent session)."""

    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path: str, body: Any, **extra: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", **self.headers, **extra
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            f"/api/v1{path}", body, content_type="application/json", **self.headers
        )


@pytest.fixture
def make_api() -> Callable[..., Api]:
    def make(store: Store, scopes: list[str] | None = None) -> Api:
        issued = create_api_key(store, actor=SYSTEM, name="tests", scopes=scopes or ALL_SCOPES)
        return Api(Client(), issued.secret)

    return make


@pytest.fixture
def api(store: Store, make_api: Callable[..., Api]) -> Api:
    return make_api(store)
