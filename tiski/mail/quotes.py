"""Separating what a customer wrote now from the quoted history and signature under it.

Both functions are pure and never raise. The rules work on *lines*: plain text is split
at ``\\n``; HTML is first rendered to lines (a ``<blockquote>`` level becomes a ``"> "``
prefix, ``<hr>`` a rule of underscores), so one set of rules serves both, and the HTML
is cut at the element boundary in front of the chosen line.

The quoted part starts at the earliest of these that leaves some text of the customer's
own above it (a non-blank line that neither starts with ``>`` nor is a rule of
underscores); with none, nothing is cut:

* the first *strong marker* on an unquoted line: an "Original Message" or forward
  separator, or an Outlook-style header block (two or more consecutive ``From:``,
  ``Sent:``, ... lines in en/fi/pl/sv/de, one of them a sender line). After one of these
  every client puts only the history, so whatever follows is history;
* the trailing run of ``>`` lines (blank lines allowed), with the attribution line
  ("On ... wrote:", "... kirjoitti:", ...) above it, which may be wrapped over two lines.
  Quotes with the customer's text after them are inline replies and stay new;
* a signature: a ``-- `` line at most 20 lines above the history (or the end), or a
  mobile signature ("Sent from my iPhone", ...) as the last line above it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from html import unescape
from itertools import accumulate


@dataclass(frozen=True)
class Split:
    """A message cut in two.

    For :func:`split_text`: ``text == new + gap + quoted`` where ``gap`` is whitespace
    only. When ``quoted`` is not empty, ``new`` has no trailing and ``quoted`` no leading
    whitespace, and ``new`` holds a non-blank line that neither starts with ``>`` nor is a
    rule of underscores; when it is empty, ``new`` is the input unchanged.

    For :func:`split_html` both are well-formed HTML fragments whose text together is the
    input's (up to whitespace at the cut); with nothing quoted, ``new`` is the input.
    """

    new: str  # what the customer wrote now
    quoted: str  # the quoted history and/or signature, verbatim from where it starts


# Attribution lines are short; longer lines are not looked at, which also bounds the work
# every regex below does on a line.
_MAX_ATTRIBUTION = 400
# A "-- " further up than this is the customer using dashes, not a signature.
_MAX_SIGNATURE_LINES = 20
_RULE = "_" * 32  # how an <hr> is rendered: Outlook's underscore line

_QUOTE_PREFIX = re.compile(r"^[\s>]+")
# The verb ends the line, or (fi/sv/de) is followed by the date or the name, then ":".
_ATTRIBUTION = re.compile(
    r"(?:\b(?:wrote|napisał\(a\)|napisała|napisał|pisze|a\s+écrit|escribió|schreef)\s?:"
    r"|\b(?:kirjoitti|skrev|schrieb)\b.{0,200}:"
    r"|^wiadomość\s+napisana\s+przez\b.{0,300}:"
    r")\s*$",
    re.IGNORECASE,
)
# How an attribution starts: "On", "W dniu", ... or a date, maybe after a weekday
# ("ma 3.11.2025", "pon., 3 lis 2025"); not a finished sentence, nor a bare number.
_ATTRIBUTION_OPENING = re.compile(
    r"(?:(?:on|am|den|le|el|op|w\s+dniu|wiadomość\s+napisana)\b"
    r"|(?:\w{2,4}\.?,?\s+)?\d{1,4}(?:[./-]\d{1,2}|\.?\s+\w{3}))"
    r"(?!.*[.!?;]$)",
    re.IGNORECASE,
)
# A date, a time or an address: "My sister wrote:" before a quote is the customer talking.
_ATTRIBUTION_HINT = re.compile(r"\d|@")

_SEPARATOR_PHRASES = (
    "original message", "alkuperäinen viesti", "wiadomość oryginalna",
    "oryginalna wiadomość", "ursprungligt meddelande", "ursprüngliche nachricht",
    "original-nachricht", "forwarded message", "välitetty viesti",
    "edelleenlähetetty viesti", "wiadomość przekazana", "przekazana wiadomość",
    "wiadomość przesłana dalej", "vidarebefordrat meddelande", "weitergeleitete nachricht",
)  # fmt: skip
_FORWARD_INTROS = (
    "begin forwarded message", "välitetty viesti alkaa", "początek przekazywanej wiadomości",
    "början av vidarebefordrat meddelande", "anfang der weitergeleiteten nachricht",
)  # fmt: skip


def _alternatives(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"[ \t]+") for p in phrases)


_SEPARATOR = re.compile(
    rf"^[ \t]*[-=_*]*[ \t]*(?:{_alternatives(_SEPARATOR_PHRASES)})[ \t]*[-=_*]*[ \t]*:?[ \t]*\r?$"
    rf"|^[ \t]*(?:{_alternatives(_FORWARD_INTROS)})[ \t]*:[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)

_HEADER_KINDS = {
    "from": ("from", "lähettäjä", "od", "från", "von"),
    "date": ("sent", "date", "lähetetty", "päivämäärä", "päiväys", "wysłano", "wysłane",
             "data", "skickat", "datum", "gesendet"),
    "to": ("to", "vastaanottaja", "do", "till", "an"),
    "cc": ("cc", "kopio", "dw", "kopia"),
    "subject": ("subject", "aihe", "temat", "ämne", "betreff"),
}  # fmt: skip
_HEADER_KIND = {key: kind for kind, keys in _HEADER_KINDS.items() for key in keys}
# "*From:* X" is Outlook's bold rendered as plain text.
_HEADER = re.compile(
    rf"^[ \t]*\*{{0,2}}({'|'.join(_HEADER_KIND)})\*{{0,2}}[ \t]*:[ \t]*\*{{0,2}}[ \t]*\S",
    re.IGNORECASE | re.MULTILINE,
)
_RULE_LINE = re.compile(r"[ \t]*_{8,}[ \t]*\r?")
_SIGNATURE_DELIMITER = re.compile(r"--[ \t]?\r?")  # "-- ", and "--" as HTML renders it

# Mobile signatures: a known opening and a device or app word, on a short line.
_MOBILE_OPENING = re.compile(
    r"(?:sent\s+from|get\s+outlook|lähetetty|hanki\s+outlook|wysłan[eoa]\s+z|"
    r"pobierz\s+(?:aplikację\s+)?outlook|skickat\s+från|(?:skaffa|hämta)\s+outlook|"
    r"von\s+meinem|gesendet\s+von|holen\s+sie\s+sich\s+outlook|outlook\s+für)\b",
    re.IGNORECASE,
)
# Not "posti" or "poczta" alone: "Lähetetty postitse eilen." is the customer talking.
_MOBILE_DEVICE = re.compile(
    r"iphone|ipad|android|\bios\b|outlook|samsung|galaxy|huawei|xiaomi|pixel|mobil|phone|"
    r"puhelim|telefon|smartfon|handy|\bmail\b|sähköposti|aplikacji|yahoo|gmail",
    re.IGNORECASE,
)
_TRAILING_LINK = re.compile(r"\s*(?:<[^<>\s]*>|\[[^\]\s]*\]|https?://\S*)$")
_MAX_MOBILE = 80


def _unquoted(line: str) -> str:
    return _QUOTE_PREFIX.sub("", line).strip()


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _is_attribution(*parts: str) -> bool:
    if sum(len(part) for part in parts) > _MAX_ATTRIBUTION:
        return False
    line = " ".join(_unquoted(part) for part in parts)
    return bool(_ATTRIBUTION.search(line)) and bool(_ATTRIBUTION_HINT.search(line))


def _is_mobile_signature(line: str) -> bool:
    if len(line) > _MAX_ATTRIBUTION:
        return False
    line = _TRAILING_LINK.sub("", line.strip()).rstrip(".! ")
    return (
        len(line) <= _MAX_MOBILE
        and bool(_MOBILE_OPENING.match(line))
        and bool(_MOBILE_DEVICE.search(line))
    )


def _rule_above(lines: list[str], cut: int) -> int:
    """Move ``cut`` up onto an underscore rule just above it (Outlook's, or an ``<hr>``)."""
    above = cut - 1
    while above >= 0 and above >= cut - 3 and not lines[above].strip():
        above -= 1
    if above >= 0 and _RULE_LINE.fullmatch(lines[above]):
        return above
    return cut


def _strong_marker(text: str, lines: list[str]) -> int | None:
    """The line of the first separator or header block, or None."""
    starts: list[int] = []  # of the lines, made on the first match: most mail has none

    def line_at(offset: int) -> int:
        if not starts:
            starts.extend(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        return bisect_right(starts, offset) - 1

    found: list[int] = []
    separator = _SEPARATOR.search(text)
    if separator:
        found.append(line_at(separator.start()))
    first, previous = -1, -2
    kinds: set[str] = set()
    for match in _HEADER.finditer(text):
        if separator and match.start() > separator.start():
            break  # the separator comes first anyway
        index = line_at(match.start())
        if index != previous + 1:
            first, kinds = index, set()
        previous = index
        # IGNORECASE also matches e.g. a long s (U+017F) for "s"; casefold maps it back.
        name = match.group(1).casefold()
        kinds.add(_HEADER_KIND.get(name, name))
        # A lone "Od: poniedziałku..." is a sentence; a block with a sender is a header.
        if len(kinds) >= 2 and "from" in kinds:
            found.append(first)
            break
    return _rule_above(lines, min(found)) if found else None


def _trailing_quote(lines: list[str]) -> int | None:
    """The start of the ``>`` lines that end the message, with their attribution line."""
    index = len(lines)
    first_quote = None
    while index > 0:
        line = lines[index - 1]
        if _is_quote(line):
            first_quote = index - 1
        elif line.strip():
            break
        index -= 1
    if first_quote is None:
        return None
    above = index - 1  # the last line of the customer's, if any
    if above < 0:
        return first_quote
    upper, lower = (lines[above - 1] if above > 0 else ""), lines[above]
    wrapped = bool(upper.strip()) and _is_attribution(upper, lower)
    # "support@shop.fi> wrote:" is an attribution on its own too: it is the second half
    # of one when it does not start like one and the line above does.
    if (
        wrapped
        and _ATTRIBUTION_OPENING.match(_unquoted(upper))
        and not _ATTRIBUTION_OPENING.match(_unquoted(lower))
    ):
        return _rule_above(lines, above - 1)
    if _is_attribution(lower):
        return _rule_above(lines, above)
    if wrapped:  # e.g. "Tiski <a@b.fi> kirjoitti\n3.11.2025 klo 14.02:"
        return _rule_above(lines, above - 1)
    # Wrapped so that the rest of the line looks quoted: "...<a@b.fi\n> wrote:".
    if first_quote == above + 1 and _is_attribution(lines[above], lines[first_quote]):
        return _rule_above(lines, above)
    return first_quote


def _signature(lines: list[str], end: int) -> int | None:
    """The first line of a signature that ends right above line ``end``, or None."""
    for index in range(max(0, end - _MAX_SIGNATURE_LINES), end):
        if _SIGNATURE_DELIMITER.fullmatch(lines[index]):
            return index
    last = end - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    if last >= 0 and _is_mobile_signature(lines[last]):
        return last
    return None


def _is_own_text(line: str) -> bool:
    return bool(line.strip()) and not _is_quote(line) and not _RULE_LINE.fullmatch(line)


def _cut_line(text: str) -> int | None:
    """Index of the line of ``text`` where the quoted part starts, or None."""
    lines = text.split("\n")

    def leaves_own_text(cut: int | None) -> bool:
        # Cutting where nothing of the customer's is above would show an empty message:
        # such mail (only quotes, only a forward, inline answers) is kept whole.
        return cut is not None and any(_is_own_text(lines[i]) for i in range(cut))

    markers = [_strong_marker(text, lines), _trailing_quote(lines)]
    history = min(
        (cut for cut in markers if cut is not None and leaves_own_text(cut)), default=None
    )
    signature = _signature(lines, len(lines) if history is None else history)
    return signature if leaves_own_text(signature) else history


def split_text(text: str) -> Split:
    """Split a plain-text mail body into the new text and the quoted history/signature."""
    cut = _cut_line(text)
    if cut is None:
        return Split(new=text, quoted="")
    offset = sum(len(line) + 1 for line in text.split("\n", cut)[:cut])
    return Split(new=text[:offset].rstrip(), quoted=text[offset:].lstrip())


# --- HTML -------------------------------------------------------------------------------

# Sanitised HTML escapes "<" and ">" in text and attribute values, so a tag is exactly
# this; on other input the pattern is still linear (each try stops at the next < or >).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?=[\s/>])[^<>]*>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
     "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
     "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead",
     "tr", "ul"}
)  # fmt: skip
# How far up an end tag looks for its start tag; further is broken HTML, and the bound
# keeps deeply nested garbage linear.
_MAX_END_SEARCH = 64


@dataclass(frozen=True, slots=True)
class _Open:
    """An open element; a linked stack, so a snapshot of it costs nothing."""

    tag: str
    start_tag: str  # verbatim, to reopen the element at the top of the quoted fragment
    parent: _Open | None
    depth: int
    quotes: int  # how many blockquotes this is in (itself included)
    pre: bool


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    offset: int  # where to cut the HTML to start the quoted part at this line
    open: _Open | None  # the elements open at ``offset``


def _depth(node: _Open | None) -> int:
    return node.depth if node else 0


class _Renderer:
    """Renders HTML to lines, remembering for each the shallowest place to cut before it."""

    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self.top: _Open | None = None
        self.parts: list[str] = []
        self.quotes = 0
        self.at: tuple[int, _Open | None] = (0, None)

    def boundary(self, offset: int) -> None:
        # Between two lines, cut where the fewest elements are open, so the fragments need
        # the fewest tags closed and reopened; the earliest such place, so empty elements
        # between the lines (<p>&nbsp;</p>, <br>) go with the history, not the new text.
        if not self.parts and _depth(self.top) < _depth(self.at[1]):
            self.at = (offset, self.top)

    def content(self, text: str) -> None:
        if not self.parts:
            self.quotes = self.top.quotes if self.top else 0
        self.parts.append(text)

    def end_line(self, offset: int, empty_too: bool = False) -> None:
        if self.parts or empty_too:
            text = " ".join("".join(self.parts).split())
            if text and self.quotes:
                text = "> " * self.quotes + text
            self.lines.append(_Line(text, *self.at))
            self.parts = []
        self.at = (offset, self.top)

    def text(self, raw: str, offset: int) -> None:
        pieces = raw.split("\n") if self.top and self.top.pre else [raw]
        for number, piece in enumerate(pieces):
            if number:
                offset += len(pieces[number - 1]) + 1
                self.end_line(offset, empty_too=True)
            text = unescape(piece)
            if text.strip():
                self.content(text)
            elif self.parts:
                self.parts.append(" ")

    def start(self, tag: str, start_tag: str, start: int, end: int) -> None:
        if tag in _BLOCK and self.parts:
            self.end_line(start)
        if tag == "br":
            self.end_line(end, empty_too=True)
        elif tag == "hr":
            self.content(_RULE)
            self.end_line(end)
        elif tag == "img":
            self.content(" [image] ")
        elif tag in ("td", "th") and self.parts:
            self.parts.append(" ")  # cells of a row are one line, but not one word
        elif tag not in _VOID and not start_tag.endswith("/>"):
            parent = self.top
            self.top = _Open(
                tag,
                start_tag,
                parent,
                _depth(parent) + 1,
                (parent.quotes if parent else 0) + (tag == "blockquote"),
                (parent.pre if parent else False) or tag == "pre",
            )

    def end(self, tag: str, end: int) -> None:
        node = self.top
        for _ in range(_MAX_END_SEARCH):
            if node is None:
                return  # a stray end tag
            if node.tag == tag:
                self.top = node.parent
                if tag in _BLOCK and self.parts:
                    self.end_line(end)
                return
            node = node.parent

    def render(self, html: str) -> list[_Line]:
        done = 0
        for match in _TAG.finditer(html):
            if match.start() > done:
                self.boundary(done)
                self.text(html[done : match.start()], done)
            self.boundary(match.start())
            tag = match.group(2).lower()
            if match.group(1):
                self.end(tag, match.end())
            else:
                self.start(tag, match.group(0), match.start(), match.end())
            done = match.end()
        if done < len(html):
            self.boundary(done)
            self.text(html[done:], done)
        self.boundary(len(html))
        self.end_line(len(html))
        return self.lines


def split_html(html: str) -> Split:
    """Split a sanitised HTML mail body into two fragments: the new part and the history.

    The cut is between elements; elements open there are closed at the end of ``new`` and
    reopened (with their attributes) at the start of ``quoted``, so both are well-formed.
    """
    lines = _Renderer().render(html)
    cut = _cut_line("\n".join(line.text for line in lines))
    if cut is None:
        return Split(new=html, quoted="")
    # The empty lines above go with the history too, if that means cutting less deep:
    # "<div><br><div>Sent from my iPhone</div>" is cut before the outer div.
    line = lines[cut]
    while cut > 0 and not lines[cut - 1].text:
        cut -= 1
        if _depth(lines[cut].open) <= _depth(line.open):
            line = lines[cut]
    opened: list[_Open] = []
    node = line.open
    while node is not None:
        opened.append(node)
        node = node.parent
    closing = "".join(f"</{node.tag}>" for node in opened)
    opening = "".join(node.start_tag for node in reversed(opened))
    return Split(
        new=html[: line.offset].rstrip() + closing,
        quoted=opening + html[line.offset :].lstrip(),
    )
