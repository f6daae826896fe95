"""Article Markdown to the HTML pages print, and to the plain text snippets are cut from.

Rendering happens once, when an article is saved. Raw HTML in the Markdown is shown as
text (markdown-it's ``html`` option is off), and the result still passes through the
same sanitiser as customers' email, so a link to ``javascript:`` or an image with an
``onerror`` cannot reach a page.
"""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

from tiski.core.html import sanitize_html

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|pre|blockquote|table|dd|dt)>|<br\s*/?>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def render_markdown(body: str) -> str:
    """Safe HTML for an article body."""
    return sanitize_html(_markdown.render(body))


def html_to_text(value: str) -> str:
    """Plain text of rendered HTML: one line per block, entities decoded."""
    with_breaks = _BLOCK_END.sub(lambda m: m.group(0) + "\n", value)
    text = html.unescape(nh3.clean(with_breaks, tags=set()))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(line for line in lines if line)).strip()


def summarize(text: str, limit: int = 160) -> str:
    """The first sentences of ``text`` up to ``limit`` characters, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–-") + "…"
