from __future__ import annotations

import os
import signal
from argparse import ArgumentParser
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tiski.core.worker import BackgroundWorker


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def unapplied_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = "Run the desk: web server (HTTP + websockets) and, unless told not to, the task worker."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("TISKI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("TISKI_PORT", "8000")))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Web only; run `tiski worker` processes for background work.",
        )
        parser.add_argument(
            "--proxy-headers",
            action="store_true",
            default=os.environ.get("TISKI_PROXY_HEADERS") == "1",
            help="Trust X-Forwarded-For/-Proto from the addresses in FORWARDED_ALLOW_IPS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # uvicorn shuts down gracefully on SIGTERM, then raises it again with the handler
        # it found: by default that ends the process on the spot, skipping the stops
        # below (and an IMAP watcher's lease would keep its mailbox from the next run).
        # Set before anything starts, so that an early SIGTERM also runs them.
        signal.signal(signal.SIGTERM, _exit)
        pending = unapplied_migrations()
        if pending:
            self.stderr.write(
                self.style.WARNING(f"{pending} migrations are not applied; run `tiski migrate`.")
            )
        worker = None
        listener = None
        try:
            if not options["no_worker"]:
                worker = BackgroundWorker()
                worker.start()
            if settings.SMTP_PORT:
                from tiski.mail.smtp import MailListener

                listener = MailListener(
                    settings.SMTP_HOST, settings.SMTP_PORT, lmtp=settings.SMTP_LMTP
                )
                listener.start()
                kind = "LMTP" if settings.SMTP_LMTP else "SMTP"
                self.stdout.write(f"{kind} listener on {settings.SMTP_HOST}:{listener.port}")
            config = uvicorn.Config(
                "tiski.asgi:application",
                host=options["host"],
                port=options["port"],
                proxy_headers=options["proxy_headers"],
                lifespan="on",
                log_level="info",
                ws_max_size=1024 * 1024,
                ws_per_message_deflate=settings.WS_PER_MESSAGE_DEFLATE,
            )
            uvicorn.Server(config).run()
        except KeyboardInterrupt:
            # Ctrl+C is how the desk is stopped: uvicorn has shut down by now, and hands
            # the signal back; it is no error to print a traceback for.
            pass
        finally:
            if listener is not None:
                listener.stop()
            if worker is not None:
                worker.stop()
