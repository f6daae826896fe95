"""Background work of conversations."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from tiski.conversations.delivery import TemporaryDeliveryError, deliver
from tiski.conversations.models import DeliveryStatus, Message
from tiski.core.actors import Actor

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def backoff(attempt: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min, ~2 h between attempts."""
    return timedelta(seconds=30 * 4 ** (attempt - 1))


@task()
def deliver_message(message_id: int, attempt: int = 1) -> str:
    """Send a queued reply on its channel; retry temporary failures with backoff."""
    from tiski.conversations.actions import mark_delivery

    message = (
        Message.objects.select_related(
            "conversation__store", "conversation__contact", "author_agent"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.status != DeliveryStatus.QUEUED:
        # Deleted, or already handled by an earlier run of this task.
        return "skipped"
    actor = Actor.system("delivery")
    try:
        outcome = deliver(message)
    except TemporaryDeliveryError as exc:
        if attempt >= MAX_ATTEMPTS:
            mark_delivery(message, status=DeliveryStatus.FAILED, actor=actor, error=str(exc))
            return "failed"
        logger.warning("delivery of message %s failed (attempt %s): %s", message_id, attempt, exc)
        # Still queued, with the reason beside it: the agent sees why it has not gone
        # yet; the next attempt's outcome replaces it.
        mark_delivery(message, status=DeliveryStatus.QUEUED, actor=actor, error=str(exc))
        deliver_message.using(run_after=timezone.now() + backoff(attempt)).enqueue(
            message_id, attempt + 1
        )
        return "retrying"
    except Exception as exc:
        # A bug, or a message no server would take: trying again would fail the same
        # way, and a message left queued would say nothing to the agent.
        logger.exception("delivery of message %s failed", message_id)
        mark_delivery(
            message,
            status=DeliveryStatus.FAILED,
            actor=actor,
            error=f"{type(exc).__name__}: {exc}",
        )
        return "failed"
    mark_delivery(
        message,
        status=outcome.status,
        actor=actor,
        error=outcome.error,
        external_id=outcome.external_id,
    )
    return outcome.status
