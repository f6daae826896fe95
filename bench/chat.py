"""Live chat over websockets: idle connections, customer-to-agent latency, throughput.

    make bench-chat                                       the issue's figures, both databases
    .venv/bin/python bench/chat.py --database postgres    PostgreSQL only
    .venv/bin/python bench/chat.py --idle 2000 --seconds 10 --step-seconds 5   a quick run
    .venv/bin/python bench/chat.py --only throughput --database postgres --profile /tmp/prof

Each figure is measured on the real server (`tiski run --no-worker`, one uvicorn process)
and, in the same run, on bench/relay.py (a bare uvicorn websocket relay with the same
settings, no Django, no database): the baseline. The load comes from bench/chat_load.py
processes with real websockets from many loopback addresses. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import queue
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from inbox import Browser, redacted

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tiski_bench_chat"
# Never benchmark into these: "test" and "tiski_bench" belong to others, the rest are
# PostgreSQL's. The database of this benchmark is dropped at the end of the run.
RESERVED_DATABASES = {"", "test", "tiski_bench", "postgres", "template0", "template1"}
STORE_SLUG = "bench-chat"
AGENT_EMAIL = "bench-agent@tiski.example"
AGENT_PASSWORD = "bench-chat-agent-pw-7Qx"  # a throwaway account in a throwaway database  # noqa: S105
LATENCY_TARGET_MS = 30.0
THROUGHPUT_TARGET = 1500.0
WIDGET_CONNECT_LIMIT = 120  # per client address and minute (WidgetConsumer.connect)
PER_ADDRESS = 100  # sockets per source address: under the limit even inside one window
PER_PROCESS = 9000  # idle sockets per load-generator process (its descriptor limit)
FD_MARGIN = 64  # descriptors the server keeps free for its database, logs, the listener
WARMUP_SOCKETS = 100
RATELIMIT_ATTEMPTS = 130
MESSAGES_PER_SOCKET_SECOND = 1.0  # WidgetConsumer's TokenBucket(rate=1.0, burst=10)
DEFAULT_RATES = "100,200,300,500,750,1000,1500,2000,3000,4000,6000,8000,12000,16000"


def say(text: str = "") -> None:
    print(text, flush=True)


# --- processes ----------------------------------------------------------------------------

_children: list[Child] = []


class Child:
    """A subprocess; with ``talk``, JSON lines both ways (the load generator)."""

    def __init__(
        self, name: str, argv: list[str], env: dict[str, str], log: Path, *, talk: bool = False
    ) -> None:
        self.name = name
        self.log_path = log
        self.gc_file: Path | None = None  # a server's garbage-collector times (gcprobe)
        self.log = log.open("ab")
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE if talk else subprocess.DEVNULL,
            stdout=subprocess.PIPE if talk else self.log,
            stderr=self.log,
        )
        _children.append(self)
        if talk:
            threading.Thread(target=self._read, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.decode())
        self.lines.put(None)

    def send(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        self.process.stdin.flush()

    def expect(self, event: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"{self.name}: no {event!r} within {timeout:.0f} s{self.tail()}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError(f"{self.name} exited before {event!r}{self.tail()}")
            message: dict[str, Any] = json.loads(line)
            if message.get("event") == event:
                return message

    def tail(self) -> str:
        self.log.flush()
        text = self.log_path.read_text(errors="replace")[-2000:]
        return f"; the end of {self.log_path}:\n{text}" if text else ""

    def stop(self, timeout: float = 20) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if self in _children:
            _children.remove(self)


def stop_all() -> None:
    for child in list(reversed(_children)):
        child.stop(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


# --- /proc --------------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def gc_seconds(path: Path | None) -> float:
    """Seconds the server spent in garbage collection so far (bench/gcprobe writes them)."""
    if path is None:
        return 0.0
    try:
        return float(sum(json.loads(path.read_text())["seconds"]))
    except (OSError, ValueError, KeyError):
        return 0.0  # not written yet: no collection timed


def cpu_seconds(pid: int) -> float:
    """User + system time of a process, all its threads."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def fd_limit(pid: int) -> int:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return int(line.split()[3])
    return 1024


def cpu_pressure() -> str:
    """The kernel's CPU pressure: % of the last 10 s / 60 s some task waited for a CPU."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return "n/a"
    values = dict(part.split("=") for part in line.split()[1:])
    return f"{float(values['avg10']):.0f}%/{float(values['avg60']):.0f}%"


def machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Meter:
    """CPU of the server, of PostgreSQL's backends of our database and of the machine."""

    def __init__(self, server: Child, postgres: Postgres | None) -> None:
        self.pid = server.process.pid
        self.gc_file = server.gc_file
        self.postgres = postgres
        self.started = time.monotonic()
        self.server = cpu_seconds(self.pid)
        self.gc = gc_seconds(self.gc_file)
        self.machine = machine_cpu()
        self.backends = postgres.backends() if postgres else []
        self.pg_cpu = sum(cpu_seconds(p) for p in self.backends)
        self.commits = postgres.commits() if postgres else 0

    def read(self) -> dict[str, float]:
        wall = time.monotonic() - self.started
        busy, total = machine_cpu()
        result = {
            "wall": wall,
            "server_cpu": (cpu_seconds(self.pid) - self.server) / wall * 100,
            "machine_cpu": (busy - self.machine[0]) / max(1, total - self.machine[1]) * 100,
            "server_rss": rss_bytes(self.pid) / 2**20,
            "gc_cpu": (gc_seconds(self.gc_file) - self.gc) / wall * 100,
        }
        if self.postgres is not None:
            result["postgres_cpu"] = (
                (sum(cpu_seconds(p) for p in self.backends) - self.pg_cpu) / wall * 100
            )
            result["commits"] = self.postgres.commits() - self.commits
        return result


# --- databases and targets ---------------------------------------------------------------


class Postgres:
    """Our own database: created fresh for the run, dropped after."""

    def __init__(self, url: str, prefix: str = "tiski_bench_chat") -> None:
        parts = urlsplit(url)
        self.url = url
        self.name = parts.path.lstrip("/")
        if self.name in RESERVED_DATABASES or not self.name.startswith(prefix):
            sys.exit(
                f"Refusing the database {self.name!r}: this benchmark drops its database at "
                f"the end, so its name must start with {prefix}."
            )
        self.admin = urlunsplit(parts._replace(path="/postgres"))

    def create(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def query(self, text: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return list(conn.execute(text, params or []).fetchall())

    def analyze(self) -> None:
        """Fresh tables' statistics say "empty"; a running desk's autovacuum keeps them
        current. Without this the planner scans whole tables that it thinks are tiny."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("ANALYZE")

    def backends(self) -> list[int]:
        rows = self.query(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [int(r[0]) for r in rows]

    def commits(self) -> int:
        rows = self.query(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
        return int(rows[0][0])

    def describe(self) -> str:
        rows = self.query(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
            "current_setting('synchronous_commit'), current_setting('fsync')"
        )
        version, buffers, sync, fsync = rows[0]
        return (
            f"PostgreSQL {version}, shared_buffers {buffers}, "
            f"synchronous_commit {sync}, fsync {fsync}"
        )


@dataclass
class Target:
    name: str  # relay, sqlite, postgres
    env: dict[str, str]
    widget: str = "-"
    tokens: list[str] = field(default_factory=list)
    postgres: Postgres | None = None
    prefix: str = ""  # client ids of this run start with it
    sent: set[str] = field(default_factory=set)
    acked: set[str] = field(default_factory=set)

    @property
    def is_relay(self) -> bool:
        return self.name == "relay"

    def take(self, count: int) -> list[str]:
        if len(self.tokens) < count:
            raise RuntimeError(
                f"{self.name}: {count} visitor tokens wanted, {len(self.tokens)} left"
            )
        taken, self.tokens = self.tokens[:count], self.tokens[count:]
        return taken


def django_helper(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    subprocess.run(
        [PYTHON, str(Path(__file__)), "--django-helper", *args],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=timeout,
    )


def helper_main(argv: list[str]) -> None:
    """Runs in a subprocess with the target's environment: the Django side."""
    import django

    django.setup()
    from tiski.agents.actions import add_membership, create_agent
    from tiski.agents.models import Agent
    from tiski.chat.visitors import new_visitor
    from tiski.conversations.models import Message
    from tiski.core.actors import Actor
    from tiski.stores.actions import create_store
    from tiski.stores.models import Store

    task, out = argv[0], Path(argv[-1])
    if task == "setup":
        count = int(argv[1])
        system = Actor.system("bench")
        store = Store.objects.filter(slug=STORE_SLUG).first() or create_store(
            actor=system,
            name="Bench Chat",
            slug=STORE_SLUG,
            reference_prefix="BCH",
            country="FI",
            default_language="fi",
            support_email="support@bench-chat.example",
        )
        agent = Agent.objects.filter(email=AGENT_EMAIL).first()
        if agent is None:
            agent = create_agent(email=AGENT_EMAIL, name="Bench Agent", password=None)
            agent.set_password(AGENT_PASSWORD)
            agent.save(update_fields=["password"])
            add_membership(agent, store, role="owner", actor=system)
        tokens = [new_visitor(store).token() for _ in range(count)]
        out.write_text(json.dumps({"widget": store.widget_token, "tokens": tokens}))
    elif task == "stored":
        prefix = argv[1]
        rows = Message.objects.filter(
            conversation__store__slug=STORE_SLUG, external_id__startswith=f"chat:{prefix}"
        ).values_list("external_id", flat=True)
        out.write_text(json.dumps([r[len("chat:") :] for r in rows]))
    else:
        raise SystemExit(f"unknown helper task {task}")


# --- servers and load generators ---------------------------------------------------------


class Run:
    """Everything one benchmark run shares: its directory, its ids, its options."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.serial = 0
        self.prefix = "b" + secrets.token_hex(3)  # every client id of this run starts so

    def path(self, stem: str) -> Path:
        self.serial += 1
        return self.work / f"{self.serial:03d}-{stem}"

    def start_server(self, target: Target) -> tuple[Child, int]:
        port = free_port()
        if target.is_relay:
            argv = [PYTHON, str(BENCH / "relay.py"), "--host", "127.0.0.1", "--port", str(port)]
        else:
            argv = [str(BIN / "tiski"), "run", "--no-worker", "--host", "127.0.0.1"]
            argv += ["--port", str(port)]
        # Only the server times its garbage collector (bench/gcprobe): the gc column.
        env = {
            **target.env,
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(BENCH / "gcprobe"), target.env.get("PYTHONPATH", "")) if p
            ),
            "TISKI_BENCH_GC_FILE": str(self.path(f"{target.name}-gc.json")),
        }
        server = Child(f"{target.name} server", argv, env, self.path(f"{target.name}.log"))
        server.gc_file = Path(env["TISKI_BENCH_GC_FILE"])
        deadline = time.monotonic() + 60
        while not healthy(port):
            if server.process.poll() is not None:
                raise RuntimeError(f"The {target.name} server exited{server.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"The {target.name} server: no /healthz in 60 s{server.tail()}")
            time.sleep(0.2)
        return server, port

    def load(self, target: Target, spec: dict[str, Any], name: str) -> Child:
        spec_path = self.path(f"{name}.json")
        spec_path.write_text(json.dumps(spec))
        return Child(
            f"load generator {name}",
            [PYTHON, str(BENCH / "chat_load.py"), str(spec_path)],
            {**os.environ, "PYTHONUNBUFFERED": "1"},
            self.path(f"{name}.log"),
            talk=True,
        )


def addresses(block: int, sockets: int) -> list[str]:
    """Source addresses 127.<block>.x.y for ``sockets`` sockets, PER_ADDRESS each."""
    count = max(1, math.ceil(sockets / PER_ADDRESS))
    return [f"127.{block}.{i // 250}.{i % 250 + 1}" for i in range(count)]


def login_cookie(target: Target, port: int) -> dict[str, str]:
    origin = f"http://127.0.0.1:{port}"
    if target.is_relay:
        return {"origin": origin, "cookie": ""}
    browser = Browser(port)
    browser.login(AGENT_EMAIL, AGENT_PASSWORD)
    return {"origin": origin, "cookie": f"sessionid={browser.cookies['sessionid']}"}


# --- figure 1: idle connections -----------------------------------------------------------


@dataclass
class IdleResult:
    target: str
    asked: int
    held: int
    refused: dict[str, int]
    connect_seconds: float
    rss_before: int
    rss_held: int
    rss_closed: int
    fd_limit: int
    fds_before: int
    still_open: int
    hold_cpu: float  # % of one core while holding
    hold_seconds: float
    loadgen_cpu: float
    connect_cpu: float  # server CPU seconds spent while the sockets were opened
    ratelimit: dict[str, Any] | None = None

    @property
    def per_connection(self) -> float:
        return (self.rss_held - self.rss_before) / max(1, self.held)


def open_idle(
    run: Run, target: Target, port: int, tokens: list[str], block: int, name: str
) -> list[Child]:
    """Open ``tokens`` idle sockets with as many load generators as descriptors need."""
    processes = max(1, math.ceil(len(tokens) / PER_PROCESS))
    share = math.ceil(len(tokens) / processes)
    workers = []
    for p in range(processes):
        mine = tokens[p * share : (p + 1) * share]
        spec = {
            "mode": "idle",
            "host": "127.0.0.1",
            "port": port,
            "widget": target.widget,
            "tokens": mine,
            "addresses": addresses(block, len(tokens))[p::processes],
            "concurrency": 100,
            "open_timeout": 60,
        }
        workers.append(run.load(target, spec, f"{target.name}-{name}-{p}"))
    return workers


def measure_idle(run: Run, target: Target, asked: int) -> IdleResult:
    args = run.args
    server, port = run.start_server(target)
    try:
        # Warm up: everything a connection imports or caches is there before "before".
        for worker in open_idle(run, target, port, target.take(WARMUP_SOCKETS), 9, "warmup"):
            worker.expect("held", 120)
            worker.send(cmd="close")
            worker.expect("closed", 60)
            worker.stop()
        time.sleep(3)
        rss_before, fds_before = rss_bytes(server.pid), open_fds(server.pid)
        limit = fd_limit(server.pid)
        room = limit - fds_before - FD_MARGIN
        wanted = min(asked, room)
        if wanted < asked:
            say(
                f"  {target.name}: the server may open {limit:,} descriptors and uses "
                f"{fds_before}; holding {wanted:,} of the {asked:,} asked ({FD_MARGIN} kept free)."
            )
        tokens = target.take(wanted)
        started, cpu_before = time.monotonic(), cpu_seconds(server.pid)
        workers = open_idle(run, target, port, tokens, 1, "idle")
        held, refused, client_cpu = 0, Counter[str](), 0.0
        for worker in workers:
            # Generous: every connect costs the in-memory channel layer O(sockets).
            report = worker.expect("held", 120 + wanted / 10)
            held += report["opened"]
            refused.update(report["refused"])
            client_cpu += report["cpu"]
        connect_seconds = time.monotonic() - started
        connect_cpu = cpu_seconds(server.pid) - cpu_before
        say(f"  {target.name}: {held:,} idle sockets open in {connect_seconds:.1f} s")
        time.sleep(5)
        rss_held = rss_bytes(server.pid)
        meter = Meter(server, None)
        time.sleep(args.idle_hold)
        hold = meter.read()
        still_open = 0
        for worker in workers:
            worker.send(cmd="check")
            still_open += worker.expect("checked", 60)["open"]
        for worker in workers:
            worker.send(cmd="close")
        for worker in workers:
            worker.expect("closed", 120)
            worker.stop()
        time.sleep(5)
        rss_closed = rss_bytes(server.pid)
        ratelimit = None
        if not target.is_relay:
            spec = {
                "mode": "ratelimit",
                "host": "127.0.0.1",
                "port": port,
                "widget": target.widget,
                "tokens": target.take(RATELIMIT_ATTEMPTS),
                "count": RATELIMIT_ATTEMPTS,
                "addresses": ["127.9.0.1"],
            }
            worker = run.load(target, spec, f"{target.name}-ratelimit")
            ratelimit = worker.expect("ratelimit", 120)
            worker.stop()
        return IdleResult(
            target=target.name,
            asked=asked,
            held=held,
            refused=dict(refused),
            connect_seconds=connect_seconds,
            rss_before=rss_before,
            rss_held=rss_held,
            rss_closed=rss_closed,
            fd_limit=limit,
            fds_before=fds_before,
            still_open=still_open,
            hold_cpu=hold["server_cpu"],
            hold_seconds=hold["wall"],
            loadgen_cpu=client_cpu,
            connect_cpu=connect_cpu,
            ratelimit=ratelimit,
        )
    finally:
        server.stop()


# --- figures 2 and 3: messages ----------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest rank; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


@dataclass
class Step:
    target: str
    rate: float
    seconds: float
    offered: int
    sent: int
    acked: int
    delivered: int
    ack_ms: list[float]
    delivery_ms: list[float]
    lag_ms: list[float]  # the load generator's send time minus the scheduled time
    errors: dict[str, int]
    closed: dict[str, int]
    achieved: float  # delivered messages per second, first send to last delivery
    meter: dict[str, float]
    loadgen_cpu: float  # % of one core, all load-generator processes

    def q(self, kind: str, p: float) -> float:
        values = self.ack_ms if kind == "ack" else self.delivery_ms
        return max(values) if p == 100 and values else percentile(values, p)

    def holds(self, bound_ms: float) -> bool:
        complete = self.offered * 0.999
        return (
            self.acked >= complete
            and self.delivered >= complete
            and not self.errors
            and self.q("delivery", 99) <= bound_ms
        )


class Session:
    """One server with visitor sockets that each opened a conversation, and one agent."""

    def __init__(self, run: Run, target: Target, sockets: int, phase: str) -> None:
        self.run = run
        self.target = target
        self.sockets = sockets
        self.prefix = f"{target.prefix}{phase}"
        self.server, self.port = run.start_server(target)
        self.workers: list[Child] = []
        self.errors: Counter[str] = Counter()  # cumulative, as the load generators count
        try:
            agent = login_cookie(target, self.port)
            tokens = target.take(sockets)
            processes = run.args.load_processes
            block = {"L": 2, "T": 3}.get(phase, 4)
            spread = addresses(block, sockets)
            for p in range(processes):
                spec = {
                    "mode": "chat",
                    "host": "127.0.0.1",
                    "port": self.port,
                    "widget": target.widget,
                    "tokens": tokens[p::processes],
                    "addresses": spread,
                    "concurrency": 100,
                    "open_timeout": 60,
                    "process": p,
                    "processes": processes,
                    "prefix": self.prefix,
                    "agent": agent if p == 0 else None,
                }
                self.workers.append(run.load(target, spec, f"{target.name}-{phase}-{p}"))
            opened = 0
            for worker in self.workers:
                report = worker.expect("connected", 120 + sockets / 50)
                opened += report["opened"]
                if report["refused"]:
                    say(f"  {target.name}: sockets refused: {report['refused']}")
            if opened < sockets:
                raise RuntimeError(f"{target.name}: only {opened} of {sockets} sockets opened")
            started = time.monotonic()
            for worker in self.workers:
                worker.send(cmd="prime", window=max(20, 200 // processes), timeout=300)
            acked = 0
            for worker in self.workers:
                acked += worker.expect("primed", 360)["acked"]
            if target.postgres is not None:
                target.postgres.analyze()
            say(
                f"  {target.name}: {opened:,} visitor sockets, {acked:,} conversations opened "
                f"in {time.monotonic() - started:.1f} s"
            )
            time.sleep(2)
        except BaseException:
            self.close()
            raise

    def step(self, label: str, rate: float, seconds: float, drain: float) -> Step:
        meter = Meter(self.server, self.target.postgres)
        t0 = time.monotonic() + 1.0
        for worker in self.workers:
            worker.send(
                cmd="run",
                step=label,
                rate=rate,
                seconds=seconds,
                t0=t0,
                sockets=self.sockets,
                drain=drain,
            )
        reports = [w.expect("step", seconds + drain + 120) for w in self.workers]
        measured = meter.read()
        sent: dict[int, float] = {}
        acks: dict[int, float] = {}
        delivered: dict[int, float] = {}
        lag: list[float] = []
        errors: Counter[str] = Counter()
        closed: Counter[str] = Counter()
        cpu = 0.0
        for report in reports:
            for k, sent_at, ack_at in report["records"]:
                sent[k] = sent_at
                if ack_at is not None:
                    acks[k] = ack_at
            for k, at in report["delivered"]:
                delivered[k] = at
            lag += [x * 1000 for x in report["lag"]]
            errors.update(report["errors"])
            closed.update(report["closed"])
            if report["failed_sends"]:
                errors["send failed"] += report["failed_sends"]
            cpu += report["cpu"]
        # Errors are cumulative per process: only this step's growth counts.
        step_errors = Counter(errors)
        step_errors.subtract(self.errors)
        self.errors = errors
        last = max([*delivered.values(), t0 + 1e-9])
        return Step(
            target=self.target.name,
            rate=rate,
            seconds=seconds,
            offered=int(rate * seconds),
            sent=len(sent),
            acked=len(acks),
            delivered=sum(1 for k in sent if k in delivered),
            ack_ms=[(acks[k] - sent[k]) * 1000 for k in acks],
            delivery_ms=[(delivered[k] - sent[k]) * 1000 for k in sent if k in delivered],
            lag_ms=lag,
            errors={k: v for k, v in step_errors.items() if v > 0},
            closed=dict(closed),
            achieved=len(delivered) / max(1e-9, last - t0),
            meter=measured,
            loadgen_cpu=cpu / measured["wall"] * 100,
        )

    def finish(self) -> None:
        """Wait for the last acknowledgements; remember what was sent and acknowledged."""
        for worker in self.workers:
            worker.send(cmd="final", timeout=30)
        for worker in self.workers:
            report = worker.expect("final", 120)
            self.target.sent.update(report["sent"])
            self.target.acked.update(report["acked"])

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.poll() is None:
                try:
                    worker.send(cmd="quit")
                    worker.expect("quit", 60)
                except (RuntimeError, OSError):
                    pass
            worker.stop()
        self.server.stop()


def measure_latency(run: Run, target: Target) -> Step:
    args = run.args
    session = Session(run, target, args.conversations, "L")
    try:
        step = session.step("lat", args.rate, args.seconds, drain=10)
        session.finish()
    finally:
        session.close()
    return step


@dataclass
class Ladder:
    target: str
    steps: list[Step]
    bound_ms: float
    cap: float | None  # the most a target's sockets may send (Tiski's per-socket limit)
    profile: str | None = None

    @property
    def sustained(self) -> Step | None:
        passing = [s for s in self.steps if s.holds(self.bound_ms)]
        return max(passing, key=lambda s: s.rate) if passing else None

    @property
    def peak(self) -> float:
        return max((s.achieved for s in self.steps), default=0.0)


def measure_throughput(run: Run, target: Target) -> Ladder:
    args = run.args
    sockets = args.throughput_conversations
    rates = [float(r) for r in args.rates.split(",")]
    cap = None if target.is_relay else sockets * MESSAGES_PER_SOCKET_SECOND
    if cap is not None:
        rates = [r for r in rates if r <= cap]
    ladder = Ladder(target.name, [], args.bound_ms, cap)
    session = Session(run, target, sockets, "T")
    spy = None
    try:
        if args.profile and not target.is_relay:
            args.profile.mkdir(parents=True, exist_ok=True)
            out = args.profile / f"{target.name}-throughput.txt"
            spy = start_profiler(run, session.server.pid, out)
            ladder.profile = str(out)
        passed: float | None = None
        failed: float | None = None
        for index, rate in enumerate(rates):
            step = session.step(f"s{index}", rate, args.step_seconds, drain=args.drain)
            ladder.steps.append(step)
            verdict = "holds" if step.holds(args.bound_ms) else "does NOT hold"
            say(
                f"  {target.name}: {rate:,.0f}/s offered, {step.achieved:,.0f}/s delivered, "
                f"delivery p99 {step.q('delivery', 99):,.1f} ms, server CPU "
                f"{step.meter['server_cpu']:.0f}%: {verdict}"
            )
            if step.holds(args.bound_ms):
                passed = rate
            else:
                failed = rate
                break
            time.sleep(2)
        # Between the last rate that held and the first that did not, try halfway.
        for refine in range(args.refine):
            if failed is None or (passed is not None and failed - passed <= 100):
                break
            # Halfway between the last rate that held and the first that did not; below
            # the first rate when even that did not hold.
            middle = (passed + failed) / 2 if passed is not None else failed / 2
            rate = float(round(middle, -1 if middle < 500 else -2))
            if rate < 10:
                break
            time.sleep(3)
            step = session.step(f"r{refine}", rate, args.step_seconds, drain=args.drain)
            ladder.steps.append(step)
            holds = step.holds(args.bound_ms)
            say(
                f"  {target.name}: {rate:,.0f}/s offered, {step.achieved:,.0f}/s delivered, "
                f"delivery p99 {step.q('delivery', 99):,.1f} ms: "
                f"{'holds' if holds else 'does NOT hold'}"
            )
            if holds:
                passed = rate
            else:
                failed = rate
        session.finish()
    finally:
        if spy is not None:
            stop_profiler(spy)
        session.close()
    return ladder


def start_profiler(run: Run, pid: int, out: Path) -> Child:
    spy = BIN / "py-spy"
    if not spy.exists():
        sys.exit(f"--profile needs py-spy: {BIN / 'pip'} install py-spy")
    argv = [str(spy), "record", "--pid", str(pid), "--rate", "200", "--threads"]
    argv += ["--format", "raw", "--output", str(out), "--nonblocking"]
    return Child("py-spy", argv, dict(os.environ), run.path("py-spy.log"))


# Where a sample's time goes: the leaf-most frame that matches, first pattern first.
PROFILE_CATEGORIES = [
    ("asyncio/runners.py", "event loop (uvloop: sockets, callbacks)"),
    ("channels/layers.py", "channel layer (in-memory groups)"),
    ("django/db/backends/", "SQL: database driver"),
    ("django/db/", "ORM: queries and models"),
    ("tiski/core/html.py", "HTML sanitising"),
    ("json/", "JSON"),
    ("websockets/", "websocket protocol, deflate"),
    ("uvicorn/", "websocket protocol, deflate"),
    ("channels/", "Channels consumers"),
    ("asgiref/", "thread hand-offs"),
    ("concurrent/futures", "thread hand-offs"),
    ("threading.py", "thread hand-offs"),
    ("tiski/", "Tiski code"),
    ("asyncio/", "asyncio"),
]


def profile_breakdown(path: Path) -> list[str]:
    """Samples of a py-spy raw profile by thread and by kind of work."""
    by_thread: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        if frames[-1].startswith("_worker (concurrent/futures/thread.py"):
            continue  # a pool thread waiting for work: idle, though py-spy counts it
        thread = frames[0].split(": ", 1)[-1]
        thread = (
            "writer"
            if "chat-writer" in thread
            else "main loop"
            if thread == "MainThread"
            else "sync threads"
        )
        kind = "other"
        for frame in reversed(frames[1:]):
            match = next((name for pattern, name in PROFILE_CATEGORIES if pattern in frame), None)
            if match:
                kind = match
                break
        n = int(count)
        total += n
        by_thread[thread] += n
        by_kind.setdefault(kind, Counter())[thread] += n
    if not total:
        return ["  (no samples)"]
    threads = ["main loop", "writer", "sync threads"]
    lines = [
        f"  {'share of samples':<40} "
        + " ".join(f"{t:>12}" for t in threads)
        + f" {'all':>6}  ({total:,} samples)"
    ]
    for kind, counts in sorted(by_kind.items(), key=lambda item: -sum(item[1].values())):
        lines.append(
            f"  {kind:<40} "
            + " ".join(f"{counts[t] / total * 100:>11.1f}%" for t in threads)
            + f" {sum(counts.values()) / total * 100:>5.1f}%"
        )
    lines.append(
        f"  {'all':<40} "
        + " ".join(f"{by_thread[t] / total * 100:>11.1f}%" for t in threads)
        + f" {100:>5.1f}%"
    )
    return lines


def stop_profiler(spy: Child) -> None:
    if spy.process.poll() is None:
        spy.process.send_signal(signal.SIGINT)
        try:
            spy.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            spy.process.kill()
    spy.stop()


# --- the run ------------------------------------------------------------------------------


def prepare(run: Run, name: str, secret: str) -> Target:
    """A fresh database with a store, an agent and visitor tokens signed like the server's."""
    data_dir = run.work / f"data-{name}"
    data_dir.mkdir()
    env = {
        **os.environ,
        "TISKI_DATA_DIR": str(data_dir),
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tiski.settings"),
    }
    postgres = None
    if name == "postgres":
        postgres = Postgres(run.args.postgres_url)
        postgres.create()
        env["DATABASE_URL"] = postgres.url
    else:
        env["DATABASE_URL"] = f"sqlite:///{data_dir / 'tiski.sqlite3'}"
    subprocess.run(
        [str(BIN / "tiski"), "migrate", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    needed = tokens_needed(run.args)
    out = run.path(f"{name}-setup.json")
    django_helper(env, "setup", str(needed), str(out))
    setup = json.loads(out.read_text())
    return Target(
        name=name,
        env=env,
        widget=setup["widget"],
        tokens=setup["tokens"],
        postgres=postgres,
        prefix=run.prefix,
    )


def tokens_needed(args: argparse.Namespace) -> int:
    phases = set(args.only.split(","))
    count = 0
    if "idle" in phases:
        count += WARMUP_SOCKETS + args.idle + RATELIMIT_ATTEMPTS
    if "latency" in phases:
        count += args.conversations
    if "throughput" in phases:
        count += args.throughput_conversations
    return count


def relay_target(run: Run) -> Target:
    # The relay checks no token; these have the length of real ones, for the same URLs.
    fake = "x" * 110
    return Target(
        name="relay",
        env={**os.environ},
        widget="relay-widget-token-000000",
        tokens=[fake] * tokens_needed(run.args),
        prefix=run.prefix,
    )


@dataclass
class Results:
    idle: list[IdleResult] = field(default_factory=list)
    latency: list[Step] = field(default_factory=list)
    ladders: list[Ladder] = field(default_factory=list)
    stored: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def measure(run: Run, target: Target, results: Results) -> None:
    phases = run.args.only.split(",")
    say(f"--- {target.name} ---")
    if "idle" in phases:
        results.idle.append(measure_idle(run, target, run.args.idle))
    if "latency" in phases:
        results.latency.append(measure_latency(run, target))
    if "throughput" in phases:
        results.ladders.append(measure_throughput(run, target))
    if not target.is_relay and target.sent:
        out = run.path(f"{target.name}-stored.json")
        django_helper(target.env, "stored", target.prefix, str(out))
        stored = Counter(json.loads(out.read_text()))
        results.stored[target.name] = {
            "sent": len(target.sent),
            "acked": len(target.acked),
            "stored": sum(stored.values()),
            "distinct": len(stored),
            "twice": sum(1 for v in stored.values() if v > 1),
            "acked_missing": sum(1 for c in target.acked if c not in stored),
            "stored_unsent": sum(1 for c in stored if c not in target.sent),
        }


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--django-helper":
        helper_main(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--only",
        default="idle,latency,throughput",
        help="comma-separated figures to measure: idle, latency, throughput",
    )
    parser.add_argument("--idle", type=int, default=20_000, help="idle widget sockets to hold")
    parser.add_argument(
        "--idle-hold", type=float, default=25.0, help="seconds to hold them (CPU is measured)"
    )
    parser.add_argument(
        "--conversations", type=int, default=1000, help="conversations for the latency test"
    )
    parser.add_argument("--rate", type=float, default=200.0, help="messages/s, latency test")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration, latency test")
    parser.add_argument(
        "--throughput-conversations",
        type=int,
        default=4000,
        help="visitor sockets for the throughput test (each may send 1 message/s)",
    )
    parser.add_argument(
        "--rates", default=DEFAULT_RATES, help="offered rates (messages/s) to climb, in order"
    )
    parser.add_argument("--step-seconds", type=float, default=15.0, help="duration of each rate")
    parser.add_argument(
        "--drain", type=float, default=15.0, help="seconds a step may take to catch up after"
    )
    parser.add_argument(
        "--bound-ms",
        type=float,
        default=1000.0,
        help="a rate holds when 99.9%% is acked and delivered and delivery p99 is below this",
    )
    parser.add_argument(
        "--refine", type=int, default=2, help="halving steps between the last pass and fail"
    )
    parser.add_argument(
        "--load-processes",
        type=int,
        default=2,
        help="load-generator processes for the latency and throughput tests",
    )
    parser.add_argument("--no-relay", action="store_true", help="skip the baseline")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_CHAT_DATABASE_URL", DEFAULT_POSTGRES),
        help="created fresh and dropped at the end; the name must start with tiski_bench_chat",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="record the server with py-spy during the throughput test into this directory",
    )
    parser.add_argument("--keep", action="store_true", help="keep the logs and the database")
    args = parser.parse_args()
    unknown = set(args.only.split(",")) - {"idle", "latency", "throughput"}
    if unknown:
        parser.error(f"unknown figures: {', '.join(sorted(unknown))}")

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the children inherit it
    work = Path(tempfile.mkdtemp(prefix="tiski-bench-chat-"))
    run = Run(args, work)
    secret = secrets.token_urlsafe(50)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = Results()
    load_before = os.getloadavg()
    started = time.monotonic()
    targets: list[Target] = []
    pressure_before = cpu_pressure()
    say(
        f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, CPU pressure (10 s/60 s) {pressure_before}; descriptors per "
        f"process: {hard:,}; logs in {work}"
    )
    say(f"Channel layer: {'Redis' if os.environ.get('REDIS_URL') else 'in-memory'}")
    try:
        if not args.no_relay:
            targets.append(relay_target(run))
        for name in databases:
            say(f"Preparing {name} ...")
            target = prepare(run, name, secret)
            if target.postgres is not None:
                say(f"{redacted(target.postgres.url)}: {target.postgres.describe()}")
            targets.append(target)
        for target in targets:
            measure(run, target, results)
    except KeyboardInterrupt:
        say("Interrupted.")
        return 130
    finally:
        stop_all()
        for target in targets:
            if target.postgres is not None and not args.keep:
                try:
                    target.postgres.drop()
                except Exception as exc:
                    say(f"Could not drop {target.postgres.name}: {exc}")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    missed = report(args, results)
    say()
    say(
        f"Load average (1/5/15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after: {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f}; CPU pressure (10 s/60 s) before {pressure_before}, after "
        f"{cpu_pressure()}; {os.cpu_count()} CPUs; the run took {time.monotonic() - started:.0f} s."
    )
    return 1 if missed else 0


# --- the report ---------------------------------------------------------------------------


def report(args: argparse.Namespace, results: Results) -> bool:
    missed = False
    if results.idle:
        missed |= report_idle(args, results.idle)
    if results.latency:
        missed |= report_latency(args, results.latency)
    if results.ladders:
        missed |= report_throughput(args, results.ladders, results.stored)
    return missed


def mb(value: float) -> str:
    return f"{value / 2**20:,.0f} MB"


def report_idle(args: argparse.Namespace, rows: list[IdleResult]) -> bool:
    base = next((r for r in rows if r.target == "relay"), None)
    say()
    say(
        f"1. Idle widget sockets held by one server process ({args.idle:,} asked; RSS of the "
        f"server process; CPU/open: server CPU per socket opened; CPU held: % of one core "
        f"while holding them {args.idle_hold:.0f} s)"
    )
    say(
        f"{'target':<9} {'held':>7} {'refused':>7} {'open/s':>7} {'CPU/open':>8} "
        f"{'RSS before':>10} "
        f"{'RSS held':>9} {'per socket':>10} {'x base':>6} {'at 20,000':>9} {'RSS closed':>10} "
        f"{'CPU held':>8} {'still open':>10}"
    )
    for r in rows:
        ratio = f"{r.per_connection / base.per_connection:.1f}x" if base else "-"
        say(
            f"{r.target:<9} {r.held:>7,} {sum(r.refused.values()):>7,} "
            f"{r.held / r.connect_seconds:>7,.0f} {r.connect_cpu / max(1, r.held) * 1000:>5.2f} ms "
            f"{mb(r.rss_before):>10} {mb(r.rss_held):>9} "
            f"{r.per_connection / 1024:>7.1f} KB {ratio:>6} {mb(r.per_connection * 20_000):>9} "
            f"{mb(r.rss_closed):>10} {r.hold_cpu:>7.1f}% {r.still_open:>10,}"
        )
    short = [r for r in rows if r.held < r.asked]
    for r in short:
        say(
            f"  {r.target}: {r.held:,} of {r.asked:,} held. The server's descriptor limit is "
            f"{r.fd_limit:,} (RLIMIT_NOFILE hard limit; raising it needs CAP_SYS_RESOURCE) "
            f"and it had {r.fds_before} open before; refused: {r.refused or 'none'}."
        )
    for r in rows:
        if r.ratelimit:
            rl = r.ratelimit
            expected = min(WIDGET_CONNECT_LIMIT, rl["attempted"])
            ok = rl["accepted"] == expected and rl["same_window"]
            say(
                f"  {r.target}: connection limit, {rl['attempted']} sockets from one address in "
                f"one minute window: {rl['accepted']} accepted, refused {rl['refused']} "
                f"({'as configured' if ok else 'NOT as configured'}: {WIDGET_CONNECT_LIMIT}/min)."
            )
    return any(r.held < min(r.asked, r.fd_limit - r.fds_before - FD_MARGIN) for r in rows)


def fmt(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.1f}"


def report_latency(args: argparse.Namespace, steps: list[Step]) -> bool:
    base = next((s for s in steps if s.target == "relay"), None)
    say()
    say(
        f"2. Customer -> agent: {args.conversations:,} conversations, {args.rate:,.0f} messages/s "
        f"open loop for {args.seconds:.0f} s (ms from the send on the visitor socket to the "
        "ack on it, and to message.created on the agent's socket)"
    )
    say(
        f"{'target':<9} {'sent':>6} {'acked':>6} {'deliv.':>6} | {'ack p50':>7} {'p95':>6} "
        f"{'p99':>6} {'max':>7} | {'deliv p50':>9} {'p95':>6} {'p99':>6} {'max':>7} "
        f"{'p99/base':>8} {'target':>6} {'met':>3} | {'server':>6} {'gc':>4} {'pg':>5} "
        f"{'load':>5} "
        f"{'machine':>7} {'lag p99':>7}"
    )
    missed = False
    for s in steps:
        ratio = (
            f"{s.q('delivery', 99) / base.q('delivery', 99):.1f}x"
            if base and s is not base
            else "-"
        )
        met = "-"
        if s.target != "relay":
            ok = s.q("delivery", 99) < LATENCY_TARGET_MS and s.delivered >= s.offered * 0.999
            met = "yes" if ok else "NO"
            missed |= not ok
        pg = s.meter.get("postgres_cpu")
        say(
            f"{s.target:<9} {s.sent:>6,} {s.acked:>6,} {s.delivered:>6,} | "
            f"{fmt(s.q('ack', 50)):>7} {fmt(s.q('ack', 95)):>6} {fmt(s.q('ack', 99)):>6} "
            f"{fmt(s.q('ack', 100)):>7} | {fmt(s.q('delivery', 50)):>9} "
            f"{fmt(s.q('delivery', 95)):>6} {fmt(s.q('delivery', 99)):>6} "
            f"{fmt(s.q('delivery', 100)):>7} {ratio:>8} "
            f"{'<' + format(LATENCY_TARGET_MS, '.0f') if s.target != 'relay' else '-':>6} "
            f"{met:>3} | {s.meter['server_cpu']:>5.0f}% {s.meter['gc_cpu']:>3.0f}% "
            f"{'-' if pg is None else format(pg, '.0f') + '%':>5} {s.loadgen_cpu:>4.0f}% "
            f"{s.meter['machine_cpu']:>6.0f}% {percentile(s.lag_ms, 99):>7.1f}"
        )
        if s.errors or s.closed:
            say(f"  {s.target}: errors {s.errors or 'none'}, sockets closed {s.closed or 'none'}")
    say(
        "  server: CPU of the server process (% of one core); pg: PostgreSQL backends of the "
        "database; load: the load generator; machine: all CPUs (% of all); lag: how late the "
        "load generator sent against its schedule (ms)."
    )
    return missed


def report_throughput(
    args: argparse.Namespace, ladders: list[Ladder], stored: dict[str, dict[str, int]]
) -> bool:
    say()
    say(
        f"3. Throughput: {args.throughput_conversations:,} conversations, offered rates "
        f"climbing, {args.step_seconds:.0f} s each; a rate holds when 99.9% is acked and "
        f"delivered to the agent and delivery p99 < {args.bound_ms:,.0f} ms"
    )
    say(
        f"{'target':<9} {'offered/s':>9} {'sent':>7} {'acked':>7} {'deliv.':>7} "
        f"{'deliv/s':>8} {'ack p50':>7} {'ack p99':>8} {'del p50':>7} {'del p99':>8} "
        f"{'server':>6} {'gc':>4} {'pg':>5} {'load':>5} {'machine':>7} {'msgs/commit':>11} "
        f"{'holds':>5}"
    )
    for ladder in ladders:
        for s in ladder.steps:
            pg = s.meter.get("postgres_cpu")
            commits = s.meter.get("commits")
            per_commit = f"{s.sent / commits:.1f}" if commits else "-"
            say(
                f"{s.target:<9} {s.rate:>9,.0f} {s.sent:>7,} {s.acked:>7,} {s.delivered:>7,} "
                f"{s.achieved:>8,.0f} {fmt(s.q('ack', 50)):>7} {fmt(s.q('ack', 99)):>8} "
                f"{fmt(s.q('delivery', 50)):>7} {fmt(s.q('delivery', 99)):>8} "
                f"{s.meter['server_cpu']:>5.0f}% {s.meter['gc_cpu']:>3.0f}% "
                f"{'-' if pg is None else format(pg, '.0f') + '%':>5} {s.loadgen_cpu:>4.0f}% "
                f"{s.meter['machine_cpu']:>6.0f}% {per_commit:>11} "
                f"{'yes' if s.holds(args.bound_ms) else 'NO':>5}"
            )
            if s.errors or s.closed:
                say(f"  errors {s.errors or 'none'}, sockets closed {s.closed or 'none'}")
    say()
    base = next((ld for ld in ladders if ld.target == "relay"), None)
    base_rate = base.sustained.rate if base and base.sustained else None
    missed = False
    say(
        f"{'target':<9} {'sustained/s':>11} {'peak deliv/s':>12} {'x relay':>7} {'target':>7} "
        f"{'met':>3}  note"
    )
    for ladder in ladders:
        best = ladder.sustained
        rate = best.rate if best else 0.0
        ratio = f"{rate / base_rate:.2f}" if base_rate and ladder is not base else "-"
        met = "-"
        if ladder.target == "postgres":
            met = "yes" if rate >= THROUGHPUT_TARGET else "NO"
            missed |= rate < THROUGHPUT_TARGET
        notes = []
        if ladder.steps and ladder.steps[-1].holds(args.bound_ms):
            top = ladder.steps[-1]
            if ladder.cap is not None and top.rate >= ladder.cap:
                notes.append(
                    f"the ladder stopped at the sockets' limit ({ladder.cap:,.0f}/s): at least"
                )
            else:
                notes.append("every offered rate held: at least")
        if ladder.steps and max(s.loadgen_cpu for s in ladder.steps) > 85:
            notes.append("the load generator was near one full core: a lower bound")
        if ladder.profile:
            notes.append(f"profile: {ladder.profile}")
        target_text = f">={THROUGHPUT_TARGET:,.0f}" if ladder.target == "postgres" else "-"
        say(
            f"{ladder.target:<9} {rate:>11,.0f} {ladder.peak:>12,.0f} {ratio:>7} "
            f"{target_text:>7} {met:>3}  {'; '.join(notes)}"
        )
    for ladder in ladders:
        if ladder.profile and Path(ladder.profile).exists():
            say()
            say(f"Profile of the {ladder.target} server over the whole ladder ({ladder.profile}):")
            for line in profile_breakdown(Path(ladder.profile)):
                say(line)
    for name, check in stored.items():
        exact = (
            check["twice"] == 0
            and check["acked_missing"] == 0
            and check["stored_unsent"] == 0
            and check["stored"] == check["distinct"]
        )
        say(
            f"  {name}: database check over every message of the run: {check['sent']:,} sent, "
            f"{check['acked']:,} acked, {check['stored']:,} stored ({check['distinct']:,} "
            f"distinct client ids, {check['twice']} twice, {check['acked_missing']} acked but "
            f"missing): {'each acked message stored exactly once' if exact else 'MISMATCH'}"
        )
        missed |= not exact
    return missed


if __name__ == "__main__":
    sys.exit(main())
