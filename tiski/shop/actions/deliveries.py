"""Webhooks in: stored exactly as they came, then applied by the batch.

``receive_delivery`` keeps the body (a delivery id seen before is a duplicate and keeps
nothing new). ``apply_pending_deliveries``, run by every worker, applies what is stored,
oldest first, many at once: the records of a whole batch go through ``apply_records``
together, which is what lets one process keep up with a shop's busiest hour.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connections, router, transaction
from django.utils.translation import gettext as _

from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.rows import insert_rows, update_rows
from tiski.shop.actions.applying import apply_records
from tiski.shop.actions.common import Outcome
from tiski.shop.connectors import MalformedPayload, WebhookMeta, connector_for
from tiski.shop.models import DeliveryStatus, ShopConnection, WebhookDelivery
from tiski.shop.records import Record
from tiski.stores.models import Store

logger = logging.getLogger(__name__)

# Deliveries applied in one transaction.
BATCH = 200
# A shipment or refund whose order (a stock level whose product) is not stored yet is
# tried again this many times, this far apart (that record's own webhook is usually a
# moment behind), then fails.
MISSING_ATTEMPTS = 5
MISSING_RETRY = timedelta(seconds=30)
_FINISHED = ["status", "error", "attempts", "applied_at", "received_at"]


@dataclass(frozen=True)
class DeliveryIn:
    platform: str
    meta: WebhookMeta
    body: bytes


@dataclass(frozen=True)
class Received:
    delivery: WebhookDelivery
    duplicate: bool


def receive_delivery(store: Store, delivery: DeliveryIn) -> Received:
    """Store a verified webhook before anything reads it (see receive_deliveries)."""
    return receive_deliveries([(store, delivery)])[0]


def receive_deliveries(deliveries: Sequence[tuple[Store, DeliveryIn]]) -> list[Received]:
    """Store verified webhooks before anything reads them, all in one transaction (the
    webhook intake commits everything that arrived meanwhile at once, as the chat
    writer does). A delivery id stored before, or twice in the batch, is a duplicate.

    Each stored delivery's status says what comes next: RECEIVED (to apply), IGNORED (a
    topic Tiski does not use), FAILED (the body is not JSON: the platform hears 400, the
    body stays visible).
    """
    now = clock.now()
    rows = [_row(store, delivery, now) for store, delivery in deliveries]
    # Most deliveries are new: first without asking the database which ones it has (one
    # round trip less per batch); a delivery stored before breaks the insert, and then
    # the batch is sorted out by looking.
    try:
        with transaction.atomic():
            results, fresh = _sort(rows, {})
            insert_rows(fresh)
    except IntegrityError:
        rows = [_row(store, delivery, now) for store, delivery in deliveries]
        results, fresh = _sort(rows, _stored_among([row for row in rows if row.delivery_id]))
        try:
            with transaction.atomic():
                insert_rows(fresh)
        except IntegrityError:
            # Stored a moment ago by another process: one by one, each then finds it.
            if len(deliveries) > 1:
                return [receive_delivery(store, delivery) for store, delivery in deliveries]
            raise
    if any(row.status == DeliveryStatus.RECEIVED for row in fresh):
        transaction.on_commit(_wake_appliers)
    return results


def _sort(
    rows: list[WebhookDelivery], stored: dict[tuple[int, str, str], WebhookDelivery]
) -> tuple[list[Received], list[WebhookDelivery]]:
    """Each row's result, and the rows to insert: a delivery id stored before or earlier
    in the batch is a duplicate."""
    results: list[Received] = []
    fresh: list[WebhookDelivery] = []
    seen: dict[tuple[int, str, str], WebhookDelivery] = {}
    for row in rows:
        key = (row.store_id, row.platform, row.delivery_id)
        known = (stored.get(key) or seen.get(key)) if row.delivery_id else None
        if known is not None:
            results.append(Received(known, duplicate=True))
            continue
        if row.delivery_id:
            seen[key] = row
        fresh.append(row)
        results.append(Received(row, duplicate=False))
    return results, fresh


def _row(store: Store, delivery: DeliveryIn, now: datetime) -> WebhookDelivery:
    meta = delivery.meta
    row = WebhookDelivery(
        store=store,
        platform=delivery.platform,
        topic=meta.topic[:100],
        delivery_id=meta.delivery_id[:100],
        triggered_at=meta.triggered_at,
        body=bytes(delivery.body),
        received_at=now,
    )
    if not connector_for(delivery.platform).handles(row.topic):
        row.status = DeliveryStatus.IGNORED
    else:
        try:
            json.loads(delivery.body)
        except ValueError as exc:
            row.status = DeliveryStatus.FAILED
            row.error = _("The body is not JSON: %(error)s") % {"error": exc}
    return row


def _stored_among(
    rows: Sequence[WebhookDelivery],
) -> dict[tuple[int, str, str], WebhookDelivery]:
    """Deliveries stored before with the same (store, platform, delivery id)."""
    if not rows:
        return {}
    found = WebhookDelivery.objects.filter(
        store__in={row.store_id for row in rows},
        delivery_id__in={row.delivery_id for row in rows},
    ).defer("body")
    return {(d.store_id, d.platform, d.delivery_id): d for d in found}


def _wake_appliers() -> None:
    from tiski.shop.applier import wake

    wake()


def retry_delivery(delivery: WebhookDelivery) -> WebhookDelivery:
    """Apply a failed delivery again (after the shop or Tiski fixed what failed it)."""
    if delivery.status not in (DeliveryStatus.FAILED, DeliveryStatus.RECEIVED):
        raise ActionError(_("Only a failed or waiting delivery can be applied again."))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.RECEIVED, error="", attempts=0
    )
    apply_pending_deliveries(only=[delivery.pk])
    delivery.refresh_from_db()
    return delivery


def apply_pending_deliveries(*, limit: int = BATCH, only: Sequence[int] = ()) -> int:
    """Apply up to ``limit`` stored deliveries, oldest first; returns how many were
    taken. Several workers may run it at once: each takes rows nobody else holds."""
    with transaction.atomic():
        deliveries = _claim(limit, only)
        if not deliveries:
            return 0
        try:
            with transaction.atomic():
                _apply(deliveries)
        except Exception:
            # Something in the batch broke it (a bug, a constraint, a concurrent insert
            # of the same order): one at a time, so only that delivery fails.
            logger.exception("a batch of %d deliveries failed; one at a time", len(deliveries))
            for delivery in deliveries:
                delivery.attempts -= 1
                _apply_alone(delivery)
        update_rows(deliveries, _FINISHED)
    return len(deliveries)


def _claim(limit: int, only: Sequence[int]) -> list[WebhookDelivery]:
    pending = WebhookDelivery.objects.filter(
        status=DeliveryStatus.RECEIVED, received_at__lte=clock.now()
    )
    if only:
        pending = pending.filter(pk__in=only)
    connection = connections[router.db_for_write(WebhookDelivery)]
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True)
    # select_for_update() cannot lock the nullable side of an outer join: the
    # connection is read after the claim.
    claimed = list(pending.select_related("store").order_by("received_at", "id")[:limit])
    connections_by_store = {
        c.store_id: c
        for c in ShopConnection.objects.filter(store__in={d.store_id for d in claimed})
    }
    for delivery in claimed:
        if delivery.store_id in connections_by_store:
            delivery.store.shop_connection = connections_by_store[delivery.store_id]
    return claimed


def _apply_alone(delivery: WebhookDelivery) -> None:
    try:
        with transaction.atomic():
            _apply([delivery])
    except Exception as exc:
        logger.exception("could not apply webhook delivery %s", delivery.pk)
        _finish(delivery, DeliveryStatus.FAILED, f"{type(exc).__name__}: {exc}")


def _apply(deliveries: list[WebhookDelivery]) -> None:
    """Read every delivery's records, apply them per store in one go, and mark each
    delivery by what became of its records."""
    parts: dict[int, list[tuple[WebhookDelivery, list[Record]]]] = {}
    for delivery in deliveries:
        delivery.attempts += 1
        connector = connector_for(delivery.platform)
        meta = WebhookMeta(delivery.topic, delivery.delivery_id, delivery.triggered_at)
        try:
            payload = json.loads(bytes(delivery.body))
            shop = getattr(delivery.store, "shop_connection", None)
            records = connector.records(delivery.topic, payload, meta, connection=shop)
        except (MalformedPayload, ValueError) as exc:
            _finish(delivery, DeliveryStatus.FAILED, str(exc))
            continue
        parts.setdefault(delivery.store_id, []).append((delivery, records))
    for batch in parts.values():
        store = batch[0][0].store
        flat = [record for _delivery, records in batch for record in records]
        outcomes = iter(apply_records(store, flat, actor=Actor.system("shop")))
        for delivery, records in batch:
            _settle(delivery, [next(outcomes) for _record in records])


def _settle(delivery: WebhookDelivery, outcomes: list[Outcome]) -> None:
    if Outcome.MISSING in outcomes:
        if delivery.attempts < MISSING_ATTEMPTS:
            # Its order is probably a moment behind: wait, then try again.
            delivery.received_at = clock.now() + MISSING_RETRY
            _finish(
                delivery,
                DeliveryStatus.RECEIVED,
                _("Waiting for the order or product this webhook refers to."),
            )
        else:
            _finish(
                delivery,
                DeliveryStatus.FAILED,
                _("The order or product this webhook refers to is not in Tiski."),
            )
    elif outcomes and all(outcome == Outcome.STALE for outcome in outcomes):
        _finish(delivery, DeliveryStatus.STALE)
    else:
        _finish(delivery, DeliveryStatus.APPLIED)


def _finish(delivery: WebhookDelivery, status: str, error: str = "") -> None:
    delivery.status = status
    delivery.error = error[:2000]
    delivery.applied_at = clock.now() if status != DeliveryStatus.RECEIVED else None
