"""Bulk-generated synthetic history for scale tests: ``tiski demo --conversations N``.

This is a loader, not a replay: rows are written straight into the tables with
PostgreSQL ``COPY ... FROM STDIN`` (SQLite: ``executemany``), bypassing
:mod:`tiski.conversations.actions` on purpose. A million conversations through the
actions would take hours, and none of what the actions add matters for history this
old: no events are published, no tasks are queued, no ``ConversationEvent`` rows are
kept (that log is pruned history by design), no delivery happens.

What the inbox relies on is kept consistent by construction instead:

* ``Message.seq`` runs 1..n per conversation and ``Conversation.last_seq`` is n;
* ``last_message_at`` / ``_preview`` / ``_direction`` describe the last message of kind
  "reply" (notes don't count), ``first_response_at`` is the first outbound reply,
  ``waiting_since`` is set only while unresolved and the customer spoke last (as the
  actions do: the first inbound reply since the desk's last reply);
* ``Conversation.number`` continues each store's counter, which is advanced;
* primary keys are reserved in blocks from each table's sequence (PostgreSQL) or above
  ``MAX(id)`` (SQLite), so the actions' normal inserts afterwards get fresh ids.

Rows go into the demo shops (``seed_demo`` must have run), with their agents, teams and
labels, in chunks of :data:`CHUNK_SIZE` conversations: one transaction per chunk, a
bounded amount of memory whatever N is. The schema is left alone (no index is dropped);
PostgreSQL gets an ``ANALYZE`` of the touched tables at the end.
"""

from __future__ import annotations

import html
import random
import time
import unicodedata
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Max
from django.db.models.fields import NOT_PROVIDED

from tiski.agents.models import Membership, Team
from tiski.contacts.models import Contact, ContactIdentity, IdentityKind
from tiski.conversations.actions.timeline import PREVIEW_CHARS
from tiski.conversations.models import (
    AuthorType,
    Channel,
    Conversation,
    ConversationLabel,
    DeliveryStatus,
    Direction,
    Kind,
    Label,
    Message,
    Priority,
    Status,
)
from tiski.core import clock
from tiski.demo.content import STORES
from tiski.demo.vocabulary import (
    BULK_AGENT_LINES,
    BULK_CUSTOMER_LINES,
    BULK_PRODUCTS,
    BULK_SUBJECTS,
    FIRST_NAMES,
    LAST_NAMES,
)
from tiski.stores.models import Store

# Conversations per transaction; about five times as many messages.
CHUNK_SIZE = 25_000
# Share of the generated conversations per demo shop, in the order of content.STORES.
STORE_WEIGHTS = (0.6, 0.4)

DAY = 86_400.0
HISTORY_DAYS = 730  # resolved and closed conversations start within the last two years
RECENT_DAYS = 45  # still unresolved ones within the last weeks

STATUS_WEIGHTS = {
    Status.OPEN: 0.06,
    Status.PENDING: 0.04,
    Status.SNOOZED: 0.01,
    Status.RESOLVED: 0.40,
    Status.CLOSED: 0.49,
}
CHANNEL_WEIGHTS = {Channel.CHAT: 0.50, Channel.EMAIL: 0.40, Channel.PHONE: 0.05, Channel.API: 0.05}
PRIORITY_WEIGHTS = {
    Priority.NORMAL: 0.85,
    Priority.HIGH: 0.08,
    Priority.LOW: 0.05,
    Priority.URGENT: 0.02,
}
UNASSIGNED_OPEN_SHARE = 0.5
TEAM_SHARE = 0.4
LABEL_SHARE = 0.3
PHONE_SHARE = 0.4
NOTE_SHARE = 0.05  # of the agent's turns
MAX_MESSAGES = 12  # with the default average; more when a higher average is asked for
CONTACTS_PER_CONVERSATION = 1 / 3

# Mean seconds until the other side answers, per channel: (agent answers, customer answers).
_GAPS = {
    Channel.CHAT: (240.0, 180.0),
    Channel.PHONE: (120.0, 600.0),
    Channel.EMAIL: (5 * 3600.0, 10 * 3600.0),
    Channel.API: (3 * 3600.0, 8 * 3600.0),
}

UNRESOLVED = frozenset({Status.OPEN, Status.PENDING, Status.SNOOZED})


@dataclass(frozen=True)
class BulkStats:
    conversations: int
    messages: int
    contacts: int


# --- what is known about each demo shop -------------------------------------------------


@dataclass
class _Store:
    id: int
    country: str
    languages: list[str]
    language_cum: list[float]
    agents: list[int]
    teams: list[int]
    labels: list[int]
    taken_phones: set[str]
    number: int = 0  # the counter, while a chunk holds the store's row lock


def _weighted(
    weights: dict[Any, float] | Sequence[tuple[Any, float]],
) -> tuple[list[Any], list[float]]:
    pairs = list(weights.items()) if isinstance(weights, dict) else list(weights)
    total = sum(w for _v, w in pairs)
    cum = list(accumulate(w / total for _v, w in pairs))
    cum[-1] = 1.0
    return [getattr(v, "value", v) for v, _w in pairs], cum


def _load_stores() -> tuple[list[_Store], list[float]]:
    by_slug = {s.slug: s for s in Store.objects.filter(slug__in=[d.slug for d in STORES])}
    missing = [d.slug for d in STORES if d.slug not in by_slug]
    if missing:
        raise RuntimeError(f"Seed the demo shops first (missing: {', '.join(missing)}).")
    result = []
    for demo in STORES:
        store = by_slug[demo.slug]
        languages = [lang for lang in store.served_languages() if lang in FIRST_NAMES] or ["en"]
        # The shop's first language dominates; the others share a fifth.
        rest = 0.2 / (len(languages) - 1) if len(languages) > 1 else 0.0
        _v, language_cum = _weighted(
            [(languages[0], 0.8)] + [(lang, rest) for lang in languages[1:]]
        )
        agents = sorted(
            Membership.objects.filter(store=store, agent__is_active=True).values_list(
                "agent_id", flat=True
            )
        )
        if not agents:
            raise RuntimeError(f"The store {store.slug} has no agents.")
        result.append(
            _Store(
                id=store.pk,
                country=store.country.lower(),
                languages=languages,
                language_cum=language_cum,
                agents=agents,
                teams=sorted(Team.objects.filter(store=store).values_list("pk", flat=True)),
                labels=sorted(Label.objects.filter(store=store).values_list("pk", flat=True)),
                taken_phones=set(
                    ContactIdentity.objects.filter(
                        store=store, kind=IdentityKind.PHONE
                    ).values_list("value", flat=True)
                ),
            )
        )
    weights = list(STORE_WEIGHTS[: len(result)])
    return result, list(accumulate(w / sum(weights) for w in weights))


# --- vocabulary, prepared once -----------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    template: str
    placeholders: bool  # needs str.format
    paragraphs: bool  # has line breaks: text_to_html's paragraph/<br> treatment


def _lines(texts: Iterable[str]) -> tuple[_Line, ...]:
    return tuple(_Line(t, "{" in t, "\n" in t) for t in texts)


_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "ß": "ss"})


def _ascii(name: str) -> str:
    """Hämäläinen -> hamalainen, Łukasz -> lukasz, O'Brien -> obrien."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "-")).lower()


def _feminine(last_name: str) -> str:
    """Polish adjectival surnames agree with the bearer: Kowalski -> Kowalska."""
    if last_name.endswith(("ski", "cki", "dzki")):
        return last_name[:-1] + "a"
    return last_name


@dataclass(frozen=True)
class _Vocabulary:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    subjects: tuple[_Line, ...]
    customer: tuple[_Line, ...]
    agent: tuple[_Line, ...]
    products: tuple[str, ...]


def _vocabulary(language: str) -> _Vocabulary:
    def pick(table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        return table.get(language) or table["en"]

    return _Vocabulary(
        first_names=pick(FIRST_NAMES),
        last_names=pick(LAST_NAMES),
        subjects=_lines(pick(BULK_SUBJECTS)),
        customer=_lines(pick(BULK_CUSTOMER_LINES)),
        agent=_lines(pick(BULK_AGENT_LINES)),
        products=pick(BULK_PRODUCTS),
    )


def _fill(line: _Line, values: dict[str, str]) -> str:
    return line.template.format(**values) if line.placeholders else line.template


def _html(text: str, paragraphs: bool) -> str:
    """What tiski.core.html.text_to_html makes of these lines (no links, nothing to clean)."""
    escaped = html.escape(text.strip(), quote=False)
    if not paragraphs:
        return f"<p>{escaped}</p>"
    parts = [p.strip("\n").replace("\n", "<br>") for p in escaped.split("\n\n")]
    return "".join(f"<p>{p}</p>" for p in parts if p)


# --- writing rows -----------------------------------------------------------------------


class _Table:
    """The columns a model's table is written with, in the order rows are built.

    Columns this loader doesn't know (a field added later) get the field's default,
    or NULL; a required field without a default is an error rather than a guess.
    """

    def __init__(self, model: type[models.Model], attnames: Sequence[str]) -> None:
        qn = connection.ops.quote_name
        meta = model._meta
        assert meta.pk is not None
        self.name: str = meta.db_table
        self.pk = str(meta.pk.column)
        # Identifiers only ever come from the models, quoted: safe to put into SQL text.
        self.quoted_name = qn(self.name)
        self.quoted_pk = qn(self.pk)
        fields = {f.attname: f for f in meta.concrete_fields}
        unknown = set(attnames) - set(fields)
        if unknown:
            raise RuntimeError(f"{self.name} has no columns {sorted(unknown)}")
        self.columns = [str(fields[a].column) for a in attnames]
        extras: list[Any] = []
        for attname, f in fields.items():
            if attname in attnames or f.db_default is not NOT_PROVIDED:
                continue
            if f.has_default():
                value = f.get_db_prep_save(f.get_default(), connection)
            elif f.null:
                value = None
            else:
                raise RuntimeError(f"bulk.py doesn't know how to fill {self.name}.{f.column}")
            self.columns.append(str(f.column))
            extras.append(value)
        self.extras = tuple(extras)
        self.quoted_columns = ", ".join(qn(c) for c in self.columns)
        self.types: list[int] | None = None  # PostgreSQL type oids, for binary COPY
        self.datetimes = [
            i
            for i, attname in enumerate(attnames)
            if isinstance(fields[attname], models.DateTimeField)
        ]


_CONTACT = ("id", "store_id", "name", "language", "created_at", "updated_at")
_IDENTITY = ("id", "contact_id", "store_id", "kind", "value", "created_at")
_CONVERSATION = (
    "id", "store_id", "contact_id", "number", "channel", "status", "priority", "assignee_id",
    "team_id", "subject", "language", "created_at", "last_message_at", "last_message_preview",
    "last_message_direction", "first_response_at", "resolved_at", "snoozed_until",
    "waiting_since", "last_seq", "merged_into_id", "contact_read_seq", "agent_read_seq",
    "reply_to_email",
)  # fmt: skip
_LABEL = ("id", "conversation_id", "label_id", "status")
_MESSAGE = (
    "id", "conversation_id", "seq", "direction", "author_type", "author_agent_id",
    "author_label", "kind", "body_text", "body_html", "external_id", "status", "error",
    "event_data", "created_at", "status_changed_at",
)  # fmt: skip


class _Sink:
    """Reserves primary keys and writes rows; one subclass per database."""

    def __init__(self) -> None:
        self.contacts = _Table(Contact, _CONTACT)
        self.identities = _Table(ContactIdentity, _IDENTITY)
        self.conversations = _Table(Conversation, _CONVERSATION)
        self.labels = _Table(ConversationLabel, _LABEL)
        self.messages = _Table(Message, _MESSAGE)

    @contextmanager
    def chunk(self, counts: dict[_Table, int]) -> Iterator[dict[_Table, int]]:
        """A transaction, and the first id of a block of ``counts[table]`` ids per table."""
        raise NotImplementedError

    def write(self, table: _Table, rows: Iterable[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass

    def tables(self) -> tuple[_Table, ...]:
        return (self.contacts, self.identities, self.conversations, self.labels, self.messages)


class _PostgresSink(_Sink):
    @contextmanager
    def chunk(self, counts: dict[_Table, int]) -> Iterator[dict[_Table, int]]:
        firsts = {table: self._reserve(table, n) for table, n in counts.items()}
        with transaction.atomic():
            yield firsts

    def _reserve(self, table: _Table, n: int) -> int:
        # The table lock keeps other inserts (which take ROW EXCLUSIVE before their
        # nextval) out while the sequence jumps past MAX(id) and our block; it is held
        # for this tiny transaction only. Afterwards nextval() hands out ids above the block.
        size = max(n, 1)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table.quoted_name} IN SHARE ROW EXCLUSIVE MODE")
            highest = f"SELECT COALESCE(MAX({table.quoted_pk}), 0) FROM {table.quoted_name}"  # noqa: S608
            current = "COALESCE(pg_sequence_last_value(s::regclass), 0)"
            reserve = f"SELECT setval(s, GREATEST({current}, ({highest})) + %s)"
            cursor.execute(
                f"{reserve} FROM pg_get_serial_sequence(%s, %s) AS s", [size, table.name, table.pk]
            )
            row = cursor.fetchone()
        if row is None or row[0] is None:
            raise RuntimeError(f"{table.name}.{table.pk} has no sequence")
        return int(row[0]) - size + 1

    def write(self, table: _Table, rows: Iterable[tuple[Any, ...]]) -> None:
        name, columns = table.quoted_name, table.quoted_columns
        extras = table.extras
        with connection.cursor() as cursor:
            if table.types is None:
                # Binary COPY: no text formatting and parsing of every value, at either end.
                cursor.execute(f"SELECT {columns} FROM {name} LIMIT 0")  # noqa: S608
                table.types = [column.type_code for column in cursor.description]
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {name} ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(table.types)
            write_row = copy.write_row
            if extras:
                for row in rows:
                    write_row(row + extras)
            else:
                for row in rows:
                    write_row(row)

    def finish(self) -> None:
        # Fresh statistics, so the first queries after the load get the right plans.
        with connection.cursor() as cursor:
            for table in self.tables():
                cursor.execute(f"ANALYZE {table.quoted_name}")


class _SqliteSink(_Sink):
    BATCH = 5_000

    @contextmanager
    def chunk(self, counts: dict[_Table, int]) -> Iterator[dict[_Table, int]]:
        # The transaction holds SQLite's single write lock, so MAX(id) stays ours.
        with transaction.atomic(), connection.cursor() as cursor:
            firsts = {}
            for table in counts:
                cursor.execute(
                    f"SELECT COALESCE(MAX({table.quoted_pk}), 0) FROM {table.quoted_name}"  # noqa: S608
                )
                firsts[table] = int(cursor.fetchone()[0]) + 1
            yield firsts

    def write(self, table: _Table, rows: Iterable[tuple[Any, ...]]) -> None:
        placeholders = ", ".join(["%s"] * len(table.columns))
        sql = f"INSERT INTO {table.quoted_name} ({table.quoted_columns}) VALUES ({placeholders})"  # noqa: S608
        adapt = connection.ops.adapt_datetimefield_value
        stamps = table.datetimes
        extras = table.extras
        batch: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for row in rows:
                values = list(row)
                for i in stamps:
                    values[i] = adapt(values[i])
                batch.append((*values, *extras))
                if len(batch) >= self.BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


# --- generating one chunk ---------------------------------------------------------------


@dataclass
class _Plan:
    """One chunk's conversations and contacts, before ids are known."""

    # Per conversation: (created_at, store index, contact index, status, n_messages)
    conversations: list[tuple[float, int, int, str, int]] = field(default_factory=list)
    # Per contact: (store index, name, first name, language, email local part, has phone)
    contacts: list[tuple[int, str, str, str, str, bool]] = field(default_factory=list)
    contact_created: list[float] = field(default_factory=list)
    # Per conversation: the label ids it gets (usually none).
    labels: list[tuple[int, ...]] = field(default_factory=list)

    @property
    def messages(self) -> int:
        return sum(c[4] for c in self.conversations)


class _Generator:
    def __init__(
        self, stores: list[_Store], store_cum: list[float], *, average: float, seed: int
    ) -> None:
        self.rng = random.Random(seed)
        self.stores = stores
        self.store_cum = store_cum
        self.now = clock.now().timestamp()
        self.vocabulary = {lang: _vocabulary(lang) for store in stores for lang in store.languages}
        self.statuses, self.status_cum = _weighted(STATUS_WEIGHTS)
        self.channels, self.channel_cum = _weighted(CHANNEL_WEIGHTS)
        self.priorities, self.priority_cum = _weighted(PRIORITY_WEIGHTS)
        self.message_counts, self.message_cum = _message_count_distribution(average)
        self.ascii: dict[str, str] = {}

    # Step 1: who writes, when, how much. Cheap, and it gives the row counts to reserve.
    def plan(
        self,
        n: int,
        *,
        store: int | None = None,
        status: str | None = None,
        messages: int | None = None,
    ) -> _Plan:
        """``n`` conversations; ``store`` (an index), ``status`` and ``messages`` pin
        what is otherwise drawn at random."""
        rng = self.rng
        random_ = rng.random
        now = self.now
        stores = self.stores
        plan = _Plan()
        per_store: list[list[int]] = [[] for _s in stores]
        rows = []
        for _i in range(n):
            where = bisect(self.store_cum, random_()) if store is None else store
            what = self.statuses[bisect(self.status_cum, random_())] if status is None else status
            if what in UNRESOLVED:
                age = 300.0 + RECENT_DAYS * DAY * random_() ** 2
            else:
                age = 600.0 + HISTORY_DAYS * DAY * random_() ** 1.6
            if messages is None:
                count = self.message_counts[bisect(self.message_cum, random_())]
            else:
                count = messages
            rows.append((now - age, where, what, count))
        # Oldest first: numbers and ids follow time within the chunk.
        rows.sort()
        for index, row in enumerate(rows):
            per_store[row[1]].append(index)
        contact_of = [0] * n
        for store_index, indexes in enumerate(per_store):
            if not indexes:
                continue
            k = max(1, round(len(indexes) * CONTACTS_PER_CONVERSATION))
            first = len(plan.contacts)
            # Every contact gets at least one conversation, the rest go to anyone.
            order = indexes[:]
            rng.shuffle(order)
            for j, conversation in enumerate(order):
                contact_of[conversation] = first + (j if j < k else rng.randrange(k))
            for _j in range(k):
                plan.contacts.append(self._contact(store_index, stores[store_index]))
                plan.contact_created.append(now)
        created = plan.contact_created
        for index, (at, _store, _status, _messages) in enumerate(rows):
            contact = contact_of[index]
            if at < created[contact]:
                created[contact] = at
        for contact in range(len(created)):
            created[contact] -= random_() * 600.0
        for index, (at, store_index, status, messages) in enumerate(rows):
            plan.conversations.append((at, store_index, contact_of[index], status, messages))
            labels = stores[store_index].labels
            if labels and random_() < LABEL_SHARE:
                plan.labels.append(tuple(rng.sample(labels, 1 if random_() < 0.7 else 2)))
            else:
                plan.labels.append(())
        return plan

    def _contact(self, store_index: int, store: _Store) -> tuple[int, str, str, str, str, bool]:
        rng = self.rng
        language = store.languages[bisect(store.language_cum, rng.random())]
        words = self.vocabulary[language]
        first = rng.choice(words.first_names)
        last = rng.choice(words.last_names)
        if language == "pl" and first.endswith("a"):
            last = _feminine(last)
        local = f"{self._ascii(first)}.{self._ascii(last)}"
        return (store_index, f"{first} {last}", first, language, local, rng.random() < PHONE_SHARE)

    def _ascii(self, name: str) -> str:
        folded = self.ascii.get(name)
        if folded is None:
            folded = self.ascii[name] = _ascii(name)
        return folded

    # Step 2: rows, once the ids are reserved.
    def contact_rows(
        self, plan: _Plan, first_id: int
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        contacts = []
        identities = []
        stores = self.stores
        for offset, (store_index, name, _first, language, local, phone) in enumerate(plan.contacts):
            store = stores[store_index]
            contact_id = first_id + offset
            at = _when(plan.contact_created[offset])
            contacts.append((contact_id, store.id, name, language, at, at))
            email = f"{local}.{contact_id}@example.{store.country or 'com'}"
            identities.append((contact_id, store.id, IdentityKind.EMAIL.value, email, at))
            if phone:
                number = _phone(store.country, contact_id)
                if number not in store.taken_phones:
                    identities.append((contact_id, store.id, IdentityKind.PHONE.value, number, at))
        return contacts, identities

    def message_rows(
        self,
        plan: _Plan,
        *,
        first_conversation: int,
        first_contact: int,
        first_message: int,
        conversations: list[tuple[Any, ...]],
    ) -> Iterator[tuple[Any, ...]]:
        """Yield the chunk's messages; append each conversation's row as it is finished."""
        rng = self.rng
        random_ = rng.random
        choice = rng.choice
        expovariate = rng.expovariate
        now = self.now
        stores = self.stores
        contacts = plan.contacts
        message_id = first_message
        IN, OUT = Direction.IN.value, Direction.OUT.value
        CONTACT, AGENT = AuthorType.CONTACT.value, AuthorType.AGENT.value
        REPLY, NOTE = Kind.REPLY.value, Kind.NOTE.value
        RECEIVED, SENT, STORED = (
            DeliveryStatus.RECEIVED.value,
            DeliveryStatus.SENT.value,
            DeliveryStatus.STORED.value,
        )
        for offset, (created, store_index, contact, status, count) in enumerate(plan.conversations):
            conversation_id = first_conversation + offset
            store = stores[store_index]
            _s, _name, first_name, language, _local, _phone = contacts[contact]
            words = self.vocabulary[language]
            channel = self.channels[bisect(self.channel_cum, random_())]
            priority = self.priorities[bisect(self.priority_cum, random_())]
            if status == Status.OPEN and random_() < UNASSIGNED_OPEN_SHARE:
                assignee = None
            else:
                assignee = choice(store.agents)
            team = choice(store.teams) if store.teams and random_() < TEAM_SHARE else None
            values = {
                "order": str(rng.randint(100000, 999999)),
                "product": choice(words.products),
                "first_name": first_name,
            }
            subject = " ".join(_fill(choice(words.subjects), values).split())[:300]

            # When each message was written: the other side answers after a while.
            agent_gap, customer_gap = _GAPS[channel]
            times = [created]
            at = created
            for j in range(1, count):
                mean = agent_gap if j % 2 else customer_gap
                at += 15.0 + expovariate(1.0 / mean)
                times.append(at)
            latest = now - 60.0
            if at > latest:
                # Squeeze the conversation so that it has already happened.
                scale = max(latest - created, 1.0) / (at - created)
                times = [created + (t - created) * scale for t in times]

            last_reply_at = created
            last_text = ""
            last_direction = IN
            first_response = None
            waiting = None
            for j in range(count):
                at = times[j]
                stamp = _when(at)
                if j % 2 == 0:
                    line = choice(words.customer)
                    text = _fill(line, values)
                    yield (
                        message_id, conversation_id, j + 1, IN, CONTACT, None, "", REPLY,
                        text, _html(text, line.paragraphs), "", RECEIVED, "", None, stamp, None,
                    )  # fmt: skip
                    last_reply_at, last_text, last_direction = at, text, IN
                    if waiting is None:
                        waiting = at
                else:
                    line = choice(words.agent)
                    text = _fill(line, values)
                    author = assignee if assignee is not None else choice(store.agents)
                    if random_() < NOTE_SHARE:
                        yield (
                            message_id, conversation_id, j + 1, OUT, AGENT, author, "", NOTE,
                            text, _html(text, line.paragraphs), "", STORED, "", None, stamp,
                            None,
                        )  # fmt: skip
                    else:
                        yield (
                            message_id, conversation_id, j + 1, OUT, AGENT, author, "", REPLY,
                            text, _html(text, line.paragraphs), "", SENT, "", None, stamp,
                            _when(at + 1.0 + 4.0 * random_()),
                        )  # fmt: skip
                        last_reply_at, last_text, last_direction = at, text, OUT
                        if first_response is None:
                            first_response = at
                        waiting = None
                message_id += 1

            unresolved = status in UNRESOLVED
            resolved_at = None
            if not unresolved:
                resolved_at = _when(min(times[-1] + 60.0 + expovariate(1 / 3600.0), now))
            snoozed_until = None
            if status == Status.SNOOZED:
                snoozed_until = _when(now + 3600.0 + random_() * 7 * DAY)
            conversations.append(
                (
                    conversation_id, store.id, first_contact + contact, 0, channel, status,
                    priority, assignee, team, subject, language, _when(created),
                    _when(last_reply_at), " ".join(last_text.split())[:PREVIEW_CHARS],
                    last_direction, _when(first_response) if first_response else None,
                    resolved_at, snoozed_until,
                    _when(waiting) if unresolved and waiting is not None else None,
                    # History: both sides have read it all; no address left in a chat.
                    count, None, count, count, "",
                )
            )  # fmt: skip


def _message_count_distribution(average: float) -> tuple[list[int], list[float]]:
    """1 + Binomial(trials, p): mean ``average``, between 1 and ~2.2x the average."""
    average = max(1.0, average)
    trials = max(MAX_MESSAGES - 1, int(2.75 * (average - 1) + 0.999))
    p = (average - 1) / trials
    pmf = []
    for k in range(trials + 1):
        pmf.append(_binomial(trials, k) * p**k * (1 - p) ** (trials - k))
    values, cum = _weighted([(1 + k, w) for k, w in enumerate(pmf) if w > 0])
    return values, cum


def _binomial(n: int, k: int) -> float:
    result = 1.0
    for i in range(1, k + 1):
        result = result * (n - k + i) / i
    return result


def _when(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def _phone(country: str, contact_id: int) -> str:
    """A mobile number in E.164, unique per contact id."""
    serial = f"{contact_id % 100_000_000:08d}"
    if country == "pl":
        return f"+485{serial}"
    return f"+35845{serial}"


def _assign_numbers(
    stores: list[_Store], conversations: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Give each conversation its store's next number (the rows are in creation order)."""
    by_id = {store.id: store for store in stores}
    numbered = []
    for row in conversations:
        store = by_id[row[1]]
        store.number += 1
        numbered.append((*row[:3], store.number, *row[4:]))
    return numbered


def _lock_counters(stores: list[_Store]) -> None:
    """Hold the store rows (as allocate_numbers does) and read where numbering continues."""
    ids = [store.id for store in stores]
    counters = dict(
        Store.objects.select_for_update()
        .filter(pk__in=ids)
        .values_list("pk", "last_conversation_number")
    )
    highest = dict(
        Conversation.objects.filter(store_id__in=ids)
        .order_by()
        .values_list("store_id")
        .annotate(top=Max("number"))
        .values_list("store_id", "top")
    )
    for store in stores:
        store.number = max(counters[store.id], highest.get(store.id) or 0)


def _save_counters(stores: list[_Store]) -> None:
    for store in stores:
        Store.objects.filter(pk=store.id).update(last_conversation_number=store.number)


# --- the entry point --------------------------------------------------------------------


def generate(
    count: int,
    *,
    messages_per_conversation: float = 5.0,
    seed: int = 1,
    progress: Callable[[str], object] = print,
    chunk_size: int = CHUNK_SIZE,
) -> BulkStats:
    """Add ``count`` synthetic conversations (and their contacts and messages) to the
    demo shops. Returns how many rows of each were written."""
    if count <= 0:
        return BulkStats(0, 0, 0)
    loader = _Loader(messages_per_conversation, seed)
    started = time.monotonic()
    done = messages = contacts = 0
    while done < count:
        plan = loader.generator.plan(min(chunk_size, count - done))
        loader.write(plan)
        done += len(plan.conversations)
        messages += plan.messages
        contacts += len(plan.contacts)
        progress(
            f"{done}/{count} conversations, {messages} messages, {time.monotonic() - started:.0f} s"
        )
    loader.sink.finish()
    return BulkStats(conversations=done, messages=messages, contacts=contacts)


def generate_conversation(
    messages: int, *, status: str = Status.OPEN, seed: int = 1
) -> Conversation:
    """One synthetic conversation with exactly ``messages`` messages, in the first demo
    shop (the benchmarks' long conversation page)."""
    loader = _Loader(5.0, seed)
    plan = loader.generator.plan(1, store=0, status=status, messages=messages)
    first = loader.write(plan)
    return Conversation.objects.get(pk=first)


class _Loader:
    def __init__(self, average: float, seed: int) -> None:
        self.stores, store_cum = _load_stores()
        self.generator = _Generator(self.stores, store_cum, average=average, seed=seed)
        self.sink: _Sink = _PostgresSink() if connection.vendor == "postgresql" else _SqliteSink()

    def write(self, plan: _Plan) -> int:
        """Write one chunk in one transaction; returns its first conversation id."""
        sink, generator, stores = self.sink, self.generator, self.stores
        wanted = {
            sink.contacts: len(plan.contacts),
            sink.identities: sum(2 if c[5] else 1 for c in plan.contacts),
            sink.conversations: len(plan.conversations),
            sink.labels: sum(len(labels) for labels in plan.labels),
            sink.messages: plan.messages,
        }
        with sink.chunk(wanted) as firsts:
            _lock_counters(stores)
            first_conversation = firsts[sink.conversations]
            contact_rows, identity_rows = generator.contact_rows(plan, firsts[sink.contacts])
            sink.write(sink.contacts, contact_rows)
            first_identity = firsts[sink.identities]
            sink.write(
                sink.identities,
                ((first_identity + i, *row) for i, row in enumerate(identity_rows)),
            )
            conversation_rows: list[tuple[Any, ...]] = []
            # Messages first (foreign keys are checked at commit), so that each
            # conversation's row is built from the messages it really got.
            sink.write(
                sink.messages,
                generator.message_rows(
                    plan,
                    first_conversation=first_conversation,
                    first_contact=firsts[sink.contacts],
                    first_message=firsts[sink.messages],
                    conversations=conversation_rows,
                ),
            )
            sink.write(sink.conversations, _assign_numbers(stores, conversation_rows))
            label_rows: list[tuple[Any, ...]] = []
            first_label = firsts[sink.labels]
            status_column = _CONVERSATION.index("status")
            for offset, labels in enumerate(plan.labels):
                status = conversation_rows[offset][status_column]
                for label in labels:
                    label_rows.append(
                        (first_label + len(label_rows), first_conversation + offset, label, status)
                    )
            sink.write(sink.labels, label_rows)
            _save_counters(stores)
        return first_conversation
