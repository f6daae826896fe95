"""Parsing of environment variables into settings values.

Kept apart from settings.py so the parsing is plain functions that tests call directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value, not {raw!r}")


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_gc_threshold(name: str, *, default: tuple[int, int, int]) -> tuple[int, int, int]:
    """Three whole numbers, as ``gc.set_threshold`` takes them (``50000,20,10``); the first
    above 0, since 0 turns the collector off."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ImproperlyConfigured(
            f"{name} must be three whole numbers separated by commas, such as "
            f"{','.join(map(str, default))}; not {raw!r}"
        )
    first, second, third = (int(part) for part in parts)
    if first == 0:
        # gc.set_threshold(0, ...) turns collection off altogether: cycles would leak.
        raise ImproperlyConfigured(f"{name}: the first threshold must be above 0, not {raw!r}")
    return first, second, third


@dataclass(frozen=True)
class EmailSettings:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str = ""


_SIMPLE_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_settings_from_url(url: str) -> EmailSettings:
    """Turn ``EMAIL_URL`` into Django's email settings.

    ``smtp://user:pass@host:587`` (plain, or STARTTLS with ``?tls=1``),
    ``smtp+tls://`` (STARTTLS, port 587), ``smtps://`` (implicit TLS, port 465),
    ``console://``, ``memory://``, ``dummy://`` and ``file:///path``.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _SIMPLE_BACKENDS:
        return EmailSettings(backend=_SIMPLE_BACKENDS[scheme])
    if scheme == "file":
        return EmailSettings(
            backend="django.core.mail.backends.filebased.EmailBackend",
            file_path=unquote(parts.path),
        )
    if scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {scheme!r} is not one of smtp, smtp+tls, smtps, console, "
            "memory, dummy, file"
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL needs a host, for example smtp://mail.example:25")
    query = parse_qs(parts.query)
    use_ssl = scheme == "smtps"
    use_tls = scheme == "smtp+tls" or query.get("tls", ["0"])[0].lower() in _TRUE
    default_port = 465 if use_ssl else 587 if use_tls else 25
    return EmailSettings(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host=parts.hostname,
        port=parts.port or default_port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )
