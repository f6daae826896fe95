"""A throwaway Dovecot IMAP server for the tests (see ../shared/RECIPES.md's recipe)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient

from tests.servers import free_port
from tiski.mail.models import Mailbox, Security
from tiski.stores.models import Store

PASSWORD = "secret"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/run
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{dir}/mail/%u
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 1
# The user's name in each imap process's title: how a test finds its session to cut.
verbose_proctitle = yes
# IDLE learns of new mail through inotify; where the machine runs out of inotify
# instances (128 per user, shared with every other Dovecot on it), Dovecot looks every
# 30 s instead, as long as the tests wait. Look every second then.
mailbox_idle_check_interval = 1 secs
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={dir}/mail/%u
}}
"""


# Everything Dovecot 2.3 announces after login, except IDLE.
WITHOUT_IDLE = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES "
    "THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN "
    "NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT "
    "SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY "
    "PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY"
)


@dataclass
class Dovecot:
    folder: Path
    port: int

    @property
    def master_pid(self) -> int | None:
        pid_file = self.folder / "run" / "master.pid"
        if not pid_file.exists():
            return None
        return int(pid_file.read_text().strip())

    def start(self) -> None:
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        # It daemonises; with its output piped the pipe would never close.
        subprocess.run(
            [binary, "-c", str(self.folder / "dovecot.conf")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            timeout=30,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 1):
                    return
            except OSError:
                time.sleep(0.1)
        log_file = self.folder / "dovecot.log"
        log = log_file.read_text() if log_file.exists() else ""
        raise RuntimeError(f"dovecot did not start on port {self.port}:\n{log[-2000:]}")

    def halt(self) -> None:
        """Stop the server, cutting its clients off, and keep its mail to start again."""
        master = self.master_pid
        if master is None:
            return
        os.kill(master, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while _running(master) and time.monotonic() < deadline:
            # Its sessions would outlive it, and it waits seconds for its helpers:
            # end them as a crash would.
            for pid, _ in _children(master):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)
        (self.folder / "run" / "master.pid").unlink(missing_ok=True)

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.folder, ignore_errors=True)

    def cut(self, user: str) -> int:
        """Kill the user's IMAP sessions without a word (as a dropped network would);
        how many there were."""
        master = self.master_pid
        if master is None:
            return 0
        killed = 0
        for pid, title in _children(master):
            if title.startswith(f"dovecot/imap [{user} "):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
        return killed


def _children(master: int) -> list[tuple[int, str]]:
    """(pid, title) of the server's processes: only these are ever killed."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        if parent == master:
            found.append((int(proc.name), title))
    return found


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start_dovecot(folder: Path, *, capability: str = "") -> Dovecot:
    """A Dovecot on a free port; ``capability`` replaces what it announces."""
    port = free_port()
    (folder / "run").mkdir(parents=True)
    (folder / "mail").mkdir()
    folder.chmod(0o755)  # dovecot's own users must reach the mail folder
    shutil.chown(folder / "mail", "dovecot", "dovecot")
    config = CONFIG.format(dir=folder, port=port, password=PASSWORD)
    if capability:
        config += f"imap_capability = {capability}\n"
    (folder / "dovecot.conf").write_text(config)
    server = Dovecot(folder, port)
    server.start()
    return server


# Mailboxes on it, and the shop's side of them (another mail program).


def mailbox_on(server: Dovecot, store: Store) -> Mailbox:
    # Every test its own IMAP user: Dovecot's static passdb takes any name.
    return Mailbox.objects.create(
        store=store,
        address="support@revontuli.example",
        host="127.0.0.1",
        port=server.port,
        security=Security.NONE,
        username=f"u{uuid.uuid4().hex[:12]}",
        password=PASSWORD,
    )


def imap(mailbox: Mailbox) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=mailbox.port, ssl=False, timeout=10)
    client.login(mailbox.username, PASSWORD)
    return client


def deliver(mailbox: Mailbox, *sources: bytes, folder: str = "INBOX") -> None:
    with imap(mailbox) as client:
        if not client.folder_exists(folder):
            client.create_folder(folder)
        for source in sources:
            client.append(folder, source)


def flags(mailbox: Mailbox, folder: str = "INBOX") -> list[tuple[bytes, ...]]:
    with imap(mailbox) as client:
        client.select_folder(folder, readonly=True)
        found = client.get_flags(client.search(["ALL"]))
        return [found[uid] for uid in sorted(found)]
