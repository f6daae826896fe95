"""Jobs that run on a timer inside every task worker (in-process or `tiski worker`).

Each job is safe to run in several workers at once, so scaling out workers needs no
leader election. IMAP mailboxes are not read here but by their own watcher threads
(``tiski.mail.idle``), which keep a connection open where the server offers IDLE.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    every_seconds: float
    run: Callable[[], object]
    last_run: float = 0.0


def _wake_snoozed() -> object:
    from tiski.conversations.actions import wake_snoozed

    return wake_snoozed()


def _prune_event_log() -> object:
    from tiski.conversations.actions import prune_event_log

    return prune_event_log()


def _warn_due_complaints() -> object:
    from tiski.returns.actions.complaints import warn_due_complaints

    return warn_due_complaints()


def default_jobs() -> list[Job]:
    return [
        Job("wake snoozed conversations", 15, _wake_snoozed),
        Job("prune the event log", 3600, _prune_event_log),
        Job("warn about complaint answer dates", 300, _warn_due_complaints),
    ]


class Scheduler(threading.Thread):
    def __init__(self, jobs: list[Job] | None = None, tick: float = 1.0) -> None:
        super().__init__(name="tiski-scheduler", daemon=True)
        self.jobs = jobs if jobs is not None else default_jobs()
        self.tick = tick
        self.stopping = threading.Event()

    def run_due(self, now: float) -> None:
        for job in self.jobs:
            if now - job.last_run < job.every_seconds:
                continue
            job.last_run = now
            try:
                close_old_connections()
                job.run()
            except Exception:
                # A failing job is logged and tried again next time; the others go on.
                logger.exception("scheduled job %r failed", job.name)
            finally:
                close_old_connections()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.run_due(time.monotonic())
            self.stopping.wait(self.tick)

    def stop(self) -> None:
        self.stopping.set()
