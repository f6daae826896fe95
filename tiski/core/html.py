"""Sanitising of HTML that came from outside (customers' email, API clients).

Everything that is stored as HTML passes through :func:`sanitize_html` on the way in,
so templates can mark stored HTML safe without trusting its source.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

# Enough for the formatting real mail clients produce (details/summary fold an email's
# quoted history); no forms, scripts, styles or embedded documents. SVG and MathML are
# absent on purpose: both carry script vectors.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "ol": {"start", "type"},
}
# cid: lets inline images of an email point at their attachment.
URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}


def sanitize_html(value: str) -> str:
    """Return ``value`` with everything that could run script or load a document removed."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_URL = re.compile(r"(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")


def text_to_html(text: str) -> str:
    """Plain text to safe HTML: escaped, paragraphs and line breaks kept, links clickable.

    Text without links is safe by construction (every ``<``, ``>`` and ``&`` is
    escaped) and skips the sanitiser, a third of the cost of a chat message. With
    links it still runs, which drops an ``href`` the browser would not take as a URL.
    Either way the output is what ``sanitize_html`` makes of it (tests/core/test_html.py).
    """
    text = text.strip()
    pieces: list[str] = []
    done = 0
    # Links are found in the text, not in its escaped form: "https://x&lt;" is not a URL.
    for match in _URL.finditer(text):
        url = html.escape(match.group(1), quote=False)
        pieces.append(html.escape(text[done : match.start()], quote=False))
        pieces.append(f'<a href="{url}" rel="noopener noreferrer nofollow">{url}</a>')
        done = match.end()
    pieces.append(html.escape(text[done:], quote=False))
    linked = "".join(pieces)
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n\s*\n", linked) if p]
    result = "".join(f"<p>{p}</p>" for p in paragraphs)
    return sanitize_html(result) if done else result


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|li|tr|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """A readable plain-text rendering of (already sanitised) HTML for previews and search."""
    with_breaks = _BLOCK_END.sub("\n", value)
    text = html.unescape(_TAG.sub("", with_breaks))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def web_url(value: object) -> str:
    """``value`` if it is an http(s) address, else "". Shops and their plugins send links
    (tracking, order pages) as plain strings: a link shown to an agent or a customer must
    never run script (``javascript:``) nor be anything but a web address."""
    url = value.strip() if isinstance(value, str) else ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") and "//" in url[:10] else ""
