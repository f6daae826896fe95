"""Periodic upkeep of conversation data."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from tiski.conversations.models import ConversationEvent
from tiski.core import clock

# Long enough for any client that was offline over a weekend to resume exactly.
EVENT_LOG_RETENTION = timedelta(days=30)


@transaction.atomic
def prune_event_log(*, keep: timedelta = EVENT_LOG_RETENTION) -> int:
    """Drop event-log entries older than ``keep``.

    No event: clients asking for a pruned range get told to reload, and nothing that
    anyone reads (messages, conversation state) is touched.
    """
    deleted, _rows = ConversationEvent.objects.filter(created_at__lt=clock.now() - keep).delete()
    return deleted
