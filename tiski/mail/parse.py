"""Raw RFC 5322 bytes to a normalised :class:`ParsedMail`: a pure function, no database.

The MIME tree is the one the standard library's parser builds with ``policy.compat32``:
it keeps header values as they came, and costs half of what ``policy.default`` does,
which re-parses a header every time it is read (``make bench-mail``). Well-formed mail
is split into that same tree by :mod:`tiski.mail.mime` at a fraction of the cost; the
stdlib's parser reads the rest. Header text, charsets, parameters and addresses are
decoded in :mod:`tiski.mail.charsets` from the raw values, because real mail breaks the
rules ``policy.default`` follows. Delivery reports are recognised in
:mod:`tiski.mail.bounces`.
"""

from __future__ import annotations

import dataclasses
import email
import email.utils
import logging
import mimetypes
import quopri
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from urllib.parse import unquote

from tnefparse import TNEF

from tiski.core.html import html_to_text, sanitize_html, text_to_html
from tiski.mail import bounces
from tiski.mail.bounces import Bounce
from tiski.mail.charsets import (
    RawHeaders,
    base64_lenient,
    children,
    clean_line,
    clean_text,
    content_type,
    decode_bytes,
    decode_words,
    first_name,
    message_id,
    message_ids,
    parse_addresses,
    parse_params,
    payload_bytes,
    payload_text,
    unique,
)
from tiski.mail.mime import split_message

__all__ = [
    "Bounce",
    "ForwardedMail",
    "MailAttachment",
    "MailParseError",
    "ParsedMail",
    "parse_mail",
]

logger = logging.getLogger(__name__)

MAX_DEPTH = 20
MAX_ATTACHMENTS = 100
# Parts visited in one mail, whatever they turn out to be: bounds the work on a mail
# made of thousands of empty parts.
MAX_PARTS = 1000
# The stdlib parser checks every line against every open boundary and recurses once per
# level, so a mail nested thousands deep costs seconds and ends in RecursionError. More
# boundaries than this and only the headers are parsed.
MAX_BOUNDARIES = 500
_BOUNDARY = re.compile(rb"boundary\s*=", re.IGNORECASE)
_SCANNED = 4 * 1024 * 1024


class MailParseError(ValueError):
    """The bytes are not a mail at all; the message says why in plain English."""


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str = ""
    inline: bool = False


@dataclass(frozen=True)
class ForwardedMail:
    from_: str
    subject: str
    date: str
    text: str


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_name: str
    from_address: str
    reply_to: tuple[tuple[str, str], ...]
    to: tuple[tuple[str, str], ...]
    cc: tuple[tuple[str, str], ...]
    delivered_to: tuple[str, ...]
    return_path: str | None
    subject: str
    date: datetime | None
    language: str
    text: str
    html: str
    attachments: tuple[MailAttachment, ...]
    auto_submitted: bool
    list_mail: bool
    bounce: Bounce | None
    forwarded: tuple[ForwardedMail, ...]
    # The sender asks for no automatic answer (X-Auto-Response-Suppress: All, AutoReply
    # or OOF). Unlike auto_submitted, no sign the mail itself is automatic: see there.
    suppress_auto_reply: bool = False


def parse_mail(source: bytes) -> ParsedMail:
    """Parse one raw mail (RFC 5322 bytes, as received) into a :class:`ParsedMail`.

    Never raises anything but :class:`MailParseError`, and that only when ``source`` is
    not a mail at all: empty, or without a single header field. Everything else that is
    broken (charsets, encodings, boundaries, dates, nesting) is decoded as well as it can
    be. Addresses are lowercased; strings never contain NULs or lone surrogates, so they
    can be stored as they are.
    """
    if not isinstance(source, bytes | bytearray | memoryview):
        raise TypeError(f"parse_mail() needs bytes, not {type(source).__name__}")
    data = bytes(source).removeprefix(b"\xef\xbb\xbf").lstrip()
    if not data:
        raise MailParseError("The message is empty.")
    try:
        return _parse(data)
    except MailParseError:
        raise
    except Exception as exc:  # the contract is "MailParseError or a result"
        logger.exception("Unexpected failure parsing a mail")
        raise MailParseError(f"The message could not be parsed ({type(exc).__name__}).") from exc


def _few_boundaries(data: bytes) -> bool:
    """Whether the first 4 MB hold at most MAX_BOUNDARIES "boundary=" parameters."""
    # Every match holds a "boundary" of its own, and counting those in a lowercased copy
    # costs a sixth of the case-insensitive regex, which tries every byte of every
    # attachment: only the rare mail over the limit by that count is counted exactly.
    if data[:_SCANNED].lower().count(b"boundary") <= MAX_BOUNDARIES:
        return True
    return len(_BOUNDARY.findall(data, 0, _SCANNED)) <= MAX_BOUNDARIES


def _message_from_bytes(data: bytes) -> tuple[Message, bool]:
    """The parsed message, and whether its body was parsed too."""
    if _few_boundaries(data):
        if (message := split_message(data)) is not None:
            return message, True
        try:
            return email.message_from_bytes(data, policy=policy.compat32), True
        except RecursionError:
            pass
    # Too deep to parse: keep the headers so the mail still reaches a person.
    return BytesParser(policy=policy.compat32).parsebytes(data, headersonly=True), False


def _parse(data: bytes) -> ParsedMail:
    message, complete = _message_from_bytes(data)
    headers = RawHeaders(message)
    if not headers:
        raise MailParseError("The data has no header fields, so it is not a mail.")

    walker = _Walker()
    bodies = walker.collect(message, 0) if complete else []
    if not bodies:
        bodies = walker.tnef_bodies
    html = sanitize_html(_strip_head(_render_html(bodies))).strip() if _has_html(bodies) else ""
    text = _render_text(bodies)
    attachments = _mark_inline(walker.attachments, html)

    from_pairs = parse_addresses(headers.get("from") or "")
    from_pairs = from_pairs or parse_addresses(headers.get("sender") or "")
    from_name, from_address = from_pairs[0] if from_pairs else ("", "")
    if not from_pairs:
        from_name = first_name(headers.get("from") or "")

    return_path = _return_path(headers.get("return-path"))
    subject = clean_line(decode_words(headers.get("subject") or ""))
    bounce = bounces.find_bounce(
        message,
        headers,
        subject=subject,
        from_address=from_address,
        null_sender=return_path == "",
        text=text,
    )
    return ParsedMail(
        message_id=message_id(headers.get("message-id")),
        in_reply_to=tuple(message_ids(headers.get("in-reply-to"))),
        references=tuple(message_ids(" ".join(headers.get_all("references")))),
        from_name=from_name,
        from_address=from_address,
        reply_to=_addresses(headers, "reply-to"),
        to=_addresses(headers, "to"),
        cc=_addresses(headers, "cc"),
        delivered_to=_delivered_to(headers),
        return_path=return_path,
        subject=subject,
        date=_date(headers.get("date")),
        language=_language(headers.get("content-language") or walker.language),
        text=text,
        html=html,
        attachments=attachments,
        auto_submitted=bounce is not None or _auto_submitted(headers, return_path),
        list_mail=_list_mail(headers),
        bounce=bounce,
        forwarded=tuple(mail for mail in walker.forwarded if mail is not None),
        suppress_auto_reply=_suppresses_auto_reply(headers),
    )


# --- header fields ---------------------------------------------------------------------


def _addresses(headers: RawHeaders, name: str) -> tuple[tuple[str, str], ...]:
    pairs = [pair for value in headers.get_all(name) for pair in parse_addresses(value)]
    return tuple(dict.fromkeys(pairs))


def _delivered_to(headers: RawHeaders) -> tuple[str, ...]:
    names = ("delivered-to", "x-original-to", "envelope-to", "x-envelope-to")
    found = [
        address
        for name in names
        for value in headers.get_all(name)
        for _, address in parse_addresses(value)
    ]
    return unique(found)


def _return_path(value: str | None) -> str | None:
    if value is None:
        return None
    inner = re.search(r"<([^<>]*)>", value)
    address = (inner.group(1) if inner else value).strip().lower()
    address = address.rsplit(":", 1)[-1]  # an obsolete source route "<@relay:user@host>"
    return address if "@" in address and " " not in address else ""


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    value = clean_line(value)
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _language(value: str | None) -> str:
    if not value:
        return ""
    tag = re.split(r"[\s,;]+", value.strip())[0]
    primary = re.split(r"[-_]", tag, maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,8}", primary) else ""


def _first_token(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _auto_submitted(headers: RawHeaders, return_path: str | None) -> bool:
    auto = _first_token(headers.get("auto-submitted"))
    if auto and auto != "no":
        return True
    if headers.has("x-autoreply") or headers.has("x-autorespond"):
        return True
    # X-Auto-Response-Suppress asks *recipients* not to send certain automatic answers;
    # it says nothing about how this message was written. Outlook puts values such as
    # "DR, RN, NRN, OOF, AutoReply" on ordinary mail people write, so those tokens are no
    # evidence. Only "All", which automatic senders (Exchange's own replies, notification
    # systems) set, marks the message as automatic.
    for value in headers.get_all("x-auto-response-suppress"):
        if "all" in {token.strip().lower() for token in value.split(",")}:
            return True
    for name in ("precedence", "x-precedence"):
        if _first_token(headers.get(name)) in {"bulk", "junk", "auto_reply", "auto-reply"}:
            return True
    return return_path == ""


_NO_AUTO_REPLY = {"all", "autoreply", "oof"}


def _suppresses_auto_reply(headers: RawHeaders) -> bool:
    values = headers.get_all("x-auto-response-suppress")
    return any(_NO_AUTO_REPLY & {t.strip().lower() for t in v.split(",")} for v in values)


def _list_mail(headers: RawHeaders) -> bool:
    if any(headers.has(name) for name in ("list-id", "list-unsubscribe", "list-post")):
        return True
    return _first_token(headers.get("precedence")) == "list"


# --- bodies ----------------------------------------------------------------------------


@dataclass
class _Body:
    """One readable piece of the mail: plain text, HTML, or both as alternatives."""

    text: str | None = None
    html: str | None = None


def _has_html(bodies: list[_Body]) -> bool:
    return any(body.html for body in bodies)


def _render_html(bodies: list[_Body]) -> str:
    return "\n".join(body.html or text_to_html(body.text or "") for body in bodies)


def _render_text(bodies: list[_Body]) -> str:
    pieces = [
        body.text
        if body.text is not None
        else html_to_text(sanitize_html(_strip_head(body.html or "")))
        for body in bodies
    ]
    return "\n\n".join(piece.strip() for piece in pieces if piece.strip())


_HEAD_START = re.compile(r"<head[\s>]", re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([\w.:-]{1,40})", re.I)


def _strip_head(html: str) -> str:
    """The document without its <head>, whose <title> would survive sanitising as text."""
    # Two plain searches: one lazy regex over the whole document would be quadratic for
    # a mail full of unclosed "<head" tags.
    start = _HEAD_START.search(html)
    end = _HEAD_END.search(html, start.start()) if start else None
    if start is None or end is None:
        return html
    return html[: start.start()] + html[end.end() :]


def _unflow(text: str, delsp: bool) -> str:
    """Undo RFC 3676 format=flowed: soft line breaks (a trailing space) rejoin."""
    out: list[str] = []
    current: tuple[int, str] | None = None
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        content = content[1:] if content.startswith(" ") else content
        soft = content.endswith(" ") and content != "-- "
        if soft and delsp:
            content = content[:-1]
        if current is not None and current[0] == depth:
            current = (depth, current[1] + content)
        else:
            if current is not None:
                out.append(_quoted(*current))
            current = (depth, content)
        if not soft:
            out.append(_quoted(*current))
            current = None
    if current is not None:
        out.append(_quoted(*current))
    return "\n".join(out)


def _quoted(depth: int, content: str) -> str:
    return ">" * depth + (" " if depth and content else "") + content


_EXTENSIONS = {
    "application/octet-stream": ".bin",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "text/rfc822-headers": ".txt",
    "message/rfc822": ".eml",
    "application/pdf": ".pdf",
    "application/ms-tnef": ".dat",
}


def _made_up_name(content_type: str, number: int) -> str:
    extension = _EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ".bin"
    stem = "image" if content_type.startswith("image/") else "attachment"
    return f"{stem}-{number}{extension}"


def _safe_filename(name: str) -> str:
    """The last path component, without control characters, at most 255 characters."""
    name = clean_line(name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name in {".", ".."}:
        return ""
    if len(name) > 255:
        _, dot, extension = name.rpartition(".")
        keep = extension if dot and len(extension) <= 16 else ""
        name = name[: 254 - len(keep)] + ("." + keep if keep else "")
    return name


def _mark_inline(attachments: list[MailAttachment], html: str) -> tuple[MailAttachment, ...]:
    referenced = {unquote(cid) for cid in re.findall(r"cid:([^\"'\s>)]+)", html)}
    lowered = {cid.lower() for cid in referenced}
    marked = []
    for attachment in attachments:
        cid = attachment.content_id
        is_image = attachment.content_type.startswith("image/")
        if cid and is_image and (cid in referenced or cid.lower() in lowered):
            attachment = dataclasses.replace(attachment, inline=True)
        marked.append(attachment)
    return tuple(marked)


_SIGNATURES = {
    "application/pgp-signature",
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
}
_TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}


class _Walker:
    """Walks the MIME tree once, collecting bodies, attachments and forwarded mails."""

    def __init__(self) -> None:
        self.attachments: list[MailAttachment] = []
        self.forwarded: list[ForwardedMail | None] = []
        self.tnef_bodies: list[_Body] = []
        self.language = ""
        self.parts = 0

    def collect(self, part: Message, depth: int) -> list[_Body]:
        """The readable bodies under ``part``, in order."""
        if depth > MAX_DEPTH or self.parts >= MAX_PARTS:
            return []
        self.parts += 1
        kind = content_type(part)
        if kind in {"message/rfc822", "message/global"}:
            self._forward(part, depth)
            return []
        if kind.startswith("message/") and kind.endswith("delivery-status"):
            return []  # read by tiski.mail.bounces
        if part.is_multipart():
            inner = children(part)
            if kind == "multipart/alternative":
                return self._alternative(inner, depth)
            if kind == "multipart/signed":
                inner = [c for c in inner if content_type(c) not in _SIGNATURES]
            return [body for child in inner for body in self.collect(child, depth + 1)]
        return self._leaf(part, kind, depth)

    def _alternative(self, parts: list[Message], depth: int) -> list[_Body]:
        # Every child is walked, so attachments in any of them (Outlook's text/calendar
        # beside the text and HTML of an invitation) are kept.
        results = [self.collect(child, depth + 1) for child in parts]
        rich = [bodies for bodies in results if _has_html(bodies)]
        plain = [bodies for bodies in results if bodies and not _has_html(bodies)]
        if not rich:
            return plain[-1] if plain else []
        html = _render_html(rich[-1])
        text = _render_text(plain[0]) if plain else None
        return [_Body(text=text, html=html)]

    def _leaf(self, part: Message, content_type: str, depth: int) -> list[_Body]:
        headers = RawHeaders(part)
        _, type_params = parse_params(headers.get("content-type") or "")
        disposition, disposition_params = parse_params(headers.get("content-disposition") or "")
        filename = disposition_params.get("filename") or type_params.get("name") or ""
        data = payload_bytes(part)
        is_text = content_type in {"text/plain", "text/html"} or content_type.startswith(
            "multipart/"  # a multipart without its boundary: the raw text is all there is
        )
        # Explicitly inline text is shown in the body, as Thunderbird and Apple Mail do;
        # a named text part without a disposition is a file someone attached.
        body = disposition == "inline" or (disposition != "attachment" and not filename)
        if is_text and (body or depth == 0):
            if not self.language:
                self.language = headers.get("content-language") or ""
            charset = type_params.get("charset")
            if content_type == "text/html":
                if not charset and (meta := _META_CHARSET.search(data[:4096])):
                    charset = meta.group(1).decode("ascii")
                return [_Body(html=clean_text(decode_bytes(data, charset)))]
            text = clean_text(decode_bytes(data, charset))
            if type_params.get("format", "").lower() == "flowed":
                text = _unflow(text, type_params.get("delsp", "").lower() == "yes")
            return [_Body(text=text)]
        is_tnef = content_type in _TNEF_TYPES or filename.lower() == "winmail.dat"
        if is_tnef and self._unpack_tnef(data):
            return []
        if content_type == "application/octet-stream" and filename:
            content_type = mimetypes.guess_type(filename)[0] or content_type
        content_id = (headers.get("content-id") or "").strip().strip("<>").strip()
        self._attach(filename, content_type, data, content_id)
        return []

    def _attach(self, filename: str, content_type: str, data: bytes, content_id: str) -> None:
        if len(self.attachments) >= MAX_ATTACHMENTS:
            return
        name = _safe_filename(filename) or _made_up_name(content_type, len(self.attachments) + 1)
        attachment = MailAttachment(name, content_type, data, clean_line(content_id))
        self.attachments.append(attachment)

    def _forward(self, part: Message, depth: int) -> None:
        inner: Message | None = next(iter(children(part)), None)
        encoding = (RawHeaders(part).get("content-transfer-encoding") or "").strip().lower()
        if encoding in {"base64", "quoted-printable"} and depth < MAX_DEPTH:
            # Sent encoded, against RFC 2046: the parser took the encoded text for a
            # mail without headers.
            text = payload_text(inner if inner is not None else part)
            if text is not None and (inner is None or not RawHeaders(inner)):
                raw = text.encode("ascii", "replace")
                raw = base64_lenient(raw) if encoding == "base64" else quopri.decodestring(raw)
                inner = email.message_from_bytes(raw.lstrip(), policy=policy.compat32)
        if inner is None:
            return
        slot = len(self.forwarded)
        self.forwarded.append(None)  # keeps outer forwards before the ones they contain
        bodies = self.collect(inner, depth + 1)
        headers = RawHeaders(inner)
        pairs = parse_addresses(headers.get("from") or "")
        sender = ""
        if pairs:
            name, address = pairs[0]
            sender = f"{name} <{address}>" if name else address
        self.forwarded[slot] = ForwardedMail(
            from_=sender or first_name(headers.get("from") or ""),
            subject=clean_line(decode_words(headers.get("subject") or "")),
            date=clean_line(headers.get("date") or ""),
            text=_render_text(bodies),
        )

    def _unpack_tnef(self, data: bytes) -> bool:
        """Attachments (and a fallback body) out of Outlook's winmail.dat; False if none."""
        try:
            tnef = TNEF(data, do_checksum=False)
        except Exception:  # not TNEF after all, or a damaged one
            return False
        found = False
        for item in tnef.attachments:
            try:
                name = item.long_filename()
                name = name.decode("cp1252", "replace") if isinstance(name, bytes) else str(name)
                content = bytes(item.data)
            except Exception:  # skip the one damaged attachment, keep the others
                logger.debug("Skipped a damaged attachment in winmail.dat", exc_info=True)
                continue
            name = name.strip("\x00")
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self._attach(name, content_type, content, "")
            found = True
        for value, is_html in ((tnef.htmlbody, True), (tnef.body, False)):
            if not value:
                continue
            raw = value if isinstance(value, bytes) else str(value).encode("utf-8", "replace")
            text = clean_text(decode_bytes(raw.rstrip(b"\x00")))
            self.tnef_bodies.append(_Body(html=text) if is_html else _Body(text=text))
            found = True
            break
        return found
