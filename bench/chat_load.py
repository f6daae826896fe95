"""The load generator of bench/chat.py: real websockets against a running server.

    .venv/bin/python bench/chat_load.py SPEC.json

One process, one event loop (uvloop when installed), the ``websockets`` asyncio client.
SPEC.json says what to open; the process then answers commands, one JSON object per line
on stdin, with one JSON object per line on stdout (diagnostics go to stderr). It knows
nothing of Django: the same process drives the Tiski server and bench/relay.py, which
serve the same two paths (``/ws/chat/`` for visitors, ``/ws/inbox/`` for the agent).

Modes (``spec["mode"]``):

* ``idle``: open ``tokens`` visitor sockets and hold them. Reports ``held``; then
  ``{"cmd": "check"}`` reports how many are still open, ``{"cmd": "close"}`` closes them
  all and exits.
* ``ratelimit``: open ``count`` sockets from one address within one fixed minute window
  of the server's limiter, report how many were accepted and how the rest were refused.
* ``chat``: visitor sockets (and, in the process that has ``agent``, the agent's socket),
  then ``prime`` (every visitor writes once, which opens its conversation), ``run`` (an
  open-loop schedule at a given rate), ``final`` and ``quit``.

Every visitor socket binds to one of ``addresses`` (127.0.x.y; Linux routes 127/8 to lo),
round robin, so that the server's per-address connection limit is met, not lifted.
Clients do not send keepalive pings (browsers don't); they answer the server's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import sys
import time
from collections import Counter
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

MESSAGE_TEXT = "Hei! Tilasin eilen kengät, missä paketti on nyt? Tilaus {k}"


def emit(event: str, **data: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **data}, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def log(text: str) -> None:
    sys.stderr.write(f"[chat_load] {text}\n")
    sys.stderr.flush()


def raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return int(resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def refusal(exc: BaseException) -> str:
    if isinstance(exc, InvalidStatus):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__


async def read_command() -> dict[str, Any]:
    line = await asyncio.to_thread(sys.stdin.readline)
    if not line:  # the orchestrator is gone
        return {"cmd": "quit"}
    parsed: dict[str, Any] = json.loads(line)
    return parsed


class Opener:
    """Opens sockets with at most ``concurrency`` handshakes in flight."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.base = f"ws://{spec['host']}:{spec['port']}"
        self.widget = spec.get("widget", "")
        self.addresses: list[str] = spec["addresses"]
        self.semaphore = asyncio.Semaphore(int(spec.get("concurrency", 100)))
        self.timeout = float(spec.get("open_timeout", 30))
        self.compression: str | None = spec.get("compression", "deflate")
        self.refused: Counter[str] = Counter()

    async def visitor(self, index: int, token: str) -> ClientConnection | None:
        url = f"{self.base}/ws/chat/?token={self.widget}&visitor={token}"
        address = self.addresses[index % len(self.addresses)]
        async with self.semaphore:
            try:
                return await connect(
                    url,
                    local_addr=(address, 0),
                    open_timeout=self.timeout,
                    ping_interval=None,
                    close_timeout=5,
                    compression=self.compression,
                    proxy=None,
                    max_queue=None,  # read everything; never push back on the server
                )
            except Exception as exc:
                self.refused[refusal(exc)] += 1
                return None

    async def agent(self, agent: dict[str, str]) -> ClientConnection:
        return await connect(
            f"{self.base}/ws/inbox/",
            origin=agent["origin"],  # type: ignore[arg-type]
            additional_headers={"Cookie": agent["cookie"]} if agent.get("cookie") else None,
            open_timeout=self.timeout,
            ping_interval=None,
            close_timeout=5,
            compression=self.compression,
            proxy=None,
            max_queue=None,
        )


async def close_all(sockets: list[ClientConnection], concurrency: int = 500) -> None:
    semaphore = asyncio.Semaphore(concurrency)

    async def close(ws: ClientConnection) -> None:
        async with semaphore:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 10)

    await asyncio.gather(*(close(ws) for ws in sockets))


# --- idle ---------------------------------------------------------------------------------


async def idle(spec: dict[str, Any]) -> None:
    opener = Opener(spec)
    tokens: list[str] = spec["tokens"]
    started = time.monotonic()
    opened = await asyncio.gather(*(opener.visitor(i, t) for i, t in enumerate(tokens)))
    sockets = [ws for ws in opened if ws is not None]
    emit(
        "held",
        opened=len(sockets),
        refused=dict(opener.refused),
        seconds=round(time.monotonic() - started, 2),
        cpu=round(time.process_time(), 2),
    )
    while True:
        command = await read_command()
        if command["cmd"] == "check":
            emit("checked", open=sum(1 for ws in sockets if ws.close_code is None))
        else:
            started = time.monotonic()
            await close_all(sockets)
            emit("closed", seconds=round(time.monotonic() - started, 2))
            return


# --- the per-address connection limit --------------------------------------------------------


async def ratelimit(spec: dict[str, Any]) -> None:
    """``count`` connections from one address inside one window of the server's fixed
    one-minute counter: the first ``limit`` must be accepted, the rest refused."""
    # Start early in a window, so that all the attempts fall into the same one.
    while time.time() % 60 > 40:
        await asyncio.sleep(0.5)
    opener = Opener({**spec, "concurrency": 10})
    tokens: list[str] = spec["tokens"][: int(spec["count"])]
    window = int(time.time()) // 60
    opened = await asyncio.gather(*(opener.visitor(0, t) for t in tokens))
    same_window = int(time.time()) // 60 == window
    sockets = [ws for ws in opened if ws is not None]
    await close_all(sockets)
    emit(
        "ratelimit",
        attempted=len(tokens),
        accepted=len(sockets),
        refused=dict(opener.refused),
        same_window=same_window,
    )


# --- chat: prime, then open-loop runs --------------------------------------------------------


class Chat:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.opener = Opener(spec)
        self.index = int(spec.get("process", 0))
        self.processes = int(spec.get("processes", 1))
        self.prefix: str = spec["prefix"]  # client ids: "<prefix>.<step>.<k>"
        self.sockets: list[ClientConnection | None] = []
        self.agent: ClientConnection | None = None
        # client id -> monotonic time
        self.sent: dict[str, float] = {}
        self.acked: dict[str, float] = {}
        self.delivered: dict[str, float] = {}
        self.delivered_per_step: Counter[str] = Counter()
        self.waiters: dict[str, asyncio.Future[None]] = {}
        self.errors: Counter[str] = Counter()
        self.failed_sends = 0
        self.echoes = 0
        self.closed_during: Counter[str] = Counter()
        self.tasks: list[asyncio.Task[None]] = []

    async def open(self) -> None:
        tokens: list[str] = self.spec["tokens"]
        started = time.monotonic()
        # Global socket j = process + processes * local index: the address spreads too.
        opened = await asyncio.gather(
            *(self.opener.visitor(self.index + self.processes * i, t) for i, t in enumerate(tokens))
        )
        self.sockets = list(opened)
        for ws in self.sockets:
            if ws is not None:
                self.tasks.append(asyncio.create_task(self.read_visitor(ws)))
        if self.spec.get("agent"):
            self.agent = await self.opener.agent(self.spec["agent"])
            self.tasks.append(asyncio.create_task(self.read_agent(self.agent)))
        emit(
            "connected",
            opened=sum(1 for ws in self.sockets if ws is not None),
            refused=dict(self.opener.refused),
            agent=self.agent is not None,
            seconds=round(time.monotonic() - started, 2),
        )

    async def read_visitor(self, ws: ClientConnection) -> None:
        acked, errors = self.acked, self.errors
        try:
            async for raw in ws:
                now = time.monotonic()
                text = raw if isinstance(raw, str) else raw.decode()
                if text.startswith('{"type": "ack"'):
                    client_id = json.loads(text)["client_id"]
                    acked.setdefault(client_id, now)
                    waiter = self.waiters.pop(client_id, None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(None)
                elif text.startswith('{"type": "error"'):
                    errors[str(json.loads(text).get("code"))] += 1
                else:
                    self.echoes += 1  # the visitor's own message, back as an event
        except Exception as exc:
            self.closed_during[type(exc).__name__] += 1
        if ws.close_code is not None and ws.close_code != 1000:
            self.closed_during[f"close {ws.close_code}"] += 1

    async def read_agent(self, ws: ClientConnection) -> None:
        delivered = self.delivered
        marker = f'"external_id": "chat:{self.prefix}.'
        start = len("chat:")
        try:
            async for raw in ws:
                now = time.monotonic()
                text = raw if isinstance(raw, str) else raw.decode()
                if marker in text:
                    event = json.loads(text).get("event") or {}
                    client_id = event.get("external_id", "")[start:]
                    if event.get("type") == "message.created" and client_id not in delivered:
                        delivered[client_id] = now
                        self.delivered_per_step[client_id.split(".")[1]] += 1
        except Exception as exc:
            self.closed_during[f"agent {type(exc).__name__}"] += 1
        log(f"agent socket closed: {ws.close_code} {ws.close_reason!r}")

    async def send(self, ws: ClientConnection, client_id: str, k: int) -> bool:
        frame = json.dumps(
            {"type": "message", "client_id": client_id, "text": MESSAGE_TEXT.format(k=k)}
        )
        try:
            await ws.send(frame)
        except Exception:
            self.failed_sends += 1
            return False
        self.sent[client_id] = time.monotonic()
        return True

    async def prime(self, command: dict[str, Any]) -> None:
        """Every visitor writes once: that opens its conversation, and the socket follows
        it from then on. At most ``window`` first messages are unacknowledged at a time."""
        started = time.monotonic()
        window = asyncio.Semaphore(int(command.get("window", 100)))
        deadline = started + float(command.get("timeout", 180))

        async def first(local: int, ws: ClientConnection | None) -> None:
            if ws is None:
                return
            client_id = f"{self.prefix}.prime.{self.index + self.processes * local}"
            async with window:
                waiter = self.waiters[client_id] = asyncio.get_running_loop().create_future()
                if not await self.send(ws, client_id, local):
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter, max(0.1, deadline - time.monotonic()))

        await asyncio.gather(*(first(i, ws) for i, ws in enumerate(self.sockets)))
        primes = [c for c in self.sent if ".prime." in c]
        emit(
            "primed",
            sent=len(primes),
            acked=sum(1 for c in primes if c in self.acked),
            errors=dict(self.errors),
            seconds=round(time.monotonic() - started, 2),
        )

    async def run(self, command: dict[str, Any]) -> None:
        """Message k goes at t0 + k / rate to global socket k mod sockets (round robin),
        whether or not earlier ones were acknowledged: an open loop."""
        rate, seconds = float(command["rate"]), float(command["seconds"])
        t0, total_sockets, step = float(command["t0"]), int(command["sockets"]), command["step"]
        drain = float(command.get("drain", 10))
        count = int(rate * seconds)
        mine = [k for k in range(count) if (k % total_sockets) % self.processes == self.index]
        cpu_before = time.process_time()
        lag: list[float] = []
        sent_ids: list[tuple[int, str]] = []
        since_yield = 0
        for k in mine:
            due = t0 + k / rate
            now = time.monotonic()
            if due > now + 0.0005:
                await asyncio.sleep(due - now)
                since_yield = 0
            elif since_yield >= 20:
                # Behind schedule: still let the readers stamp what has arrived.
                await asyncio.sleep(0)
                since_yield = 0
            ws = self.sockets[(k % total_sockets) // self.processes]
            if ws is None:
                continue
            client_id = f"{self.prefix}.{step}.{k}"
            if await self.send(ws, client_id, k):
                sent_ids.append((k, client_id))
                lag.append(self.sent[client_id] - due)
            since_yield += 1
        cpu_sending = time.process_time() - cpu_before
        # Wait for the acks of what this process sent and, where the agent is, for the
        # delivery of every message of the step (other processes' too).
        end = time.monotonic() + drain
        deliveries_wanted = count if self.agent is not None else 0
        while time.monotonic() < end:
            missing_acks = any(cid not in self.acked for _k, cid in sent_ids)
            if not missing_acks and self.delivered_per_step[str(step)] >= deliveries_wanted:
                break
            await asyncio.sleep(0.05)
        records = [
            [k, round(self.sent[cid], 6), round(self.acked[cid], 6) if cid in self.acked else None]
            for k, cid in sent_ids
        ]
        head = f"{self.prefix}.{step}."
        delivered_records = [
            [int(cid[len(head) :]), round(t, 6)]
            for cid, t in self.delivered.items()
            if cid.startswith(head)
        ]
        emit(
            "step",
            step=step,
            records=records,
            delivered=delivered_records,
            lag=[round(x, 6) for x in lag],
            errors=dict(self.errors),
            failed_sends=self.failed_sends,
            closed=dict(self.closed_during),
            cpu=round(time.process_time() - cpu_before, 3),
            cpu_sending=round(cpu_sending, 3),
        )

    async def final(self, command: dict[str, Any]) -> None:
        """Wait for whatever is still unacknowledged, then list every client id sent and
        acknowledged, for the database check."""
        end = time.monotonic() + float(command.get("timeout", 30))
        while time.monotonic() < end and any(c not in self.acked for c in self.sent):
            await asyncio.sleep(0.1)
        emit("final", sent=sorted(self.sent), acked=sorted(c for c in self.sent if c in self.acked))

    async def quit(self) -> None:
        sockets = [ws for ws in self.sockets if ws is not None]
        if self.agent is not None:
            sockets.append(self.agent)
        await close_all(sockets)
        for task in self.tasks:
            task.cancel()


async def chat(spec: dict[str, Any]) -> None:
    session = Chat(spec)
    await session.open()
    while True:
        command = await read_command()
        if command["cmd"] == "prime":
            await session.prime(command)
        elif command["cmd"] == "run":
            await session.run(command)
        elif command["cmd"] == "final":
            await session.final(command)
        else:
            await session.quit()
            emit("quit")
            return


async def main(spec: dict[str, Any]) -> None:
    limit = raise_fd_limit()
    wanted = len(spec.get("tokens", [])) + 64
    if wanted > limit:
        log(f"{wanted} file descriptors wanted, the limit is {limit}")
    mode = spec["mode"]
    if mode == "idle":
        await idle(spec)
    elif mode == "ratelimit":
        await ratelimit(spec)
    elif mode == "chat":
        await chat(spec)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        loaded = json.load(f)
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        asyncio.run(main(loaded))
    else:
        uvloop.run(main(loaded))
