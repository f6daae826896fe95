"""The row helpers: many rows in one statement, with the fields' own conversions.

Run on SQLite and on PostgreSQL (CI runs both): the two take different SQL paths.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tiski.agents.models import Agent
from tiski.conversations.models import (
    AuthorType,
    CannedResponse,
    Conversation,
    ConversationEvent,
    DeliveryStatus,
    Direction,
    Kind,
    Message,
    Priority,
    Status,
)
from tiski.core import clock
from tiski.core.rows import (
    BULKY_BATCH_CHARS,
    insert_rows,
    insert_values,
    select_rows,
    update_rows,
)
from tiski.mail.models import RawMail, RawMailSource, Via
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


# --- insert_rows, select_rows ------------------------------------------------------------

TRICKY = "50% off %s %(x)s 'quoted' \"double\" back\\slash \\u0000-free Łódź ÅÄÖ 🙂\nnew line"


def _message(conversation: Conversation, seq: int, **fields: object) -> Message:
    defaults: dict[str, object] = {
        "direction": Direction.IN,
        "author_type": AuthorType.CONTACT,
        "kind": Kind.REPLY,
        "body_text": TRICKY,
        "body_html": f"<p>{TRICKY}</p>",
        "external_id": f"x-{seq}",
        "status": DeliveryStatus.RECEIVED,
        "created_at": clock.now().replace(microsecond=654321) - timedelta(minutes=seq),
    }
    return Message(conversation=conversation, seq=seq, **{**defaults, **fields})


def test_inserted_rows_get_their_ids_in_order_and_every_value_round_trips(
    conversation: Conversation, other_conversation: Conversation
) -> None:
    data = {"nested": {"list": [1, 2.5, None, "ä"]}, "flag": True, "text": TRICKY}
    messages = [
        _message(conversation, 101, event_data=data),
        _message(other_conversation, 102, event_data=None, external_id=""),
        _message(conversation, 103, author_label="Bot"),
    ]
    insert_rows(messages)
    assert all(m.pk is not None and not m._state.adding for m in messages)
    assert len({m.pk for m in messages}) == 3
    for sent in messages:
        stored = Message.objects.get(pk=sent.pk)
        assert (stored.conversation_id, stored.seq, stored.external_id) == (
            sent.conversation_id,
            sent.seq,
            sent.external_id,
        )
        assert (stored.body_text, stored.body_html) == (TRICKY, f"<p>{TRICKY}</p>")
        assert stored.created_at == sent.created_at
        assert stored.event_data == sent.event_data
        assert stored.author_label == sent.author_label
        assert stored.status_changed_at is None and stored.error == ""


def test_insert_runs_the_fields_own_defaults_on_save(store: Store, owner: Agent) -> None:
    before = clock.now()
    rows = [
        CannedResponse(store=store, shortcut=f"s{i}", title="T", body=TRICKY, created_by=owner)
        for i in range(2)
    ]
    insert_rows(rows)
    for row in CannedResponse.objects.filter(pk__in=[r.pk for r in rows]):
        assert row.created_at >= before and row.updated_at >= before
        assert row.body == TRICKY


def test_a_failed_insert_leaves_no_row(conversation: Conversation) -> None:
    taken = _message(conversation, 201)
    insert_rows([taken])
    again = [_message(conversation, 202), _message(conversation, 201, external_id="other")]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(again)
    assert not Message.objects.filter(seq=202, conversation=conversation).exists()
    assert again[0].pk is None


def test_insert_refuses_saved_and_mixed_objects(
    conversation: Conversation, store: Store, db: None, django_assert_num_queries: object
) -> None:
    with pytest.raises(ValueError, match="unsaved"):
        insert_rows([conversation])
    with pytest.raises(ValueError, match="one model"):
        insert_rows([_message(conversation, 301), store])
    with django_assert_num_queries(0):  # type: ignore[operator]
        insert_rows([])


def test_selected_rows_are_whole_instances_with_converted_values(
    conversation: Conversation, other_conversation: Conversation
) -> None:
    data = {"k": [1, "ä", None]}
    message = _message(conversation, 401, event_data=data)
    insert_rows([message])
    [loaded] = select_rows(Message, [message.pk])
    assert isinstance(loaded, Message) and not loaded._state.adding
    assert loaded.created_at == message.created_at and loaded.created_at.tzinfo is not None
    assert loaded.event_data == data
    assert loaded.body_text == TRICKY
    ids = [other_conversation.pk, conversation.pk]
    with transaction.atomic():
        locked = select_rows(Conversation, ids, for_update=True)
    assert [c.pk for c in locked] == sorted(ids)
    assert locked[0].last_message_at == Conversation.objects.get(pk=locked[0].pk).last_message_at
    assert select_rows(Conversation, [10**9]) == []
    assert select_rows(Conversation, []) == []


def test_a_joined_key_comes_along_in_the_same_query_and_only_the_rows_are_locked(
    conversation: Conversation, other_conversation: Conversation
) -> None:
    ids = [other_conversation.pk, conversation.pk]
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            locked = select_rows(Conversation, ids, for_update=True, joined="contact")
            names = [c.contact.name for c in locked]
            created = [c.contact.created_at for c in locked]
        assert len(queries) == 1
        if connection.vendor == "postgresql":
            assert queries[0]["sql"].rstrip().endswith('FOR UPDATE OF "conversations_conversation"')
    expected = {c.pk: c.contact for c in (conversation, other_conversation)}
    assert [c.pk for c in locked] == sorted(ids)
    assert names == [expected[c.pk].name for c in locked]
    assert all(when is not None and when.tzinfo is not None for when in created)
    with pytest.raises(ValueError, match="not a required foreign key"):
        select_rows(Conversation, ids, joined="merged_into")


def _bulky_message(
    conversation: Conversation, seq: int, body: str, *, external_id: str = ""
) -> Message:
    return Message(
        conversation=conversation,
        seq=seq,
        direction=Direction.IN,
        author_type=AuthorType.CONTACT,
        kind=Kind.REPLY,
        body_text=body,
        body_html=f"<p>{body}</p>",
        external_id=external_id,
        status=DeliveryStatus.RECEIVED,
        created_at=clock.now(),
    )


def test_bulky_rows_are_stored_as_they_are_and_seen_by_the_query_log(
    conversation: Conversation,
) -> None:
    # Over BULKY_BATCH_CHARS: on PostgreSQL these go as bound parameters, not JSON.
    bodies = ["ä\u2022\x01\t\n" + "x" * (BULKY_BATCH_CHARS // 2), "ö" * 10, "€" * BULKY_BATCH_CHARS]
    messages = [_bulky_message(conversation, 100 + i, body) for i, body in enumerate(bodies)]
    with CaptureQueriesContext(connection) as captured:
        insert_rows(messages)
    assert len(captured) == 1
    assert [m.pk for m in messages] == sorted(m.pk for m in messages)
    stored = {m.pk: (m.body_text, m.body_html, m.seq) for m in Message.objects.filter(seq__gte=100)}
    assert stored == {m.pk: (m.body_text, m.body_html, m.seq) for m in messages}


def test_bulky_rows_break_a_constraint_as_django_errors_do(conversation: Conversation) -> None:
    big = "x" * BULKY_BATCH_CHARS
    insert_rows([_bulky_message(conversation, 200, big, external_id="e1")])
    with pytest.raises(IntegrityError), transaction.atomic():
        # The same sequence number twice in one conversation.
        insert_rows(
            [_bulky_message(conversation, 201, big), _bulky_message(conversation, 200, big)]
        )
    assert list(Message.objects.filter(seq__gte=200).values_list("seq", flat=True)) == [200]


def test_raw_bytes_are_stored_exactly_under_a_key_of_their_own(store: Store) -> None:
    sources = [bytes(range(256)) * 3, b"\x00\xff" * 40_000]
    raws = [
        RawMail(via=Via.FILE, size=len(source), sha256="-", received_at=clock.now())
        for source in sources
    ]
    insert_rows(raws)
    # The primary key is the raw mail's (one-to-one): written, not handed out.
    rows = [RawMailSource(raw=raw, data=source) for raw, source in zip(raws, sources, strict=True)]
    insert_rows(rows)
    assert [row.pk for row in rows] == [raw.pk for raw in raws]
    assert [RawMail.objects.get(pk=raw.pk).source for raw in raws] == sources
    with pytest.raises(ValueError, match="unsaved"):
        insert_rows([RawMail.objects.get(pk=raws[0].pk)])


# --- insert_values, and values prepared as their fields prepare them -------------------


def test_inserted_values_round_trip_without_instances_or_ids(
    conversation: Conversation, other_conversation: Conversation
) -> None:
    when = clock.now().replace(microsecond=111111)
    payload = {"type": "message.created", "text": TRICKY, "list": [1, 2.5, None, True]}
    fields = ("conversation_id", "seq", "type", "payload", "public", "created_at")
    insert_values(
        ConversationEvent,
        fields,
        [
            (conversation.pk, 7, "message.created", payload, True, when),
            (other_conversation.pk, 8, "note.added", {}, False, when),
        ],
    )
    stored = list(
        ConversationEvent.objects.filter(seq__in=[7, 8]).order_by("seq").values_list(*fields)
    )
    assert stored == [
        (conversation.pk, 7, "message.created", payload, True, when),
        (other_conversation.pk, 8, "note.added", {}, False, when),
    ]


def test_inserted_values_break_a_constraint_as_django_errors_do(
    conversation: Conversation,
) -> None:
    row: tuple[object, ...] = (conversation.pk, 9, "x", {}, False, clock.now())
    fields = ("conversation_id", "seq", "type", "payload", "public", "created_at")
    insert_values(ConversationEvent, fields, [row])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_values(
            ConversationEvent, fields, [(conversation.pk, 10, "y", {}, False, row[5]), row]
        )
    assert ConversationEvent.objects.filter(conversation=conversation, seq=10).count() == 0
    with pytest.raises(ValueError, match="cannot write 'labels'"):
        insert_values(Conversation, ("labels",), [([],)])


def test_values_other_than_their_fields_plain_type_are_prepared_by_the_field(
    conversation: Conversation,
) -> None:
    # A str enum, a number as text and a naive datetime are not the fields' plain types:
    # the field's own preparation runs (the enum's value, int(), the naive-time warning).
    conversation.status = Status.PENDING
    conversation.last_seq = "41"
    naive = (clock.now() - timedelta(hours=1)).replace(tzinfo=None)
    conversation.waiting_since = naive
    with (
        pytest.warns(RuntimeWarning, match="naive datetime"),
        CaptureQueriesContext(connection) as queries,
    ):
        update_rows([conversation], ["status", "last_seq", "waiting_since"])
    if connection.vendor == "postgresql":
        # The database would cast "41" itself: the row sent must already be prepared.
        sent = queries[-1]["sql"]
        assert '"last_seq":41' in sent and '"status":"pending"' in sent
    stored = Conversation.objects.get(pk=conversation.pk)
    assert (stored.status, stored.last_seq) == ("pending", 41)
    assert stored.waiting_since is not None and stored.waiting_since.tzinfo is not None
