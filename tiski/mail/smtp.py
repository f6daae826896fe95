"""The SMTP (or LMTP) listener: a shop's mail server or forwarding rule delivers here.

A mail is accepted (250) only once its source is committed to the database; if it
cannot be stored the sender hears 451 and its server tries again later, so a mail is
never lost between two systems. Processing (parsing, threading) follows the answer;
a mail that fails there is kept, marked failed, and retried with ``tiski mail retry``.

Only the stores' support addresses (and their ``+token`` reply addresses) are accepted
as recipients: the listener is not a relay and does not collect spam for others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections

from tiski.mail.actions import (
    process_raw_mails,
    store_for_addresses,
    store_raw_mail,
    support_addresses,
)
from tiski.mail.models import RawMail, Via
from tiski.stores.models import Store

logger = logging.getLogger(__name__)


def _in_thread(function: Any) -> Any:
    # Each call gets fresh database connections when the old ones went stale, as a
    # request would.
    def run(*args: Any) -> Any:
        close_old_connections()
        try:
            return function(*args)
        finally:
            close_old_connections()

    return run


@_in_thread
def _store_for(address: str) -> Store | None:
    return store_for_addresses([address])


@_in_thread
def _keep(content: bytes, recipients: Sequence[str]) -> list[RawMail]:
    """One raw mail per store among the recipients, each committed before we answer."""
    stores = support_addresses()
    by_store: dict[int, tuple[Store, list[str]]] = {}
    for address in recipients:
        store = store_for_addresses([address], stores)
        if store is not None:
            by_store.setdefault(store.pk, (store, []))[1].append(address)
    return [
        store_raw_mail(content, via=Via.SMTP, store=store, envelope_to=addresses)
        for store, addresses in by_store.values()
    ]


@_in_thread
def _process(raws: list[RawMail]) -> None:
    process_raw_mails(raws)


class MailHandler:
    """aiosmtpd's handler: checks recipients, stores, then processes."""

    def __init__(self) -> None:
        # Few threads: each holds a database connection; mail arrives at human pace.
        self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tiski-smtp")
        self.pending: set[asyncio.Future[None]] = set()

    async def _run(self, function: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        try:
            store = await self._run(_store_for, address)
        except Exception:
            logger.exception("could not look up the recipient %s", address)
            return "451 4.3.0 Temporary failure, try again later"
        if store is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if isinstance(content, str):  # pragma: no cover (decode_data is off)
            content = content.encode("utf-8", "surrogateescape")
        try:
            raws = await self._run(_keep, content, list(envelope.rcpt_tos))
        except Exception:
            logger.exception("could not store a mail from %s", envelope.mail_from)
            return "451 4.3.0 Could not store the mail, try again later"
        if not raws:  # pragma: no cover (every recipient was checked at RCPT)
            return "550 5.1.1 No such mailbox here"
        future = asyncio.get_running_loop().run_in_executor(self.executor, _process, raws)
        self.pending.add(future)
        future.add_done_callback(self.pending.discard)
        return "250 2.0.0 Stored"

    def close(self) -> None:
        self.executor.shutdown(wait=True)


class _LMTPController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


class MailListener:
    """The listener in a thread of its own, started and stopped by ``tiski run``."""

    def __init__(self, host: str, port: int, *, lmtp: bool = False) -> None:
        self.handler = MailHandler()
        kind = _LMTPController if lmtp else Controller
        self.controller = kind(
            self.handler,
            hostname=host,
            port=port,
            data_size_limit=settings.MAX_MAIL_BYTES,
            enable_SMTPUTF8=True,
            decode_data=False,
            ident="Tiski",
        )

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self.handler.close()
