"""Real server processes for tests: ``tiski run`` on the test database, killable.

The test database must be the committed kind (``transactional_db``): the servers are
other processes with their own connections.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_database_url() -> str:
    """The URL of the database the tests are using right now."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@dataclass
class Server:
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(suffix=".log")[1]))

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Server:
        env = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TISKI_DATA_DIR": tempfile.mkdtemp(prefix="tiski-server-"),
            "TISKI_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "TISKI_LOG_LEVEL": "WARNING",
            # The test settings: passwords the tests made are hashed the fast way.
            "TISKI_TESTING": "1",
            **self.env,
        }
        command = [
            sys.executable,
            "-m",
            "tiski.cli",
            "run",
            "--no-worker",
            "--port",
            str(self.port),
        ]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, as a crash or an OOM kill."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    # --- HTTP -------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            headers = {k.lower(): v for k, v in response.getheaders()}
            # A login sets two cookies: keep every Set-Cookie, not just the last.
            headers["set-cookie"] = "; ".join(response.msg.get_all("Set-Cookie") or [])
            return response.status, headers, response.read()
        finally:
            conn.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        status, _headers, body = self.request("GET", path, headers=headers)
        return status, body

    def post_json(
        self, path: str, data: Any, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        status, _h, body = self.request(
            "POST",
            path,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        return status, json.loads(body or b"null")


@dataclass
class AgentSession:
    """An agent logged in through the login form, as a browser would."""

    server: Server
    cookies: dict[str, str]

    @classmethod
    def log_in(cls, server: Server, email: str, password: str) -> AgentSession:
        status, headers, body = server.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert status == 200 and token, body[:300]
        cookies = dict(re.findall(r"([\w-]+)=([^;]+)", headers.get("set-cookie", "")))
        status, headers, body = server.request(
            "POST",
            "/login/",
            urlencode(
                {
                    "csrfmiddlewaretoken": token.group(1).decode(),
                    "email": email,
                    "password": password,
                }
            ).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
                "Referer": f"{server.origin}/login/",
            },
        )
        assert status == 302, body[:300]
        cookies.update(
            dict(re.findall(r"(sessionid|csrftoken)=([^;]+)", headers.get("set-cookie", "")))
        )
        return cls(server, cookies)

    @property
    def cookie_header(self) -> str:
        return "; ".join(
            f"{k}={v}" for k, v in self.cookies.items() if k in ("sessionid", "csrftoken")
        )

    def post_json(self, path: str, data: Any) -> tuple[int, Any]:
        return self.server.post_json(
            path,
            data,
            {
                "Cookie": self.cookie_header,
                "X-CSRFToken": self.cookies["csrftoken"],
                "Referer": f"{self.server.origin}/",
            },
        )
