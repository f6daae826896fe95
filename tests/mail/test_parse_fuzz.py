"""parse_mail on bytes nobody meant as mail: a ParsedMail or MailParseError, nothing else.

The catch-all in parse_mail turns an unexpected exception into a MailParseError with
its own message; these tests fail on that message too, so a crash can't hide behind it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiski.mail.parse import MAX_ATTACHMENTS, MailParseError, ParsedMail, parse_mail

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.eml"))
EXPECTED_ERRORS = {
    "The message is empty.",
    "The data has no header fields, so it is not a mail.",
}
FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check(source: bytes, *, must_parse: bool = False) -> None:
    refused = ""
    try:
        parsed = parse_mail(source)
    except MailParseError as error:
        refused = str(error)
    if refused:
        assert not must_parse, f"refused a mail: {refused}"
        assert refused in EXPECTED_ERRORS, f"parse_mail crashed: {refused}"
        return
    assert isinstance(parsed, ParsedMail)
    strings = [
        parsed.text,
        parsed.html,
        parsed.subject,
        parsed.from_name,
        parsed.from_address,
        parsed.message_id,
        *(name for name, _ in (*parsed.to, *parsed.cc, *parsed.reply_to)),
        *(attachment.filename for attachment in parsed.attachments),
        *(mail.text for mail in parsed.forwarded),
    ]
    for value in strings:
        assert "\x00" not in value
        value.encode("utf-8")  # no lone surrogates: the database would refuse them
    assert parsed.from_address == parsed.from_address.lower()
    assert parsed.date is None or parsed.date.tzinfo is not None
    assert len(parsed.attachments) <= MAX_ATTACHMENTS
    assert all(attachment.filename for attachment in parsed.attachments)
    assert all(mid.startswith("<") and mid.endswith(">") for mid in parsed.references)


@FUZZ
@given(st.binary(max_size=4000))
def test_arbitrary_bytes(source: bytes) -> None:
    check(source)


HEADER_NAMES = [
    "From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To",
    "References", "Return-Path", "Delivered-To", "Content-Type", "Content-Transfer-Encoding",
    "Content-Disposition", "Content-Language", "Auto-Submitted", "Precedence", "List-Id",
    "X-Auto-Response-Suppress", "MIME-Version", "Content-ID",
]  # fmt: skip
FRAGMENTS = [
    b"=?utf-8?Q?", b"=?iso-8859-2?B?", b"?=", b"<", b">", b"@", b",", b";", b'"', b"(", b")",
    b"\\", b":", b"multipart/mixed; boundary=b", b"multipart/alternative; boundary=b",
    b"message/rfc822", b"text/html", b"base64", b"quoted-printable", b"filename*0*=",
    b"charset=x-unknown", b"charset=utf-7", b"charset=iso-2022-jp", b"\r\n ", b"\r\n",
    b"\xc3\xa4", b"\xe4", b"\xff", b"\x00", b"\x1b$B", b"=C3=A4", b"=\r\n", b"--b\r\n",
    b"--b--\r\n", b"\r\n\r\n", b"report-type=delivery-status", b"Final-Recipient: rfc822;",
]  # fmt: skip
pieces = st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=12), max_size=25).map(b"".join)


@FUZZ
@given(
    st.lists(st.tuples(st.sampled_from(HEADER_NAMES), pieces), max_size=12),
    st.lists(pieces, max_size=30).map(b"\r\n".join),
)
def test_mail_shaped_bytes(headers: list[tuple[str, bytes]], body: bytes) -> None:
    head = b"From: fuzz@example.com\r\n" + b"".join(
        name.encode() + b": " + value + b"\r\n" for name, value in headers
    )
    check(head + b"\r\n" + body, must_parse=True)


mutation = st.tuples(
    st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]),
    st.floats(min_value=0, max_value=1),
    st.binary(min_size=1, max_size=8),
)


def mutate(source: bytes, operations: list[tuple[str, float, bytes]]) -> bytes:
    data = bytearray(source)
    for operation, where, extra in operations:
        at = min(int(where * len(data)), max(len(data) - 1, 0))
        if not data:
            data.extend(extra)
        elif operation == "flip":
            data[at] ^= extra[0] or 0x80
        elif operation == "delete":
            del data[at : at + len(extra) * 16]
        elif operation == "insert":
            data[at:at] = extra
        elif operation == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + 200]
    return bytes(data)


@FUZZ
@given(st.sampled_from(CORPUS), st.lists(mutation, min_size=1, max_size=8))
def test_mutated_corpus_mails(path: Path, operations: list[tuple[str, float, bytes]]) -> None:
    check(mutate(path.read_bytes(), operations))


def test_corpus_is_there() -> None:
    assert len(CORPUS) >= 15
