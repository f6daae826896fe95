"""With REDIS_URL set, every process shares the channel layer and the cache."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.test import Client, override_settings

from tests.conftest import inbound
from tests.services import REDIS_URL, need, redis_available
from tiski.agents.models import Agent
from tiski.events import store_group
from tiski.stores.models import Store

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_layer() -> Iterator[None]:
    need("redis", redis_available(), f"nothing listens at {REDIS_URL}")
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # A prefix per run keeps parallel test runs on one Redis apart.
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"tiski-test-{uuid.uuid4().hex}"},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        yield


@pytest.fixture
def redis_cache() -> Iterator[None]:
    need("redis", redis_available(), f"nothing listens at {REDIS_URL}")
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"tiski-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=caches):
        yield
        cache.clear()


@pytest.mark.django_db(transaction=True)
def test_events_travel_through_redis(redis_layer: None, store: Store) -> None:
    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisChannelLayer"
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(store_group(store.pk), channel)
    received = inbound(store)

    async def four() -> list[str]:
        # One loop for all receives: channels_redis buffers per event loop.
        return [(await layer.receive(channel))["event"]["type"] for _ in range(4)]

    assert async_to_sync(four)() == [
        "contact.created",
        "contact.identity_added",
        "conversation.created",
        "message.created",
    ]
    assert received.message.pk


@override_settings(LOGIN_RATE_LIMIT=2)
def test_login_failures_are_counted_in_redis(redis_cache: None, owner: Agent) -> None:
    import redis

    for _ in range(2):
        Client().post("/login/", {"email": owner.email, "password": "x"}, REMOTE_ADDR="10.9.9.9")
    # A fresh connection, as another web process would have, sees the count.
    keys = redis.Redis.from_url(REDIS_URL).keys("*login-fail:account*")
    assert keys
    blocked = Client().post(
        "/login/", {"email": owner.email, "password": "x"}, REMOTE_ADDR="10.1.1.1"
    )
    assert blocked.status_code == 429
