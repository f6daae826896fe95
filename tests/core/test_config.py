from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from tiski.config import email_settings_from_url, env_bool, env_gc_threshold, env_list


def test_email_urls() -> None:
    smtp = email_settings_from_url("smtp+tls://user%40shop:p%3Ass@mail.example")
    assert (smtp.host, smtp.port, smtp.user, smtp.password) == (
        "mail.example",
        587,
        "user@shop",
        "p:ss",
    )
    assert smtp.use_tls and not smtp.use_ssl
    smtps = email_settings_from_url("smtps://mail.example")
    assert smtps.use_ssl and smtps.port == 465
    plain = email_settings_from_url("smtp://mail.example:2525?tls=1")
    assert plain.port == 2525 and plain.use_tls
    assert email_settings_from_url("console://").backend.endswith("console.EmailBackend")
    assert email_settings_from_url("file:///tmp/mail").file_path == "/tmp/mail"


@pytest.mark.parametrize("url", ["ftp://x", "smtp://", "nonsense"])
def test_bad_email_urls_are_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        email_settings_from_url(url)


def test_env_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", default=False) is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG", default=False)
    monkeypatch.setenv("X_LIST", " a.example , ,b.example")
    assert env_list("X_LIST", default=[]) == ["a.example", "b.example"]
    assert env_list("X_MISSING", default=["d"]) == ["d"]


@pytest.mark.parametrize("raw", ["50000,20", "a,b,c", "50000,-1,10", "0,10,10", "1.5,2,3"])
def test_bad_gc_thresholds_are_refused(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("X_GC", raw)
    with pytest.raises(ImproperlyConfigured, match="X_GC"):
        env_gc_threshold("X_GC", default=(50_000, 20, 10))


def test_gc_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_gc_threshold("X_GC_MISSING", default=(9, 8, 7)) == (9, 8, 7)
    monkeypatch.setenv("X_GC", " 20000, 5 ,0 ")
    assert env_gc_threshold("X_GC", default=(9, 8, 7)) == (20_000, 5, 0)
