"""widget.js as a file: served where the embed code says, small, and free of innerHTML."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from django.test import Client

import tiski.chat

WIDGET = Path(tiski.chat.__file__).parent / "static" / "tiski" / "widget.js"
BUDGET = 15 * 1024  # gzipped bytes: it loads on every page of every shop


def test_it_is_served_at_the_documented_path(db: None) -> None:
    response = Client().get("/static/tiski/widget.js")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert response.getvalue() == WIDGET.read_bytes()


def test_it_fits_the_size_budget() -> None:
    size = len(gzip.compress(WIDGET.read_bytes(), compresslevel=9))
    assert size <= BUDGET, f"widget.js is {size} bytes gzipped; the budget is {BUDGET}"


def test_it_never_assigns_innerhtml() -> None:
    source = WIDGET.read_text()
    # Server data reaches the page through textContent and built elements only.
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
        assert sink not in source, f"widget.js uses {sink}"
    assert not re.search(r"\beval\s*\(|new Function\s*\(", source)
