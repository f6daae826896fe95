"""A fast MIME splitter: the tree the standard library's parser builds, found with str.find.

The stdlib's feedparser (``email.message_from_bytes`` with ``policy.compat32``) reads a
mail one line at a time and matches every line of every part, base64 attachments
included, against the boundaries still open: half the time :func:`parse_mail
<tiski.mail.parse.parse_mail>` used to spend. :func:`split_message` builds the same
``Message`` tree (same raw header list, payload strings, preambles, epilogues and
default types) from the header fields and delimiter lines alone, searching for those
with ``str.find``.

It only does so where it is sure to agree with the feedparser, and returns None for
the feedparser to settle the rest: a bare CR, a header block that ends in anything but
a blank line, a multipart without a boundary, without a first or a close delimiter
line, with two delimiter lines in a row or a part reusing its boundary, a multipart
with a transfer encoding, message/delivery-status, nesting deeper than
:data:`MAX_DEPTH`. ``tests/mail/test_mime.py`` compares both parsers' trees.
"""

from __future__ import annotations

import re
from email.message import Message

__all__ = ["MAX_DEPTH", "split_message"]

# Far below the depth at which the feedparser, one generator frame per level, raises
# RecursionError (parse.py then keeps the headers only): deeper mail is left to it, so
# both agree on where that happens.
MAX_DEPTH = 40

# One header field: a name (the feedparser's headerRE: printable ASCII but ":"), the
# rest of its line and any continuation lines.
_FIELD = re.compile(r"([\x21-\x39\x3b-\x7e]+):[^\n]*(?:\n[ \t][^\n]*)*\n?")
# What may follow "--boundary" on a delimiter line, as the feedparser's boundary regex
# has it: "--" on the close delimiter, then blanks, then the line's end.
_DELIMITER_TAIL = re.compile(r"(--)?[ \t]*(?:\r?\n|\Z)")
_BODY_TYPES = ("7bit", "8bit", "binary")


class _Unsure(Exception):
    """A shape the splitter does not reproduce exactly: the feedparser decides."""


def split_message(data: bytes) -> Message | None:
    """The mail as ``email.message_from_bytes(data, policy=compat32)`` would build it,
    or None if the feedparser should build it because the mail is not plainly well-formed.
    """
    # The same text the feedparser reads: 8-bit bytes as lone surrogates.
    text = data.decode("ascii", "surrogateescape")
    # The feedparser ends a line at a bare CR too; LF and CRLF lines may mix.
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None
    try:
        return _Splitter(text).part(0, len(text), None, 0)
    except _Unsure:
        return None


def _line_break_before(text: str, position: int) -> int:
    """The length of the line break ending just before ``position``, a line's start."""
    return 2 if text.startswith("\r\n", position - 2) else 1


class _Splitter:
    """Builds the tree of one mail.

    A part is a region ``[start, end)`` of the text. A part inside a multipart ends
    before the line break that precedes the next delimiter line: RFC 2046 gives that
    break to the delimiter, and the feedparser strips it from the part's last payload
    or epilogue, which comes to the same.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def part(self, start: int, end: int, parent: Message | None, depth: int) -> Message:
        if depth > MAX_DEPTH:
            raise _Unsure
        message = Message()
        if parent is not None and _content_type(parent) == "multipart/digest":
            message.set_default_type("message/rfc822")
        body = self._headers(message, start, end)
        kind = _content_type(message)
        if kind == "message/delivery-status":
            raise _Unsure  # header blocks separated by blank lines: rare, left to stdlib
        if kind.startswith("message/"):
            # The feedparser reads any message/* body as one more mail, whatever its
            # transfer encoding says.
            message.attach(self.part(body, end, message, depth + 1))
        elif kind.startswith("multipart/"):
            self._multipart(message, body, end, depth)
        else:
            message.set_payload(self.text[body:end])
        return message

    def _headers(self, message: Message, start: int, end: int) -> int:
        """Store the header fields starting at ``start``; where the body starts."""
        text = self.text
        position = start
        if text.startswith("From ", start, end):  # an mbox envelope line
            newline = text.find("\n", start, end)
            position = end if newline < 0 else newline + 1
            line = text[start:position]
            message.set_unixfrom(line.removesuffix("\n").removesuffix("\r"))
        while position < end:
            field = _FIELD.match(text, position, end)
            if field is None:
                break
            # As compat32's header_source_parse stores it: the name as written, the
            # value without the blanks after the colon and without the last line break.
            value = text[field.end(1) + 1 : field.end()].lstrip(" \t").rstrip("\r\n")
            message.set_raw(field.group(1), value)
            position = field.end()
        if position >= end:
            return end
        if text.startswith("\n", position):
            return position + 1
        if text.startswith("\r\n", position):
            return position + 2
        # A line that is neither a field nor blank: the feedparser records a defect and
        # reads it as the body (or skips it), depending on what it looks like.
        raise _Unsure

    def _multipart(self, message: Message, start: int, end: int, depth: int) -> None:
        boundary = _boundary(message)
        if not boundary or "\n" in boundary or "\r" in boundary:
            raise _Unsure  # no boundary: the feedparser keeps the body as text
        if _transfer_encoding(message) not in _BODY_TYPES:
            raise _Unsure  # a defect the feedparser records
        text = self.text
        delimiters = self._delimiters("--" + boundary, start, end)
        first_start, first_end, first_closes = delimiters[0]
        if first_closes:
            raise _Unsure  # a close delimiter before any part
        if first_start > start:
            message.preamble = text[start : first_start - _line_break_before(text, first_start)]
        previous_end = first_end
        for line_start, line_end, _closes in delimiters[1:]:
            if line_start == previous_end:
                raise _Unsure  # the feedparser skips repeated delimiter lines
            part_end = line_start - _line_break_before(text, line_start)
            message.attach(self.part(previous_end, part_end, message, depth + 1))
            previous_end = line_end
        # The epilogue ends where the part ends; a close delimiter that is the part's
        # last line leaves none (None, not "", as the feedparser has it).
        message.epilogue = text[previous_end:end] if previous_end <= end else None

    def _delimiters(self, separator: str, start: int, end: int) -> list[tuple[int, int, bool]]:
        """(start, end, is the close) of each delimiter line up to the close delimiter.

        The region holds no line of an enclosing boundary, so unlike the feedparser,
        which matches every line against every open boundary, only this one is looked for.
        """
        text = self.text
        if text[start - 1 : start] != "\n":
            raise _Unsure  # a body always starts a line; this one has no delimiters
        # Searching for the line break before "--boundary" finds only line starts, so
        # a boundary quoted inside a line costs nothing.
        needle = "\n" + separator
        found: list[tuple[int, int, bool]] = []
        position = start - 1
        while True:
            at = text.find(needle, position, end) + 1
            if not at:
                raise _Unsure  # no close delimiter
            tail = _DELIMITER_TAIL.match(text, at + len(separator))
            if tail is None:
                position = at  # "--boundary" followed by more text: a different line
                continue
            closes = tail.group(1) is not None
            found.append((at, tail.end(), closes))
            if closes:
                return found
            position = tail.end() - 1


def _content_type(message: Message) -> str:
    try:
        return message.get_content_type()
    except Exception as exc:  # a value the stdlib can't read: it fails the same way
        raise _Unsure from exc


def _boundary(message: Message) -> str | None:
    try:
        return message.get_boundary()
    except Exception as exc:  # as above
        raise _Unsure from exc


def _transfer_encoding(message: Message) -> str:
    try:
        return str(message.get("content-transfer-encoding", "8bit")).lower()
    except Exception as exc:  # as above
        raise _Unsure from exc
