"""Inbox and conversation-page latency on PostgreSQL at scale.

    make bench-data                      generate the data set only (1M conversations, once)
    make bench-inbox                     generate if needed, then measure
    .venv/bin/python bench/inbox.py --conversations 20000 --requests 100   a quick run
    .venv/bin/python bench/inbox.py --explain                               and show the plans

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tiski_bench) is created when
missing and migrated. With fewer conversations than --conversations, `tiski demo
--conversations <missing>` fills it up and its time is checked against the 600 s limit.
The real server (`tiski run --no-worker`) is then started on a free port and measured
over HTTP with one keep-alive connection, logged in as the demo owner; query counts come
from the Django test client in this process. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tiski_bench"
FULL_SIZE = 1_000_000
GENERATION_LIMIT = 600.0  # seconds, for the full data set
LONG_CONVERSATION = 200  # messages on the measured conversation page
OWNER = "johanna@tunturikettu.example"
PASSWORD = "tiski-demo"  # the demo's published password  # noqa: S105
STORE = "tunturikettu"
LIST_TARGET_MS = 50.0
PAGE_TARGET_MS = 80.0
# Never benchmark into these: "test" belongs to someone else, the rest are PostgreSQL's.
RESERVED_DATABASES = {"", "test", "postgres", "template0", "template1"}


def say(text: str = "") -> None:
    print(text, flush=True)


# --- the database -----------------------------------------------------------------------


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(f"The inbox benchmark needs PostgreSQL; DATABASE_URL is {url}")
    name = parts.path.lstrip("/")
    if name in RESERVED_DATABASES:
        sys.exit(f"Refusing to benchmark in the database {name!r}; use e.g. tiski_bench.")
    import psycopg
    from psycopg import sql

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            say(f"Creating the database {name}.")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def tiski(*args: str, env: dict[str, str], quiet: bool = False) -> None:
    output = subprocess.DEVNULL if quiet else None
    subprocess.run([str(BIN / "tiski"), *args], env=env, cwd=ROOT, check=True, stdout=output)


def count_rows() -> dict[str, int]:
    from django.db import connection

    tables = {
        "conversations": "conversations_conversation",
        "messages": "conversations_message",
        "contacts": "contacts_contact",
        "identities": "contacts_contactidentity",
        "conversation labels": "conversations_conversationlabel",
    }
    counts = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*), pg_total_relation_size(%s) FROM {table}", [table])
            rows, size = cursor.fetchone()
            counts[label] = rows
            counts[f"{label} MB"] = size // (1024 * 1024)
    return counts


def generate(missing: int, env: dict[str, str]) -> float:
    say(f"Generating {missing} conversations: tiski demo --conversations {missing}")
    started = time.monotonic()
    tiski("demo", "--conversations", str(missing), env=env)
    return time.monotonic() - started


def settle() -> None:
    """VACUUM (ANALYZE) the bulk-loaded tables, so that autovacuum doesn't start in the
    middle of the measurements and the visibility map allows index-only scans. Cheap
    when nothing changed since the last run."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        for table in (
            "contacts_contact",
            "contacts_contactidentity",
            "conversations_conversation",
            "conversations_conversationlabel",
            "conversations_message",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    say(f"VACUUM (ANALYZE) of the bulk tables: {time.monotonic() - started:.1f} s")


def long_conversation() -> int:
    """The conversation with exactly LONG_CONVERSATION messages, made once and reused."""
    from tiski.conversations.models import Conversation, Message
    from tiski.demo.bulk import generate_conversation

    for candidate in Conversation.objects.filter(
        store__slug=STORE, last_seq=LONG_CONVERSATION
    ).order_by("pk"):
        if Message.objects.filter(conversation=candidate).count() == LONG_CONVERSATION:
            return candidate.pk
    conversation = generate_conversation(LONG_CONVERSATION, seed=200)
    say(f"Created conversation {conversation.pk} with {LONG_CONVERSATION} messages.")
    return conversation.pk


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(env: dict[str, str], log_path: Path) -> Iterator[int]:
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "tiski"), "run", "--no-worker", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"The server exited:\n{log_path.read_text()[-3000:]}")
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/healthz")
                    if conn.getresponse().status == 200:
                        conn.close()
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"No /healthz in 60 s:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Browser:
    """One keep-alive HTTP connection with a cookie jar, standard library only."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, email: str, password: str) -> None:
        status, page = self.request("GET", "/login/")
        if status != 200:
            raise RuntimeError(f"GET /login/ answered {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match or "csrftoken" not in self.cookies:
            raise RuntimeError("No CSRF token on the login page")
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "email": email,
                "password": password,
                "next": "",
            }
        )
        status, _page = self.request(
            "POST",
            "/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"Logging in as {email} failed ({status})")


@dataclass
class Endpoint:
    name: str
    path: str
    target_ms: float | None  # p95 target; None for the baseline


@dataclass
class Result:
    endpoint: Endpoint
    samples: list[float]  # milliseconds

    def quantile(self, q: int) -> float:
        return statistics.quantiles(self.samples, n=100, method="inclusive")[q - 1]


def measure(browser: Browser, endpoint: Endpoint, *, warmup: int, requests: int) -> Result:
    for _ in range(warmup):
        status, body = browser.request("GET", endpoint.path)
        if status != 200:
            raise RuntimeError(f"GET {endpoint.path} answered {status}: {body[:300]!r}")
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _body = browser.request("GET", endpoint.path)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {endpoint.path} answered {status}")
    return Result(endpoint, samples)


# --- queries, in this process -------------------------------------------------------------


@dataclass
class Profile:
    """One URL through the Django test client in this process: no HTTP, no new connection."""

    queries: list[dict[str, Any]]  # of the last run
    wall_ms: float  # median of the runs
    sql_ms: float  # median of the summed query times (Django measures them in ms steps)


def profile(path: str, runs: int = 5) -> Profile:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tiski.agents.models import Agent

    client = Client(HTTP_HOST="localhost")
    client.force_login(Agent.objects.get(email=OWNER))
    # As in the measured sequence: the store inbox was the last list the owner opened.
    client.get(f"/inbox/store/{STORE}/")
    client.get(path)
    walls, sqls = [], []
    queries: list[dict[str, Any]] = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(path)
            walls.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code} in the test client")
        queries = list(context.captured_queries)
        sqls.append(sum(float(q["time"]) for q in queries) * 1000)
    return Profile(queries, statistics.median(walls), statistics.median(sqls))


def list_query(queries: list[dict[str, Any]]) -> str:
    """The page's conversation list: the query on conversations with ORDER BY and LIMIT."""
    for query in queries:
        sql = query["sql"]
        if 'FROM "conversations_conversation"' in sql and "ORDER BY" in sql and "LIMIT" in sql:
            return str(sql)
    raise RuntimeError("No list query found")


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def sessions_opened() -> int | None:
    """PostgreSQL's count of connections ever made to this database (14 and later)."""
    from django.db import connection

    if connection.pg_version < 140000:  # type: ignore[attr-defined]
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


# --- the run ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--conversations",
        type=int,
        default=FULL_SIZE,
        help="generate up to this many conversations (default 1,000,000)",
    )
    parser.add_argument("--requests", type=int, default=300, help="measured requests per URL")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first")
    parser.add_argument("--generate-only", action="store_true", help="only generate the data")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of the two list queries and of slow queries",
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    ensure_database(url)
    data_dir = Path(tempfile.mkdtemp(prefix="tiski-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # Not the repository's var/: a secret key and logs of our own, thrown away after.
        "TISKI_DATA_DIR": str(data_dir),
        # Overridable, to measure a settings variant without editing tiski/settings.py.
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tiski.settings"),
    }
    os.environ.update(env)
    try:
        return run(args, env, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args: argparse.Namespace, env: dict[str, str], data_dir: Path) -> int:
    say(f"Database: {redacted(env['DATABASE_URL'])}, settings {env['DJANGO_SETTINGS_MODULE']}")
    tiski("migrate", "--no-input", "-v", "0", env=env)
    import django

    django.setup()
    from django.db import connection

    from tiski.conversations.models import Conversation

    existing = Conversation.objects.count()
    missing = args.conversations - existing
    if missing > 0:
        took = generate(missing, env)
        limit = GENERATION_LIMIT * missing / FULL_SIZE
        verdict = "met" if took < limit else "MISSED"
        say(
            f"Generation: {missing:,} conversations in {took:.1f} s, wall clock of the command "
            f"(limit {GENERATION_LIMIT:.0f} s for {FULL_SIZE:,}; {limit:.0f} s pro rata): {verdict}"
        )
        connection.close()
    else:
        say(f"{existing:,} conversations already there (wanted {args.conversations:,}).")
    long_id = long_conversation()
    settle()
    counts = count_rows()
    say("Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if not k.endswith("MB")))
    sizes = [f"{k[:-3]} {v:,}" for k, v in counts.items() if k.endswith("MB")]
    say("Sizes (MB, with indexes): " + ", ".join(sizes))
    if args.generate_only:
        return 0

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    say(f"PostgreSQL {version}, shared_buffers {buffers}, {os.cpu_count()} CPUs")

    api = "/api/v1/conversations"
    endpoints = [
        Endpoint("baseline", "/healthz", None),
        Endpoint("api open in store", f"{api}?view=all&status=open&store={STORE}", LIST_TARGET_MS),
        Endpoint("api mine", f"{api}?view=mine", LIST_TARGET_MS),
        Endpoint("inbox mine (HTML)", "/inbox/mine/", LIST_TARGET_MS),
        # Visited last, so the conversation page shows this list beside the conversation.
        Endpoint("inbox store (HTML)", f"/inbox/store/{STORE}/", LIST_TARGET_MS),
        Endpoint("conversation, 200 msgs", f"/conversations/{long_id}/", PAGE_TARGET_MS),
    ]

    say("Profiling each URL in this process (Django test client) ...")
    profiles = {e.path: profile(e.path) for e in endpoints}
    small = profile(f"{api}?view=all&status=open&store={STORE}&limit=25", runs=1)
    large = profile(f"{api}?view=all&status=open&store={STORE}&limit=100", runs=1)

    results = []
    load_before = os.getloadavg()[0]
    with server(env, data_dir / "server.log") as port:
        browser = Browser(port)
        browser.login(OWNER, PASSWORD)
        sessions_before = sessions_opened()
        for endpoint in endpoints:
            say(f"Measuring {endpoint.path} ...")
            results.append(measure(browser, endpoint, warmup=args.warmup, requests=args.requests))
        sessions_after = sessions_opened()
    load_after = os.getloadavg()[0]

    report(results, profiles, args.requests)
    say()
    total = len(results) * (args.requests + args.warmup)
    connections = ""
    if sessions_before is not None and sessions_after is not None:
        opened = sessions_after - sessions_before
        connections = (
            f" New database connections during the {total} requests: {opened} "
            f"({opened / total:.2f} per request)."
        )
    say(f"Load average (1 min) before/after: {load_before:.2f}/{load_after:.2f}.{connections}")
    say(
        f"Queries for one API page: {len(small.queries)} at limit=25, "
        f"{len(large.queries)} at limit=100 "
        f"({'constant' if len(small.queries) == len(large.queries) else 'GROWS'}); "
        f"the HTML inbox page of 25 rows: {len(profiles[f'/inbox/store/{STORE}/'].queries)}."
    )
    slow: dict[str, tuple[float, list[str]]] = {}
    for endpoint in endpoints:
        for query in profiles[endpoint.path].queries:
            ms = float(query["time"]) * 1000
            if ms >= 5:
                worst, names = slow.get(query["sql"], (0.0, []))
                slow[query["sql"]] = (max(worst, ms), [*names, endpoint.name])
    if slow:
        say("Queries of 5 ms or more (test client):")
        for sql, (ms, names) in sorted(slow.items(), key=lambda item: -item[1][0]):
            say(f"  {ms:5.0f} ms  on {', '.join(names)}: {sql[:150]}")
    if args.explain:
        for name, path in (
            ("all open in store X", f"{api}?view=all&status=open&store={STORE}"),
            ("mine", f"{api}?view=mine"),
        ):
            sql = list_query(profiles[path].queries)
            say()
            say(f"--- EXPLAIN list query, {name}: {sql}")
            say(explain(sql))
        for sql in slow:
            say()
            if not sql.lstrip().upper().startswith("SELECT"):
                # EXPLAIN ANALYZE would run a write; a slow COMMIT is the WAL flush.
                say(f"--- not explained (not a SELECT): {sql[:150]}")
                continue
            say(f"--- EXPLAIN slow query: {sql}")
            say(explain(sql))
    missed = [r for r in results if r.endpoint.target_ms and r.quantile(95) >= r.endpoint.target_ms]
    return 1 if missed else 0


def report(results: list[Result], profiles: dict[str, Profile], requests: int) -> None:
    baseline = results[0].quantile(95)
    say()
    say(f"Latency over HTTP, {requests} sequential requests per URL on one keep-alive connection")
    say("(ms; 'app' and 'sql' are medians of the same page in this process, without HTTP):")
    say(
        f"{'endpoint':<23} {'p50':>6} {'p95':>6} {'p99':>6} {'p95/base':>8} {'target':>7} "
        f"{'met':>3} {'queries':>7} {'app':>6} {'sql':>5}  path"
    )
    for r in results:
        target = r.endpoint.target_ms
        met = "-" if target is None else ("yes" if r.quantile(95) < target else "NO")
        p = profiles[r.endpoint.path]
        say(
            f"{r.endpoint.name:<23} {r.quantile(50):6.1f} {r.quantile(95):6.1f} "
            f"{r.quantile(99):6.1f} {r.quantile(95) / baseline:7.1f}x "
            f"{'<' + format(target, '.0f') if target else '-':>7} {met:>3} "
            f"{len(p.queries):>7} {p.wall_ms:6.1f} {p.sql_ms:5.0f}  {r.endpoint.path}"
        )


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


if __name__ == "__main__":
    sys.exit(main())
