"""The thread in every worker that applies stored webhooks.

A webhook stored by this process wakes it at once (``wake``, on commit); deliveries
stored by other processes are found by looking every ``POLL_SECONDS``. Several workers
may run it: each claims rows nobody else holds.
"""

from __future__ import annotations

import logging
import threading
import weakref

from django.db import close_old_connections

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# Woken by a stored delivery, the applier waits this long for more before it starts: a
# batch costs a fixed part (its queries) and a part per record, so in a busy hour it
# applies hundreds at once instead of a few many times over (make bench-shop).
GATHER_SECONDS = 0.2
_appliers: weakref.WeakSet[DeliveryApplier] = weakref.WeakSet()


def wake() -> None:
    """A delivery was stored: every applier in this process looks now."""
    for applier in list(_appliers):
        applier.news.set()


class DeliveryApplier(threading.Thread):
    def __init__(
        self, poll_seconds: float = POLL_SECONDS, gather_seconds: float = GATHER_SECONDS
    ) -> None:
        super().__init__(name="tiski-shop-applier", daemon=True)
        self.poll_seconds = poll_seconds
        self.gather_seconds = gather_seconds
        self.news = threading.Event()
        self.stopping = threading.Event()
        _appliers.add(self)

    def run(self) -> None:
        from tiski.shop.actions import apply_pending_deliveries

        while not self.stopping.is_set():
            if self.news.is_set():
                self.stopping.wait(self.gather_seconds)
            self.news.clear()
            try:
                close_old_connections()
                # Until nothing is left: a burst of webhooks is applied by the batch.
                while apply_pending_deliveries() and not self.stopping.is_set():
                    pass
            except Exception:
                logger.exception("applying webhook deliveries failed; trying again soon")
            finally:
                close_old_connections()
            self.news.wait(self.poll_seconds)

    def stop(self) -> None:
        self.stopping.set()
        self.news.set()
