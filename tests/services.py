"""Real services the tests use, and whether a missing one skips or fails.

``TISKI_REQUIRE_SERVICES`` (comma-separated: postgres, redis, chromium, dovecot; or "all") turns
"skip with a reason" into a failure. CI sets it, so a machine without the service
cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlsplit

import pytest

KNOWN = ("postgres", "redis", "chromium", "dovecot")
CHROMIUM = os.environ.get("TISKI_CHROMIUM", "/usr/bin/chromium")
REDIS_URL = os.environ.get("TISKI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def required() -> set[str]:
    raw = os.environ.get("TISKI_REQUIRE_SERVICES", "")
    names = {n.strip().lower() for n in raw.split(",") if n.strip()}
    if "all" in names:
        return set(KNOWN)
    unknown = names - set(KNOWN)
    if unknown:
        raise RuntimeError(f"TISKI_REQUIRE_SERVICES names unknown services: {sorted(unknown)}")
    return names


def need(service: str, available: bool, reason: str) -> None:
    """Skip (or fail, when the service is required) unless ``available``."""
    if available:
        return
    if service in required():
        pytest.fail(f"{service} is required (TISKI_REQUIRE_SERVICES) but {reason}", pytrace=False)
    pytest.skip(f"{service} not available: {reason}")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def redis_available() -> bool:
    return _reachable(REDIS_URL, 6379)


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def dovecot_missing() -> str:
    """Why a throwaway Dovecot can't run here ("" when it can)."""
    if shutil.which("dovecot") is None and not os.path.exists("/usr/sbin/dovecot"):
        return "dovecot is not installed (apt-get install dovecot-imapd)"
    if os.geteuid() != 0:
        return "a throwaway dovecot needs root (it switches to its own users)"
    return ""
