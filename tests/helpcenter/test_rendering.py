"""Article Markdown to safe HTML and plain text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tiski.helpcenter.rendering import html_to_text, render_markdown, summarize


class Elements(HTMLParser):
    """The tags and attributes a browser would build from some HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klikkaa](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "![x](javascript:alert(1))",
        "<iframe src=https://evil.example></iframe>",
        '<div style="position:fixed">x</div>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_nothing_that_runs_survives(markdown: str) -> None:
    # What is left may mention "script" as text; no element or attribute may run it.
    found = Elements(render_markdown(markdown))
    assert not {"script", "iframe", "object", "embed", "style"} & set(found.tags)
    for name, value in found.attributes:
        assert not name.startswith("on") and name != "style"
        assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))


def test_markdown_features_render() -> None:
    html = render_markdown(
        "## Toimitus\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~vanha~~ *uusi* "
        "[linkki](https://example.fi)\n\n1. yksi\n2. kaksi"
    )
    assert "<h2>Toimitus</h2>" in html
    assert "<table>" in html and "<td>2</td>" in html
    assert "<s>vanha</s>" in html or "<del>vanha</del>" in html
    assert 'href="https://example.fi"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<ol>" in html


def test_plain_text_keeps_blocks_apart_and_decodes_entities() -> None:
    html = render_markdown("# Otsikko\n\nEka & toka.\n\n- yksi\n- kaksi\n\n<b>ei tagi</b>")
    assert html_to_text(html) == "Otsikko\nEka & toka.\nyksi\nkaksi\n<b>ei tagi</b>"


def test_summary_cuts_at_a_word() -> None:
    assert summarize("Lyhyt teksti.") == "Lyhyt teksti."
    cut = summarize("sana " * 100, limit=30)
    assert cut.endswith("…") and len(cut) <= 30 and "san…" not in cut
