"""``tiski shop``: read a shop's past, apply stored webhooks now, retry failed ones.

tiski shop backfill [--store SLUG] [--pages N]   customers, products and orders via the shop's API
tiski shop apply                                 apply every stored webhook now
tiski shop retry (--failed | ID...)              apply failed webhooks again
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.shop.actions import apply_pending_deliveries, backfill_shop, retry_delivery
from tiski.shop.models import DeliveryStatus, ShopConnection, WebhookDelivery


class Command(BaseCommand):
    help = "Read a shop's past orders, apply stored webhooks, retry failed ones."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        backfill = commands.add_parser("backfill", help="Read the shop's records via its API.")
        backfill.add_argument("--store", help="the store's slug (default: every connected one)")
        backfill.add_argument("--pages", type=int, help="stop after this many pages")
        commands.add_parser("apply", help="Apply every stored webhook now.")
        retry = commands.add_parser("retry", help="Apply failed webhooks again.")
        retry.add_argument("ids", nargs="*", type=int, metavar="ID")
        retry.add_argument("--failed", action="store_true", help="every failed one")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['command']}")(options)

    def _backfill(self, options: dict[str, Any]) -> None:
        connections = ShopConnection.objects.filter(enabled=True).select_related("store")
        if options["store"]:
            connections = connections.filter(store__slug=options["store"])
            if not connections.exists():
                raise CommandError(f"no enabled shop connection for {options['store']!r}")
        failed = False
        for connection in connections:
            result = backfill_shop(
                connection, actor=Actor.system("backfill"), max_pages=options["pages"]
            )
            state = "done" if result.done else "stopped; run again to go on"
            self.stdout.write(
                f"{connection.store.slug}: {result.records} records in {result.pages} pages, "
                f"{state}" + (f": {result.error}" if result.error else "")
            )
            failed |= bool(result.error)
        if failed:
            raise CommandError("a backfill failed; see the messages above")

    def _apply(self, options: dict[str, Any]) -> None:
        total = 0
        while taken := apply_pending_deliveries():
            total += taken
        self.stdout.write(f"{total} webhook deliveries applied or settled")

    def _retry(self, options: dict[str, Any]) -> None:
        if options["failed"] == bool(options["ids"]):
            raise CommandError("name the deliveries to retry by id, or give --failed")
        deliveries = WebhookDelivery.objects.defer("body").order_by("received_at", "id")
        deliveries = (
            deliveries.filter(status=DeliveryStatus.FAILED)
            if options["failed"]
            else deliveries.filter(pk__in=options["ids"])
        )
        for delivery in deliveries:
            try:
                done = retry_delivery(delivery)
            except ActionError as exc:
                self.stdout.write(f"#{delivery.pk}: {exc.message}")
                continue
            self.stdout.write(
                f"#{done.pk}: {done.status}" + (f": {done.error}" if done.error else "")
            )
