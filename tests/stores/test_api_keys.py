from __future__ import annotations

import pytest

from tests.conftest import SYSTEM, recorded
from tiski.core.errors import ActionError
from tiski.stores.actions import authenticate_api_key, create_api_key, revoke_api_key, update_store
from tiski.stores.models import ApiKey, ApiScope, Store


def test_keys_are_hashed_at_rest_and_work_until_revoked(store: Store) -> None:
    with recorded() as events:
        issued = create_api_key(
            store, actor=SYSTEM, name="Verkkokauppa", scopes=[ApiScope.CONVERSATIONS_READ]
        )
    assert [e.type for e in events] == ["api_key.created"]
    assert issued.secret.startswith("tsk_")
    stored = ApiKey.objects.get()
    assert issued.secret not in (stored.key_hash, stored.prefix, str(stored.scopes))
    found = authenticate_api_key(issued.secret)
    assert found == stored and found.last_used_at is not None
    assert found.allows(ApiScope.CONVERSATIONS_READ) and not found.allows(ApiScope.CONTACTS_WRITE)
    revoke_api_key(stored, actor=SYSTEM)
    assert authenticate_api_key(issued.secret) is None


@pytest.mark.parametrize("raw", ["", "tsk_", "tsk_nope_nope", "Bearer x", "tsk_" + "a" * 500])
def test_malformed_and_unknown_keys_are_refused(store: Store, raw: str) -> None:
    create_api_key(store, actor=SYSTEM, name="k", scopes=[ApiScope.CONTACTS_READ])
    assert authenticate_api_key(raw) is None


def test_a_key_with_the_right_prefix_and_wrong_secret_is_refused(store: Store) -> None:
    issued = create_api_key(store, actor=SYSTEM, name="k", scopes=[ApiScope.CONTACTS_READ])
    assert authenticate_api_key(issued.secret[:-2] + "xx") is None


@pytest.mark.parametrize(("name", "scopes"), [("", ["contacts:read"]), ("k", []), ("k", ["admin"])])
def test_bad_key_requests_are_refused(store: Store, name: str, scopes: list[str]) -> None:
    with pytest.raises(ActionError):
        create_api_key(store, actor=SYSTEM, name=name, scopes=scopes)
    assert not ApiKey.objects.exists()


def test_store_updates_are_validated(store: Store) -> None:
    with pytest.raises(ActionError):
        update_store(store, actor=SYSTEM, timezone="Mars/Olympus")
    with pytest.raises(ActionError):
        update_store(store, actor=SYSTEM, business_hours={"mon": [["18:00", "08:00"]]})
    with pytest.raises(ActionError):
        update_store(store, actor=SYSTEM, widget_token="guessable")
    with recorded() as events:
        update_store(store, actor=SYSTEM, brand_color="#123456", name=store.name)
    assert [e.payload()["changed"] for e in events] == [["brand_color"]]
