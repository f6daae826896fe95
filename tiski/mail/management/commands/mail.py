"""``tiski mail``: import mail from files, and process failed mail again.

    tiski mail ingest [--store SLUG] [--json] PATH...   files, mbox files or folders of files
    tiski mail retry [--json] (--failed | ID...)         process failed (or stuck) mail again
    tiski mail list [--status STATUS] [--limit N]        what came in, newest first
    tiski mail poll [--json] [ID...]                     read the IMAP mailboxes now

With ``--json`` every mail is one line: {"path", "status", "conversation", "message",
"from", "subject", "text", "error"}. The exit status is 1 when a mail failed (it is
stored all the same, with its error, for ``retry``).
"""

from __future__ import annotations

import json
import mailbox
from argparse import ArgumentParser
from collections import deque
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from tiski.core import clock
from tiski.core.errors import ActionError
from tiski.mail.actions import BATCH_MAILS, Ingested, MailSource, ingest_batches, retry_mail
from tiski.mail.models import Mailbox, RawMail, RawMailStatus, Via
from tiski.stores.models import Store


def _sources(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, raw bytes) of every mail at ``path``: a file, an mbox, or a folder."""
    if path.is_dir():
        for child in sorted(p for p in path.iterdir() if p.is_file()):
            yield from _sources(child)
        return
    data = path.read_bytes()
    if not data.startswith(b"From "):
        yield str(path), data
        return
    # An mbox (of one mail or many): its "From " lines separate mails, they are no header.
    box = mailbox.mbox(path, create=False)
    try:
        for index, key in enumerate(box.keys()):
            yield f"{path}#{index + 1}", box.get_bytes(key)
    finally:
        box.close()


# An import reads this many mails (or bytes of them) into memory at a time; see
# tiski.mail.actions.BATCH_MAILS for why they are stored together.
BATCH_BYTES = 8 * 1024 * 1024
# A mail is processed within seconds of being stored; one still new after this long is
# not being worked on by anyone.
STUCK_AFTER = timedelta(minutes=10)


def _batches(sources: Iterator[tuple[str, bytes]]) -> Iterator[list[tuple[str, bytes]]]:
    batch: list[tuple[str, bytes]] = []
    size = 0
    for name, source in sources:
        batch.append((name, source))
        size += len(source)
        if len(batch) >= BATCH_MAILS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _mail_batches(
    path: Path, store: Store | None, names: deque[list[str]]
) -> Iterator[list[MailSource]]:
    """The mails at ``path`` in batches, each batch's names appended to ``names``."""
    for batch in _batches(_sources(path)):
        names.append([name for name, _source in batch])
        yield [MailSource(source, Via.FILE, store) for _name, source in batch]


class Command(BaseCommand):
    help = "Import mail from files, process failed mail again, list what came in."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        ingest = commands.add_parser("ingest", help="Store and process raw RFC 5322 mail.")
        ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        ingest.add_argument("--store", help="the store's slug (default: by recipient address)")
        ingest.add_argument("--json", action="store_true", help="one JSON object per mail")
        retry = commands.add_parser("retry", help="Process failed mail again.")
        retry.add_argument("ids", nargs="*", type=int, metavar="ID")
        retry.add_argument(
            "--failed", action="store_true", help="every failed mail, and mail stuck unprocessed"
        )
        retry.add_argument("--json", action="store_true", help="one JSON object per mail")
        poll = commands.add_parser("poll", help="Read the IMAP mailboxes now.")
        poll.add_argument("ids", nargs="*", type=int, metavar="ID", help="default: all enabled")
        poll.add_argument("--json", action="store_true", help="one JSON object per mail")
        listing = commands.add_parser("list", help="Stored mail, newest first.")
        listing.add_argument("--status", choices=RawMailStatus.values)
        listing.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        failed = getattr(self, f"_{options['command']}")(options)
        if failed:
            raise CommandError(f"{failed} mail failed; see `tiski mail list --status failed`")

    def _ingest(self, options: dict[str, Any]) -> int:
        store = None
        if options["store"]:
            store = Store.objects.filter(slug=options["store"]).first()
            if store is None:
                raise CommandError(f"no store with the slug {options['store']!r}")
        failed = 0
        for path in options["paths"]:
            if not path.exists():
                self._report(options, str(path), None, error=f"no such file: {path}")
                failed += 1
                continue
            names: deque[list[str]] = deque()
            for results in ingest_batches(_mail_batches(path, store, names)):
                for name, result in zip(names.popleft(), results, strict=True):
                    failed += result.status == RawMailStatus.FAILED
                    self._report(options, name, result)
        return failed

    def _retry(self, options: dict[str, Any]) -> int:
        if options["failed"] == bool(options["ids"]):
            raise CommandError("name the mail to retry by id, or give --failed")
        raws = (
            RawMail.objects.filter(
                # A mail still "new" long after it came was stored while the database
                # went away before it could be processed: it is retried too.
                Q(status=RawMailStatus.FAILED)
                | Q(status=RawMailStatus.NEW, received_at__lt=clock.now() - STUCK_AFTER)
            ).order_by("pk")
            if options["failed"]
            else RawMail.objects.filter(pk__in=options["ids"]).order_by("pk")
        )
        failed = 0
        for raw in raws:
            try:
                result = retry_mail(raw)
            except ActionError as exc:
                self._report(options, f"#{raw.pk}", Ingested(raw), error=exc.message)
                continue
            failed += result.status == RawMailStatus.FAILED
            self._report(options, f"#{raw.pk}", result)
        return failed

    def _poll(self, options: dict[str, Any]) -> int:
        from tiski.mail.imap import poll_mailbox

        mailboxes = Mailbox.objects.filter(enabled=True).select_related("store")
        if options["ids"]:
            mailboxes = mailboxes.filter(pk__in=options["ids"])
        failed = 0
        for box in mailboxes:
            result = poll_mailbox(box)
            if result.skipped:
                self.stderr.write(f"{box}: another worker is reading it; skipped")
                continue
            if result.error:
                self.stderr.write(f"{box}: {result.error}")
                failed += 1
            for ingested in result.results:
                failed += ingested.status == RawMailStatus.FAILED
                self._report(options, f"imap:{box.pk}:{ingested.raw.pk}", ingested)
            if not options["json"]:
                self.stdout.write(f"{box}: {result.fetched} new")
        return failed

    def _list(self, options: dict[str, Any]) -> int:
        raws = RawMail.objects.select_related("store")
        if options["status"]:
            raws = raws.filter(status=options["status"])
        for raw in raws[: options["limit"]]:
            self.stdout.write(
                f"#{raw.pk:<6} {raw.received_at:%Y-%m-%d %H:%M} {raw.status:<9} "
                f"{raw.store.slug if raw.store else '-':<14} {raw.sender[:30]:<30} "
                f"{raw.subject[:50]}"
                + (f"\n        {raw.error.splitlines()[0][:100]}" if raw.error else "")
            )
        return 0

    def _report(
        self, options: dict[str, Any], path: str, result: Ingested | None, *, error: str = ""
    ) -> None:
        raw = result.raw if result else None
        line = {
            "path": path,
            "status": raw.status if raw else RawMailStatus.FAILED.value,
            "conversation": raw.conversation_id if raw else None,
            "message": raw.message_id if raw else None,
            "from": raw.sender if raw else "",
            "subject": raw.subject if raw else "",
            "text": result.text if result else "",
            "error": error or (raw.error if raw else ""),
        }
        if options["json"]:
            self.stdout.write(json.dumps(line, ensure_ascii=False))
            return
        where = f" -> conversation {line['conversation']}" if line["conversation"] else ""
        problem = f": {line['error']}" if line["error"] else ""
        self.stdout.write(f"{path}: {line['status']}{where}{problem}")
