"""Recognising delivery failure reports: RFC 3464 DSNs and Exchange's own kind.

A report is only recognised when it carries the machine-readable evidence (a
``message/delivery-status`` part, Exchange's NDR header, or a null sender together with
a returned original); a person's mail titled "Undeliverable" stays a person's mail.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email import policy
from email.message import Message

from tiski.mail.charsets import (
    RawHeaders,
    children,
    clean_line,
    content_type,
    decode_bytes,
    message_id,
    parse_params,
    payload_bytes,
    payload_text,
    raw_header_text,
    unique,
)


@dataclass(frozen=True)
class Bounce:
    original_message_id: str  # "<id@host>" of the mail that failed, "" if not returned
    recipients: tuple[str, ...]  # lowercased addresses that failed (or are delayed)
    status: str  # RFC 3463 code such as "5.1.1", "" if none given
    diagnostic: str  # the remote server's words, e.g. "550 5.1.1 User unknown"
    permanent: bool  # False for a delay or a temporary (4.x.x) failure


_DIAGNOSTIC_TYPE = re.compile(r"^\s*[a-z][a-z0-9-]{0,20}\s*;", re.IGNORECASE)
_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")
_ADDRESS = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+")
_NDR_SUBJECT = re.compile(
    r"^\s*(undeliverable|undelivered mail|delivery status notification|"
    r"mail delivery failed|returned mail|failure notice|delivery failure|"
    r"delivery has failed|unzustellbar|non remis|onbestelbaar|"
    r"toimitus epäonnistui|niedostarczalne|nie można dostarczyć|"
    r"delivery delayed)",
    re.IGNORECASE,
)
_DAEMONS = ("mailer-daemon", "postmaster")
_ORIGINAL_TYPES = {"message/rfc822", "message/global", "text/rfc822-headers"}
_STATUS_TYPES = {"message/delivery-status", "message/global-delivery-status"}
_MAX_RECIPIENTS = 50


def _parts(message: Message, depth: int = 0) -> list[Message]:
    """The parts of the report itself: multiparts are entered, attached mails are not."""
    found = [message]
    if depth < 3 and content_type(message).startswith("multipart/"):
        for child in children(message)[:50]:
            found.extend(_parts(child, depth + 1))
    return found


def _is_status_report(part: Message) -> bool:
    """A multipart/report about delivery; old MTAs leave out the report-type."""
    head, params = parse_params(RawHeaders(part).get("content-type") or "")
    if head != "multipart/report":
        return False
    report_type = params.get("report-type", "").lower()
    if report_type in {"delivery-status", "global-delivery-status"}:
        return True
    return not report_type and any(content_type(child) in _STATUS_TYPES for child in children(part))


def _field_blocks(text: str) -> list[dict[str, str]]:
    """``Name: value`` blocks separated by blank lines, folded lines joined."""
    blocks: list[dict[str, str]] = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        fields: dict[str, str] = {}
        last = ""
        for line in chunk.split("\n"):
            if line[:1] in {" ", "\t"} and last:
                fields[last] += " " + line.strip()
            elif ":" in line:
                name, _, value = line.partition(":")
                last = name.strip().lower()
                fields.setdefault(last, value.strip())
        if fields:
            blocks.append(fields)
    return blocks


def _status_blocks(part: Message) -> list[dict[str, str]]:
    """The per-message and per-recipient field blocks of a delivery-status part."""
    if part.is_multipart():
        # The stdlib parses message/delivery-status into one Message per block; the
        # global variant arrives as one Message whose body holds the remaining blocks.
        blocks: list[dict[str, str]] = []
        for block in children(part):
            fields: dict[str, str] = {}
            for name, value in block.raw_items():
                fields.setdefault(str(name).strip().lower(), raw_header_text(value))
            blocks.append(fields)
            rest = payload_text(block)
            if rest is not None and rest.strip():
                blocks.extend(_field_blocks(decode_bytes(rest.encode("utf-8", "surrogateescape"))))
        return blocks
    return _field_blocks(decode_bytes(payload_bytes(part)))


def _address_of(field: str) -> str:
    """``rfc822; user@example.com`` to ``user@example.com``."""
    value = field.split(";", 1)[-1].strip().strip("<>").strip().lower()
    return value if "@" in value else ""


def _original_message_id(parts: list[Message]) -> str:
    for part in parts:
        kind = content_type(part)
        if kind in {"message/rfc822", "message/global"}:
            for inner in children(part)[:1]:
                if found := message_id(RawHeaders(inner).get("message-id")):
                    return found
        elif kind == "text/rfc822-headers":
            data = payload_bytes(part)
            if data:
                headers = email.message_from_bytes(data.lstrip(), policy=policy.compat32)
                if found := message_id(RawHeaders(headers).get("message-id")):
                    return found
    return ""


def _rfc3464(report: Message) -> Bounce | None:
    parts = _parts(report)
    status_parts = [part for part in parts if content_type(part) in _STATUS_TYPES]
    if not status_parts:
        return None
    recipients: list[str] = []
    statuses: list[str] = []
    diagnostics: list[str] = []
    permanent = False
    for block in _status_blocks(status_parts[0]):
        recipient = _address_of(block.get("final-recipient") or block.get("original-recipient", ""))
        action = block.get("action", "").split("(", 1)[0].strip().lower()
        status = _STATUS.search(block.get("status", "")) or _STATUS.search(
            block.get("diagnostic-code", "")
        )
        code = status.group(1) if status else ""
        failed = action in {"failed", "delayed"} or (not action and code[:1] in {"4", "5"})
        if not recipient or not failed or len(recipients) >= _MAX_RECIPIENTS:
            continue
        recipients.append(recipient)
        statuses.append(code)
        # Without a Diagnostic-Code, old MTAs explain in a comment: "5.0.0 (disk quota)".
        diagnostic = block.get("diagnostic-code") or block.get("status", "").replace(code, "", 1)
        # "smtp; 550 5.1.1 ...": the diagnostic type is no news to a person.
        diagnostics.append(clean_line(_DIAGNOSTIC_TYPE.sub("", diagnostic)).strip(" ()"))
        permanent = permanent or (action == "failed" and code[:1] != "4")
    if not recipients:
        return None  # a success report ("delivered", "relayed") is no bounce
    return Bounce(
        original_message_id=_original_message_id(parts),
        recipients=unique(recipients),
        status=next((code for code in statuses if code), ""),
        diagnostic=next((text for text in diagnostics if text), "")[:1000],
        permanent=permanent,
    )


# Where the returned original's headers start in a report's text: addresses and ids
# below this belong to the original, not to the failure.
_ORIGINAL_STARTS = re.compile(
    r"(?im)^.*(original message headers|-----\s*original message|"
    r"content-type:\s*(message/rfc822|text/rfc822-headers)|^received:\s)"
)
_TEXT_RECIPIENT = re.compile(
    r"(?im)^\s*(?:final|original)-recipient:\s*(?:rfc822\s*;)?\s*<?([^\s<>;]+@[^\s<>;]+)"
)
_TEXT_DIAGNOSTIC = re.compile(r"(?im)^\s*diagnostic-code:\s*(?:smtp\s*;)?\s*(\S.*)$")
_TEXT_MESSAGE_ID = re.compile(r"(?im)^\s*message-id:\s*(<[^<>\s]+>)")


def _non_standard(message: Message, headers: RawHeaders, from_address: str, text: str) -> Bounce:
    """What can be read from a report without a usable delivery-status part: its text."""
    parts = _parts(message)
    original_sender = ""
    for part in parts:
        if content_type(part) in {"message/rfc822", "message/global"}:
            for inner in children(part)[:1]:
                original_sender = (RawHeaders(inner).get("from") or "").lower()
    cut = _ORIGINAL_STARTS.search(text)
    readable = text[: cut.start()] if cut else text
    failed = [
        address.lower()
        for value in headers.get_all("x-failed-recipients")
        for address in _ADDRESS.findall(value)
    ]
    failed = failed or [address.lower() for address in _TEXT_RECIPIENT.findall(text)]
    if not failed:
        failed = [
            address.lower()
            for address in _ADDRESS.findall(readable)
            if address.lower() != from_address
            and address.lower() not in original_sender
            and not address.lower().startswith(_DAEMONS)
        ]
    status = _STATUS.search(readable) or _STATUS.search(text)
    code = status.group(1) if status else ""
    diagnostic = ""
    if found := _TEXT_DIAGNOSTIC.search(text):
        diagnostic = clean_line(found.group(1))
    elif status and status.start() < len(readable):
        line_start = readable.rfind("\n", 0, status.start()) + 1
        line_end = readable.find("\n", status.end())
        diagnostic = clean_line(readable[line_start : line_end if line_end >= 0 else None])
    original_id = _original_message_id(parts)
    if not original_id and (found := _TEXT_MESSAGE_ID.search(text)):
        original_id = found.group(1)
    return Bounce(
        original_message_id=original_id,
        recipients=unique(failed[:_MAX_RECIPIENTS]),
        status=code,
        diagnostic=diagnostic[:1000],
        permanent=not code.startswith("4"),
    )


def find_bounce(
    message: Message,
    headers: RawHeaders,
    *,
    subject: str,
    from_address: str,
    null_sender: bool,
    text: str,
) -> Bounce | None:
    """The delivery failure ``message`` reports, or None when it is no such report."""
    parts = _parts(message)
    reports = [part for part in parts if _is_status_report(part)]
    if reports:
        if any(content_type(part) in _STATUS_TYPES for part in _parts(reports[0])):
            return _rfc3464(reports[0])  # None for a success report
        # A report whose status part is missing or mislabelled: still a report.
        return _non_standard(message, headers, from_address, text)
    if headers.has("x-ms-exchange-message-is-ndr"):
        return _non_standard(message, headers, from_address, text)
    from_daemon = from_address.split("@", 1)[0] in _DAEMONS
    has_original = any(content_type(part) in _ORIGINAL_TYPES for part in parts)
    if (null_sender or from_daemon) and has_original and _NDR_SUBJECT.match(subject):
        return _non_standard(message, headers, from_address, text)
    return None
