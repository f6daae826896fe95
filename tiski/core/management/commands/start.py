from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tiski.stores.models import Store


class Command(BaseCommand):
    help = "First run on one machine: migrate, seed the demo shops if the desk is empty, run."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("TISKI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("TISKI_PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="Do not seed the demo shops.")

    def handle(self, *args: Any, **options: Any) -> None:
        from tiski.demo.seed import DEMO_PASSWORD, demo_logins, seed_demo

        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        if not options["no_demo"] and not Store.objects.exists():
            self.stdout.write("Seeding the demo shops (takes a few seconds)...")
            seed_demo()
        url = f"http://{options['host']}:{options['port']}/"
        lines = ["", f"  Tiski is running at {url}", ""]
        if Store.objects.filter(slug__in=["tunturikettu", "ziarno-i-lisc"]).exists():
            lines.append(f"  Demo logins (password: {DEMO_PASSWORD}):")
            lines += [f"    {email:<36} {name:<20} {what}" for email, name, what in demo_logins()]
            lines.append("")
            lines.append("  Chat with the desk as a customer of a demo shop:")
            lines.append(f"    {url}demo/shop/tunturikettu/   {url}demo/shop/ziarno-i-lisc/")
            lines.append("")
        lines.append("  Stop with Ctrl+C.")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
        call_command("run", host=options["host"], port=options["port"])
