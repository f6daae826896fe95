from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiski.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Seed the demo shops; with --conversations N, also bulk-generate N conversations."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--conversations",
            type=int,
            default=0,
            help="Bulk-generate this many synthetic conversations (for scale tests).",
        )
        parser.add_argument(
            "--messages-per-conversation",
            type=float,
            default=5.0,
            help="Average messages per generated conversation (default 5).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed for bulk data.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_demo()
        for name in result.created_stores:
            self.stdout.write(f"Created the demo shop {name}.")
        if not result.created_stores:
            self.stdout.write("The demo shops already exist.")
        count = options["conversations"]
        if count < 0:
            raise CommandError("--conversations must be zero or more")
        if count:
            from tiski.demo.bulk import generate

            started = time.monotonic()
            stats = generate(
                count,
                messages_per_conversation=options["messages_per_conversation"],
                seed=options["seed"],
                progress=self.stdout.write,
            )
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"Generated {stats.conversations} conversations, {stats.messages} messages, "
                f"{stats.contacts} contacts in {elapsed:.1f} s."
            )
        if result.logins:
            self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
            for email, name, what in result.logins:
                self.stdout.write(f"  {email:<36} {name:<22} {what}")
