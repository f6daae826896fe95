"""Saved answers ("canned responses") of a store."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tiski.conversations.canned import check_placeholders
from tiski.conversations.events import CannedResponseDeleted, CannedResponseSaved
from tiski.conversations.models import CannedResponse
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.stores.models import Store

MAX_BODY_CHARS = 10_000


def _validate(store: Store, shortcut: str, title: str, body: str, exclude: int | None) -> str:
    clean = slugify(shortcut)[:40]
    if not clean or clean != shortcut.strip().lower():
        raise ActionError(
            _("Shortcuts use lowercase letters, digits and dashes, like return-label."),
            field="shortcut",
        )
    if not title.strip():
        raise ActionError(_("Give the response a title."), field="title")
    if not body.strip() or len(body) > MAX_BODY_CHARS:
        raise ActionError(_("The text must be 1 to 10000 characters long."), field="body")
    check_placeholders(body)
    taken = CannedResponse.objects.filter(store=store, shortcut=clean)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ActionError(_("This shortcut is already in use."), field="shortcut")
    return clean


@transaction.atomic
def save_canned_response(
    store: Store,
    *,
    actor: Actor,
    shortcut: str,
    title: str,
    body: str,
    existing: CannedResponse | None = None,
) -> CannedResponse:
    """Create a canned response, or change ``existing``."""
    if existing is not None and existing.store_id != store.pk:
        raise ActionError(_("The response belongs to another store."))
    clean = _validate(store, shortcut, title, body, existing.pk if existing else None)
    response = existing or CannedResponse(store=store, created_by_id=actor.agent_id)
    response.shortcut = clean
    response.title = title.strip()[:200]
    response.body = body.strip()
    response.save()
    publish(
        CannedResponseSaved(
            store_id=store.pk,
            actor=actor,
            canned_response_id=response.pk,
            shortcut=clean,
            created=existing is None,
        )
    )
    return response


@transaction.atomic
def delete_canned_response(response: CannedResponse, *, actor: Actor) -> None:
    pk, shortcut, store_id = response.pk, response.shortcut, response.store_id
    response.delete()
    publish(
        CannedResponseDeleted(
            store_id=store_id, actor=actor, canned_response_id=pk, shortcut=shortcut
        )
    )
