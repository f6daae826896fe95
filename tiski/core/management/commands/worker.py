from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand

from tiski.core.scheduler import Scheduler
from tiski.core.worker import make_worker


class Command(BaseCommand):
    help = "Run background tasks and scheduled jobs (for scaled deployments)."

    def handle(self, *args: Any, **options: Any) -> None:
        from tiski.mail.idle import MailboxWatchers
        from tiski.shop.applier import DeliveryApplier

        scheduler = Scheduler()
        scheduler.start()
        mailboxes = MailboxWatchers()
        mailboxes.start()
        deliveries = DeliveryApplier()
        deliveries.start()
        worker = make_worker(interval=1.0)

        def stop(signum: int, frame: object) -> None:
            scheduler.stop()
            mailboxes.stop()
            deliveries.stop()
            worker.shutdown(signum, frame)  # type: ignore[arg-type]

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"tiski worker {worker.worker_id} started")
        worker.run()
        # The mailboxes go back to the other workers at once (see BackgroundWorker.stop).
        mailboxes.join(timeout=10)
