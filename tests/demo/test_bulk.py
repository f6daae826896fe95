"""`tiski demo --conversations N`: the bulk loader's rows are consistent with the actions'.

The data is generated once per module (seeding the demo shops takes seconds) outside
any test transaction, so it is committed as in real use; each test then runs in its
own transaction and the module flushes the database at the end.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Min
from django.utils import timezone

from tiski.agents.models import Agent, Membership
from tiski.contacts.identities import normalize_identity
from tiski.contacts.models import Contact, ContactIdentity, IdentityKind
from tiski.conversations import actions, queries
from tiski.conversations.models import (
    UNRESOLVED,
    Conversation,
    ConversationEvent,
    ConversationLabel,
    Label,
    Message,
    Status,
)
from tiski.core.actors import Actor
from tiski.core.html import text_to_html
from tiski.demo.bulk import BulkStats, generate, generate_conversation
from tiski.demo.seed import seed_demo
from tiski.stores.models import Store

OWNER = "johanna@tunturikettu.example"
FIRST_RUN = 300
SECOND_RUN = 250  # in chunks of 100: numbering and ids continue across chunks and runs


@dataclass(frozen=True)
class Generated:
    stats: BulkStats  # of the second run
    max_conversation_before: int
    max_conversation_between: int  # after the first run, before the second
    max_contact_before: int
    counters_before: dict[int, int]
    progress: list[str]

    def conversations(self):
        return Conversation.objects.filter(pk__gt=self.max_conversation_before)

    def messages(self):
        return Message.objects.filter(conversation_id__gt=self.max_conversation_before)

    def contacts(self):
        return Contact.objects.filter(pk__gt=self.max_contact_before)


def _max(model) -> int:
    return model.objects.aggregate(top=Max("pk"))["top"] or 0


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker) -> Iterator[Generated]:
    with django_db_blocker.unblock():
        try:
            seed_demo()
            before = dict(Store.objects.values_list("pk", "last_conversation_number"))
            max_conversation, max_contact = _max(Conversation), _max(Contact)
            # Through the command, as `make bench-data` does; it finds the shops seeded.
            call_command("demo", conversations=FIRST_RUN, seed=7, stdout=io.StringIO())
            between = _max(Conversation)
            lines: list[str] = []
            second = generate(SECOND_RUN, seed=8, chunk_size=100, progress=lines.append)
            yield Generated(
                stats=second,
                max_conversation_before=max_conversation,
                max_conversation_between=between,
                max_contact_before=max_contact,
                counters_before=before,
                progress=lines,
            )
        finally:
            call_command("flush", interactive=False, verbosity=0)


pytestmark = pytest.mark.django_db


def test_counts_are_as_requested(generated: Generated) -> None:
    total = FIRST_RUN + SECOND_RUN
    assert generated.conversations().count() == total
    assert generated.stats.conversations == SECOND_RUN
    second_run = Message.objects.filter(conversation_id__gt=generated.max_conversation_between)
    assert generated.stats.messages == second_run.count()
    messages = generated.messages().count()
    assert 4.0 * total <= messages <= 6.0 * total  # 5 per conversation on average
    contacts = generated.contacts().count()
    assert 0.25 * total <= contacts <= 0.45 * total
    # Every chunk reported its progress.
    assert len(generated.progress) == 3
    assert generated.progress[-1].startswith(f"{SECOND_RUN}/{SECOND_RUN} conversations")
    # The event log is pruned history: bulk conversations have none.
    assert not ConversationEvent.objects.filter(
        conversation_id__gt=generated.max_conversation_before
    ).exists()


def test_status_channel_and_assignment_mix(generated: Generated) -> None:
    rows = list(generated.conversations().values("status", "channel", "assignee_id", "store_id"))
    statuses = Counter(r["status"] for r in rows)
    assert statuses[Status.CLOSED] + statuses[Status.RESOLVED] > 0.75 * len(rows)
    assert statuses[Status.OPEN] > 0
    assert Counter(r["channel"] for r in rows)["chat"] > 0.35 * len(rows)
    assert all(r["assignee_id"] for r in rows if r["status"] != Status.OPEN)
    stores = Counter(r["store_id"] for r in rows)
    assert len(stores) == 2
    assert min(stores.values()) > 0.25 * len(rows)
    members = defaultdict(set)
    for agent_id, store_id in Membership.objects.values_list("agent_id", "store_id"):
        members[store_id].add(agent_id)
    assert all(r["assignee_id"] in members[r["store_id"]] for r in rows if r["assignee_id"])
    # Labels and teams come from the conversation's own store.
    for cl in ConversationLabel.objects.filter(
        conversation_id__gt=generated.max_conversation_before
    ).select_related("conversation", "label"):
        assert cl.label.store_id == cl.conversation.store_id
    for conversation in generated.conversations().filter(team__isnull=False).select_related("team"):
        assert conversation.team.store_id == conversation.store_id


def test_sequence_numbers_are_contiguous(generated: Generated) -> None:
    per_conversation = {
        row["conversation_id"]: row
        for row in generated.messages()
        .values("conversation_id")
        .annotate(n=Count("id"), lo=Min("seq"), hi=Max("seq"))
    }
    for conversation in generated.conversations():
        row = per_conversation[conversation.pk]
        # With the unique (conversation, seq) constraint this means exactly 1..n.
        assert (row["lo"], row["hi"], row["n"]) == (1, conversation.last_seq, conversation.last_seq)


def test_denormalised_fields_agree_with_the_messages(generated: Generated) -> None:
    timelines: dict[int, list[Message]] = defaultdict(list)
    for message in generated.messages().order_by("conversation_id", "seq"):
        timelines[message.conversation_id].append(message)
    now = timezone.now()
    members = defaultdict(set)
    for agent_id, store_id in Membership.objects.values_list("agent_id", "store_id"):
        members[store_id].add(agent_id)
    for conversation in generated.conversations():
        messages = timelines[conversation.pk]
        assert messages[0].direction == "in"
        assert messages[0].created_at == conversation.created_at
        times = [m.created_at for m in messages]
        assert times == sorted(times)
        assert times[-1] <= now
        replies = [m for m in messages if m.kind == "reply"]
        last = replies[-1]
        assert conversation.last_message_at == last.created_at
        assert conversation.last_message_direction == last.direction
        assert conversation.last_message_preview == " ".join(last.body_text.split())[:200]
        outbound = [m for m in replies if m.direction == "out"]
        assert conversation.first_response_at == (outbound[0].created_at if outbound else None)
        if conversation.status in UNRESOLVED and last.direction == "in":
            assert conversation.waiting_since is not None
            assert conversation.waiting_since <= last.created_at
            # Nothing the desk said since the customer started waiting.
            assert not [m for m in outbound if m.created_at >= conversation.waiting_since]
        else:
            assert conversation.waiting_since is None
        if conversation.status in (Status.RESOLVED, Status.CLOSED):
            assert conversation.resolved_at is not None
            assert conversation.resolved_at >= conversation.last_message_at
        else:
            assert conversation.resolved_at is None
        if conversation.status == Status.SNOOZED:
            assert conversation.snoozed_until is not None
            assert conversation.snoozed_until > now
        else:
            assert conversation.snoozed_until is None
        for message in messages:
            assert message.external_id == ""
            assert message.body_html == text_to_html(message.body_text)
            if message.direction == "in":
                assert (message.author_type, message.status) == ("contact", "received")
                assert message.author_agent_id is None
                assert message.kind == "reply"
            else:
                assert message.author_type == "agent"
                assert message.author_agent_id in members[conversation.store_id]
                if conversation.assignee_id:
                    assert message.author_agent_id == conversation.assignee_id
                expected = "stored" if message.kind == "note" else "sent"
                assert message.status == expected


def test_numbers_continue_and_counters_advance(generated: Generated) -> None:
    for store in Store.objects.all():
        numbers = list(
            generated.conversations().filter(store=store).values_list("number", flat=True)
        )
        start = generated.counters_before[store.pk]
        assert sorted(numbers) == list(range(start + 1, start + len(numbers) + 1))
        top = Conversation.objects.filter(store=store).aggregate(top=Max("number"))["top"]
        assert store.last_conversation_number == top
    # Within a chunk, numbers follow creation time.
    first_chunk = generated.conversations().filter(store__slug="tunturikettu").order_by("pk")
    stamps = [c.created_at for c in first_chunk[:100]]
    assert stamps == sorted(stamps)


def test_identities(generated: Generated) -> None:
    contacts = list(generated.contacts().prefetch_related("identities"))
    phones = 0
    for contact in contacts:
        kinds = Counter(i.kind for i in contact.identities.all())
        assert kinds[IdentityKind.EMAIL] == 1
        assert kinds[IdentityKind.PHONE] <= 1
        phones += kinds[IdentityKind.PHONE]
        for identity in contact.identities.all():
            assert identity.store_id == contact.store_id
            country = "PL" if identity.value.startswith("+48") else "FI"
            # Stored in the canonical form the actions would have produced.
            assert normalize_identity(identity.kind, identity.value, country=country) == (
                identity.value
            )
        assert re.fullmatch(r"[a-z-]+\.[a-z-]+\.\d+@example\.(fi|pl)", contact.email)
        assert contact.conversations.exists()
    assert 0.2 * len(contacts) <= phones <= 0.6 * len(contacts)
    values = ContactIdentity.objects.values_list("store_id", "kind", "value")
    assert len(set(values)) == len(values)


def test_polish_surnames_agree_with_the_first_name(generated: Generated) -> None:
    polish = list(generated.contacts().filter(language="pl").values_list("name", flat=True))
    assert polish
    adjectival = re.compile(r"(ski|cki|dzki|ska|cka|dzka)$")
    feminine = 0
    for name in polish:
        first, last = name.split(" ", 1)
        if not adjectival.search(last):
            continue
        if first.endswith("a"):
            assert last.endswith(("ska", "cka", "dzka")), name
            feminine += 1
        else:
            assert last.endswith(("ski", "cki", "dzki")), name
    assert feminine, "the seed should produce at least one -ska"


def test_actions_still_work_afterwards(generated: Generated) -> None:
    conversation = generated.conversations().order_by("-pk").first()
    assert conversation is not None
    agent = Agent.objects.filter(memberships__store_id=conversation.store_id).first()
    assert agent is not None
    highest_message = generated.messages().aggregate(top=Max("pk"))["top"]
    note = actions.add_note(
        conversation, actor=Actor.for_agent(agent), author=agent, text="Checked by the tests."
    )
    assert note.seq == conversation.last_seq + 1
    # The id sequence was moved past the reserved blocks: no collision, a fresh id.
    assert note.pk > highest_message
    conversation.refresh_from_db()
    assert conversation.last_seq == note.seq
    # A fresh conversation gets the next number and an id above every generated one.
    contact = generated.contacts().filter(store_id=conversation.store_id).first()
    assert contact is not None
    store = Store.objects.get(pk=conversation.store_id)
    started = actions.start_conversation(
        store, contact, channel="email", actor=Actor.for_agent(agent), subject="Again"
    )
    assert started.number == store.last_conversation_number + 1
    assert started.pk > conversation.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequences are PostgreSQL's")
def test_sequences_were_advanced_past_the_blocks(generated: Generated) -> None:
    with connection.cursor() as cursor:
        for model in (Contact, ContactIdentity, Conversation, ConversationLabel, Message):
            table = model._meta.db_table
            cursor.execute(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')::regclass)",
                [table],
            )
            (last,) = cursor.fetchone()
            assert last >= _max(model), table


def test_inbox_lists_generated_rows_newest_first(generated: Generated) -> None:
    owner = Agent.objects.get(email=OWNER)
    own_stores = set(queries.store_ids_for(owner))
    rows = list(queries.inbox(owner, queries.InboxView(kind="all", status="all")))
    keys = [(c.last_message_at, c.pk) for c in rows]
    assert keys == sorted(keys, reverse=True)
    listed = {c.pk for c in rows}
    visible = set(
        generated.conversations().filter(store_id__in=own_stores).values_list("pk", flat=True)
    )
    assert visible
    assert visible <= listed
    assert all(c.store_id in own_stores for c in rows)
    # The first page of the open ones, as the inbox shows it.
    page, _cursor = queries.page(
        queries.inbox(owner, queries.InboxView(kind="all", status="open")), cursor=None
    )
    assert page
    assert all(c.status == Status.OPEN for c in page)
    assert [c.last_message_at for c in page] == sorted(
        (c.last_message_at for c in page), reverse=True
    )
    assert any(c.pk > generated.max_conversation_before for c in page)
    assert page[0].last_message_at > timezone.now() - timedelta(days=60)


def test_labels_belong_to_the_store(generated: Generated) -> None:
    labelled = ConversationLabel.objects.filter(
        conversation_id__gt=generated.max_conversation_before
    )
    per_conversation = Counter(labelled.values_list("conversation_id", flat=True))
    assert per_conversation
    assert set(per_conversation.values()) <= {1, 2}
    assert Label.objects.filter(pk__in=labelled.values("label_id")).exists()


def test_one_long_conversation(generated: Generated) -> None:
    conversation = generate_conversation(40, seed=3)
    assert conversation.store.slug == "tunturikettu"
    assert conversation.status == Status.OPEN
    assert conversation.last_seq == 40
    seqs = list(conversation.messages.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 41))
