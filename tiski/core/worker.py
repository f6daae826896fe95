"""The task worker: django-tasks-db's worker plus Tiski's scheduler."""

from __future__ import annotations

import threading

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from tiski.core.scheduler import Scheduler


def make_worker(interval: float = 0.5) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"tiski-{get_random_string(12)}",
        excluded_queue_names=[],
    )


class BackgroundWorker:
    """The embedded deployment's worker: threads inside the web process."""

    def __init__(self) -> None:
        from tiski.mail.idle import MailboxWatchers
        from tiski.shop.applier import DeliveryApplier

        self.worker = make_worker()
        self.scheduler = Scheduler()
        self.mailboxes = MailboxWatchers()
        self.deliveries = DeliveryApplier()
        self.thread = threading.Thread(target=self.worker.run, name="tiski-worker", daemon=True)

    def start(self) -> None:
        self.thread.start()
        self.scheduler.start()
        self.mailboxes.start()
        self.deliveries.start()

    def stop(self) -> None:
        self.worker.running = False
        self.scheduler.stop()
        self.mailboxes.stop()
        self.deliveries.stop()
        # Idling watchers log out and give their mailboxes back, so that another
        # worker takes them over at once rather than when the leases run out.
        self.mailboxes.join(timeout=10)


def run_pending_tasks(limit: int = 10_000) -> int:
    """Run every task that is due now, in this thread, and return how many ran.

    For tests and one-off commands. Unlike the worker loop it does not recycle database
    connections, so it also runs inside a surrounding transaction.
    """
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    runner = make_worker(interval=0)
    ran = 0
    while ran < limit:
        with transaction.atomic():
            task_result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if task_result is None:
                return ran
            task_result.claim(runner.worker_id)
        runner.run_task(task_result)
        ran += 1
    return ran
