"""update_rows: many rows' columns in one statement, with the field's own conversions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tiski.conversations.models import Conversation, Priority, Status
from tiski.core import clock
from tiski.core.rows import update_rows
from tiski.stores.models import Store


def test_the_named_columns_are_written_and_nothing_else(
    conversation: Conversation, other_conversation: Conversation
) -> None:
    when = clock.now().replace(microsecond=123456) - timedelta(days=3)
    untouched_subject = conversation.subject
    conversation.status = Status.PENDING
    conversation.waiting_since = when
    conversation.snoozed_until = None
    conversation.subject = "changed in memory only"
    other_conversation.status = Status.RESOLVED
    other_conversation.waiting_since = None
    other_conversation.priority = Priority.URGENT  # not among the fields: not written
    update_rows([conversation, other_conversation], ["status", "waiting_since", "snoozed_until"])
    first = Conversation.objects.get(pk=conversation.pk)
    second = Conversation.objects.get(pk=other_conversation.pk)
    assert (first.status, first.waiting_since, first.subject) == (
        Status.PENDING,
        when,
        untouched_subject,
    )
    assert (second.status, second.waiting_since) == (Status.RESOLVED, None)
    assert second.priority != Priority.URGENT


def test_a_foreign_key_is_written_by_its_column(
    conversation: Conversation, other_store: Store
) -> None:
    conversation.store = other_store
    update_rows([conversation], ["store"])
    assert Conversation.objects.get(pk=conversation.pk).store_id == other_store.pk


def test_nothing_to_write_is_no_query(db: None, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        update_rows([], ["status"])


def test_mixed_models_and_the_primary_key_are_refused(
    conversation: Conversation, store: Store
) -> None:
    with pytest.raises(ValueError, match="one model"):
        update_rows([conversation, store], ["status"])
    with pytest.raises(ValueError, match="cannot write 'id'"):
        update_rows([conversation], ["id"])
    with pytest.raises(ValueError, match="cannot write"):
        update_rows([conversation], ["labels"])
