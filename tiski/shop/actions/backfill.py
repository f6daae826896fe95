"""Reading a newly connected shop's past: customers, products and orders."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from tiski.core import clock
from tiski.core.actors import Actor
from tiski.shop.actions.applying import apply_records
from tiski.shop.connectors import BackfillFailed, connector_for
from tiski.shop.models import ShopConnection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackfillResult:
    pages: int
    records: int
    error: str = ""
    done: bool = True


def backfill_shop(
    connection: ShopConnection, *, actor: Actor, max_pages: int | None = None
) -> BackfillResult:
    """Read the shop's records through its API and store them, a page per transaction.

    Each page is stored together with where the next one starts, so a backfill that is
    stopped (or fails) resumes there; once it reaches the end it starts from the
    beginning next time. Stored records are never overwritten by older ones, so
    running it beside live webhooks is safe.
    """
    connector = connector_for(connection.platform)
    pages = records = 0
    try:
        for page in connector.backfill(connection):
            with transaction.atomic():
                apply_records(connection.store, page.records, actor=actor)
                connection.backfill_state = page.state
                connection.last_error = ""
                connection.save(update_fields=["backfill_state", "last_error"])
            pages += 1
            records += len(page.records)
            if max_pages is not None and pages >= max_pages:
                return BackfillResult(pages, records, done=False)
    except BackfillFailed as exc:
        connection.last_error = str(exc)[:2000]
        connection.save(update_fields=["last_error"])
        return BackfillResult(pages, records, error=connection.last_error, done=False)
    connection.backfill_state = {}
    connection.last_backfill_at = clock.now()
    connection.save(update_fields=["backfill_state", "last_backfill_at"])
    return BackfillResult(pages, records)
