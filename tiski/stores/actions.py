"""Every write to stores and their API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.stores.events import ApiKeyCreated, ApiKeyRevoked, StoreCreated, StoreUpdated
from tiski.stores.models import ApiKey, ApiScope, Store

KEY_PREFIX = "tsk_"
# Writing last_used_at on every request would make each API read a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)

EDITABLE_FIELDS = {
    "name",
    "default_language",
    "languages",
    "timezone",
    "country",
    "brand_color",
    "support_email",
    "acknowledge_email",
    "usual_reply_hours",
    "website",
    "business_hours",
    "phone",
    "help_domain",
    "closed_on_holidays",
}


def _validated(store: Store) -> None:
    try:
        store.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ActionError(" ".join(messages), field=field) from exc


@transaction.atomic
def create_store(
    *, actor: Actor, name: str, slug: str, reference_prefix: str, **fields: Any
) -> Store:
    """Create a store (a shop brand)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ActionError(_("Unknown store fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    store = Store(name=name, slug=slug, reference_prefix=reference_prefix, **fields)
    if not store.languages:
        store.languages = [store.default_language]
    _validated(store)
    store.save()
    publish(StoreCreated(store_id=store.pk, actor=actor, slug=store.slug, name=store.name))
    return store


@transaction.atomic
def update_store(store: Store, *, actor: Actor, **changes: Any) -> Store:
    """Change a store's settings; only the fields named in ``changes``.

    Works on a locked fresh copy, so a refused change leaves ``store`` untouched.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ActionError(_("Unknown store fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    fresh = Store.objects.select_for_update().get(pk=store.pk)
    changed = [name for name, value in changes.items() if getattr(fresh, name) != value]
    if not changed:
        return store
    for name in changed:
        setattr(fresh, name, changes[name])
    _validated(fresh)
    fresh.save(update_fields=changed)
    for name in changed:
        setattr(store, name, changes[name])
    publish(StoreUpdated(store_id=store.pk, actor=actor, changed=sorted(changed)))
    return store


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    # Shown once to whoever created the key; only its hash is stored.
    secret: str


def hash_key(raw: str) -> str:
    # The key carries 190+ bits of randomness, so a fast hash cannot be brute-forced;
    # a slow one would only make every API request slow.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_key(
    store: Store, *, actor: Actor, name: str, scopes: list[str], created_by_id: int | None = None
) -> IssuedKey:
    """Issue a new API key for ``store``; the returned secret is never retrievable again."""
    name = name.strip()
    if not name:
        raise ActionError(_("Give the key a name, so you know later what uses it."), field="name")
    valid = set(ApiScope.values)
    bad = [s for s in scopes if s not in valid]
    if bad or not scopes:
        raise ActionError(
            _("Choose scopes from: %(scopes)s") % {"scopes": ", ".join(ApiScope.values)},
            field="scopes",
        )
    prefix = secrets.token_hex(5)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        store=store,
        name=name,
        prefix=prefix,
        key_hash=hash_key(raw),
        scopes=sorted(set(scopes)),
        created_by_id=created_by_id,
    )
    publish(
        ApiKeyCreated(
            store_id=store.pk, actor=actor, api_key_id=key.pk, prefix=prefix, scopes=key.scopes
        )
    )
    return IssuedKey(api_key=key, secret=raw)


@transaction.atomic
def revoke_api_key(key: ApiKey, *, actor: Actor) -> ApiKey:
    """Stop ``key`` from working. Revoking twice is a no-op."""
    if key.revoked_at is not None:
        return key
    key.revoked_at = clock.now()
    key.save(update_fields=["revoked_at"])
    publish(ApiKeyRevoked(store_id=key.store_id, actor=actor, api_key_id=key.pk, prefix=key.prefix))
    return key


def authenticate_api_key(raw: str) -> ApiKey | None:
    """The active key matching ``raw``, or None. Records when the key was last used.

    Usage bookkeeping publishes no event: it changes nothing anyone acts on.
    """
    if not raw.startswith(KEY_PREFIX) or raw.count("_") < 2:
        return None
    prefix = raw[len(KEY_PREFIX) :].split("_", 1)[0]
    key = ApiKey.objects.select_related("store").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(raw)):
        return None
    if key.revoked_at is not None:
        return None
    now = clock.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
