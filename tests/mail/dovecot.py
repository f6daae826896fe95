"""A throwaway Dovecot IMAP server for the tests (see ../shared/RECIPES.md's recipe)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port

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


@dataclass
class Dovecot:
    folder: Path
    port: int

    def stop(self) -> None:
        pid_file = self.folder / "run" / "master.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_dovecot(folder: Path) -> Dovecot:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    port = free_port()
    (folder / "run").mkdir(parents=True)
    (folder / "mail").mkdir()
    folder.chmod(0o755)  # dovecot's own users must reach the mail folder
    shutil.chown(folder / "mail", "dovecot", "dovecot")
    config = folder / "dovecot.conf"
    config.write_text(CONFIG.format(dir=folder, port=port, password=PASSWORD))
    # It daemonises; with its output piped the pipe would never close.
    subprocess.run(
        [binary, "-c", str(config)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=30,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return Dovecot(folder, port)
        except OSError:
            time.sleep(0.1)
    log = (folder / "dovecot.log").read_text() if (folder / "dovecot.log").exists() else ""
    raise RuntimeError(f"dovecot did not start on port {port}:\n{log[-2000:]}")
