"""The throwaway Dovecot and a mailbox on it, for the IMAP tests (polling and IDLE)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mail.dovecot import Dovecot, mailbox_on, start_dovecot
from tests.services import dovecot_missing, need
from tiski.mail.models import Mailbox
from tiski.stores.models import Store


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    missing = dovecot_missing()
    need("dovecot", not missing, missing)
    server = start_dovecot(Path(tempfile.mkdtemp(prefix="tiski-dovecot-")))
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot, store: Store) -> Mailbox:
    return mailbox_on(dovecot, store)
