"""tiski.mail.parse: raw mail bytes to ParsedMail. Pure functions, no database."""

from __future__ import annotations

import base64
import quopri
import re
import struct
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage, Message, MIMEPart
from email.policy import SMTP
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.mail.test_mime import check
from tiski.mail import charsets, parse
from tiski.mail.charsets import decode_bytes, decode_words, parse_addresses, parse_params
from tiski.mail.mime import split_message
from tiski.mail.parse import (
    MAX_ATTACHMENTS,
    MailParseError,
    ParsedMail,
    parse_mail,
)

CORPUS = Path(__file__).parent / "corpus"

FINNISH = "Hyvää päivää, tilaus ääkkösillä"
POLISH = "Zażółć gęślą jaźń"
JAPANESE = "こんにちは、注文の件です"
RUSSIAN = "Здравствуйте, мой заказ"
UKRAINIAN = "Доброго дня, їжак і ґанок"
CHINESE = "你好，我的订单"
TRADITIONAL = "你好，我的訂單"


@pytest.fixture(autouse=True)
def _both_parsers_agree(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every mail parsed in this module is also split by the stdlib's parser alone: the
    trees and the results must be the same whichever parser built the tree."""
    seen: list[bytes] = []

    def recording(data: bytes) -> Message | None:
        seen.append(data)
        return split_message(data)

    monkeypatch.setattr(parse, "split_message", recording)
    yield
    monkeypatch.undo()
    for data in seen:
        check(data)


def mail(*headers: str, body: bytes = b"Hello\r\n", prefix: bytes = b"") -> bytes:
    """A raw mail with sensible defaults; ``headers`` are "Name: value" lines."""
    names = {line.split(":", 1)[0].lower() for line in headers}
    defaults = {
        "from": "From: Customer <customer@example.fi>",
        "to": "To: support@shop.example",
        "subject": "Subject: Test",
        "message-id": "Message-ID: <m1@example.fi>",
        "date": "Date: Tue, 03 Mar 2026 10:00:00 +0200",
    }
    lines = [*headers, *(line for name, line in defaults.items() if name not in names)]
    head = "\r\n".join(lines).encode("utf-8")
    return prefix + head + b"\r\n\r\n" + body


def text_mail(text: str, charset: str, encoding: str = "8bit") -> bytes:
    raw = text.encode(charset)
    if encoding == "quoted-printable":
        raw = quopri.encodestring(raw)
    elif encoding == "base64":
        raw = base64.encodebytes(raw)
    return mail(
        "MIME-Version: 1.0",
        f"Content-Type: text/plain; charset={charset}",
        f"Content-Transfer-Encoding: {encoding}",
        body=raw,
    )


def encoded_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


# --- charsets --------------------------------------------------------------------------

CHARSET_CASES = [
    (FINNISH, "utf-8"),
    (POLISH, "utf-8"),
    (JAPANESE, "utf-8"),
    (FINNISH, "iso-8859-1"),
    (FINNISH, "iso-8859-15"),
    ("Hinta 10 € / " + FINNISH, "iso-8859-15"),
    (FINNISH, "windows-1252"),
    ("Hinta 10 € – " + FINNISH, "windows-1252"),
    (POLISH, "iso-8859-2"),
    (FINNISH, "iso-8859-2"),
    (POLISH, "windows-1250"),
    (FINNISH, "windows-1250"),
    (RUSSIAN, "koi8-r"),
    (UKRAINIAN, "koi8-u"),
    (JAPANESE, "shift_jis"),
    (JAPANESE, "iso-2022-jp"),
    (JAPANESE, "euc-jp"),
    (CHINESE, "gb2312"),
    (CHINESE, "gbk"),
    (TRADITIONAL, "big5"),
]


@pytest.mark.parametrize(("text", "charset"), CHARSET_CASES)
@pytest.mark.parametrize("encoding", ["8bit", "quoted-printable", "base64"])
def test_body_charsets_decode(text: str, charset: str, encoding: str) -> None:
    parsed = parse_mail(text_mail(text, charset, encoding))
    assert parsed.text == text
    assert parsed.html == ""


@pytest.mark.parametrize(("text", "charset"), CHARSET_CASES)
def test_encoded_word_subjects_and_names_decode(text: str, charset: str) -> None:
    word = encoded_word(text, charset)
    parsed = parse_mail(mail(f"Subject: {word}", f"From: {word} <Asiakas@Example.FI>"))
    assert parsed.subject == text
    assert parsed.from_name == text
    assert parsed.from_address == "asiakas@example.fi"


def test_polish_quoted_printable_encoded_word() -> None:
    subject = "=?iso-8859-2?Q?Za=BF=F3=B3=E6_g=EA=B6l=B1_ja=BC=F1?="
    parsed = parse_mail(mail(f"Subject: {subject}"))
    assert parsed.subject == POLISH


@pytest.mark.parametrize(
    ("declared", "raw", "expected"),
    [
        # The label says ASCII or Latin-1, the bytes are UTF-8: the bytes win.
        ("us-ascii", FINNISH.encode("utf-8"), FINNISH),
        ("iso-8859-1", FINNISH.encode("utf-8"), FINNISH),
        ("iso-8859-1", POLISH.encode("utf-8"), POLISH),
        # The label says UTF-8, the bytes are windows-1252.
        ("utf-8", FINNISH.encode("cp1252"), FINNISH),
        ("utf-8", "Hinta 10 € – kiitos".encode("cp1252"), "Hinta 10 € – kiitos"),
        # Names Python doesn't know, or that mean "no idea".
        ("x-unknown", FINNISH.encode("utf-8"), FINNISH),
        ("x-unknown", FINNISH.encode("cp1252"), FINNISH),
        ("utf8", POLISH.encode("utf-8"), POLISH),
        ("cp-1250", POLISH.encode("cp1250"), POLISH),
        ("windows1250", POLISH.encode("cp1250"), POLISH),
        ("latin2", POLISH.encode("iso-8859-2"), POLISH),
        ('"ISO-8859-2"', POLISH.encode("iso-8859-2"), POLISH),
        ("iso_8859-2:1987", POLISH.encode("iso-8859-2"), POLISH),
        ("ks_c_5601-1987", "안녕하세요".encode("cp949"), "안녕하세요"),
        # Shift_JIS labels on Microsoft's superset (a circled digit only cp932 has).
        ("shift_jis", "注文①".encode("cp932"), "注文①"),
        # Any legacy label on valid UTF-8 (web forms that keep the shop's old charset).
        ("shift_jis", JAPANESE.encode("utf-8"), JAPANESE),
        ("gb2312", CHINESE.encode("utf-8"), CHINESE),
        ("koi8-r", RUSSIAN.encode("utf-8"), RUSSIAN),
        # UTF-16 is not ASCII-compatible even when the text is ASCII.
        ("utf-16", "Hello".encode("utf-16"), "Hello"),
        # Latin-1 label on windows-1252 bytes (curly quotes): WHATWG reads it as 1252.
        ("iso-8859-1", "“Kiitos” – ok".encode("cp1252"), "“Kiitos” – ok"),
    ],
)
def test_mislabelled_charsets(declared: str, raw: bytes, expected: str) -> None:
    body = mail(f"Content-Type: text/plain; charset={declared}", body=raw)
    assert parse_mail(body).text == expected


def test_no_charset_at_all_reads_utf8_then_windows_1252() -> None:
    assert parse_mail(mail(body=FINNISH.encode("utf-8"))).text == FINNISH
    assert parse_mail(mail(body=FINNISH.encode("cp1252"))).text == FINNISH


def test_undeclared_iso_2022_jp_is_recognised_by_its_escapes() -> None:
    parsed = parse_mail(mail("Content-Type: text/plain", body=JAPANESE.encode("iso-2022-jp")))
    assert parsed.text == JAPANESE


def test_utf8_with_one_broken_byte_stays_utf8() -> None:
    raw = (FINNISH + " " + POLISH).encode("utf-8")[:-1]  # cut in the middle of "ń"
    text = parse_mail(mail("Content-Type: text/plain; charset=utf-8", body=raw)).text
    assert text.startswith(FINNISH + " Zażółć gęślą")
    assert text.endswith("\ufffd")


def test_decode_bytes_never_raises_and_replaces_only_when_nothing_fits() -> None:
    assert decode_bytes(b"\x81\x8d\x8f", "utf-8") == "\ufffd\ufffd\ufffd"
    assert decode_bytes(b"abc", "rot13") == "abc"  # a codec that is no charset is ignored
    assert decode_bytes(b"\xe4", "base64") == "ä"
    assert decode_bytes(b"", "utf-8") == ""


def test_raw_8bit_headers() -> None:
    raw = mail(
        "Subject: Tilaus ääkkösillä",
        "From: Jääskeläinen Matti <matti@example.fi>",
    )
    parsed = parse_mail(raw)
    assert parsed.subject == "Tilaus ääkkösillä"
    assert parsed.from_name == "Jääskeläinen Matti"
    latin = raw.replace("Tilaus ääkkösillä".encode(), "Tilaus ääkkösillä".encode("latin-1"))
    assert parse_mail(latin).subject == "Tilaus ääkkösillä"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # Spaces inside the encoded text, which encoders must not but do write.
        ("=?utf-8?Q?Hyv=C3=A4=C3=A4 p=C3=A4iv=C3=A4=C3=A4?=", "Hyvää päivää"),
        # The closing "?=" missing at the end.
        ("Re: =?utf-8?Q?Hyv=C3=A4=C3=A4_p=C3=A4iv=C3=A4=C3=A4", "Re: Hyvää päivää"),
        # Base64 without its padding.
        ("=?UTF-8?B?SHl2w6TDpA?=", "Hyvää"),
        # A multi-byte character split across two words.
        ("=?utf-8?Q?Hyv=C3?= =?utf-8?Q?=A4=C3=A4?=", "Hyvää"),
        # Whitespace between words vanishes, around them it stays.
        ("Re: =?utf-8?Q?a?=  =?utf-8?Q?b?= c", "Re: ab c"),
        # An unknown charset: the bytes are guessed.
        ("=?x-unknown?Q?Hyv=C3=A4=C3=A4?=", "Hyvää"),
        # RFC 2231 language suffix in an encoded word.
        ("=?utf-8*fi?Q?Hyv=C3=A4=C3=A4?=", "Hyvää"),
        # Encoded word glued to text.
        ("Re:=?iso-8859-1?Q?=E4?=x", "Re:äx"),
        # Not an encoded word at all.
        ("What is =?", "What is =?"),
        ("=?utf-8?X?abc?=", "=?utf-8?X?abc?="),
    ],
)
def test_broken_encoded_words(header: str, expected: str) -> None:
    assert decode_words(header) == expected
    assert parse_mail(mail(f"Subject: {header}")).subject == expected


def test_subject_whitespace_collapses_and_folding_is_undone() -> None:
    parsed = parse_mail(mail("Subject: Order\r\n   number\t 42  \r\n\tis late"))
    assert parsed.subject == "Order number 42 is late"


# The plain definitions of the charsets helpers whose fast paths skip work on common input.


def defined_clean_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = re.sub(
        r"[\ud800-\udfff]", "\ufffd", re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value)
    )
    return value.removeprefix("\ufeff")


def defined_raw_header_text(value: str) -> str:
    text = value[: charsets.MAX_HEADER_CHARS]
    if any("\udc80" <= char <= "\udcff" for char in text):
        text = decode_bytes(text.encode("utf-8", "surrogateescape"))
    return re.sub(r"[\x00-\x1f\x7f]", " ", re.sub(r"\r?\n(?=[ \t])", "", text).replace("\r", ""))


def defined_split(value: str, separators: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char in separators and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


TRICKY = st.text(
    st.sampled_from(list('ab ;,"\\\t\r\n\x00\x07\x1b\x7f\x85\xa0ä€\ufeff\ud800\udc80\udcff'))
) | st.text(st.characters(exclude_categories=()))


@settings(max_examples=500, deadline=None, database=None)
@given(TRICKY)
@example("a\x00b\rc\r\n\udc80\ud800\ufeff")
@example("\ud800\udc80")
def test_text_cleaning_fast_paths_match_their_definitions(value: str) -> None:
    assert charsets.clean_text(value) == defined_clean_text(value)
    assert outcome(charsets.raw_header_text, value) == outcome(defined_raw_header_text, value)


def outcome(function: Callable[[str], str], value: str) -> str:
    """The result, or the error: a surrogate pair the parser never stores fails both."""
    try:
        return function(value)
    except UnicodeError as error:
        return repr(error)


@settings(max_examples=500, deadline=None, database=None)
@given(TRICKY, st.sampled_from([";", ",", ";,", '"', "\\"]))
@example('a="x;y"; b="\\";"; c', ";")
def test_splitting_outside_quotes_matches_its_definition(value: str, separators: str) -> None:
    assert charsets._split_outside_quotes(value, separators) == defined_split(value, separators)


# --- addresses and ids -----------------------------------------------------------------


def test_addresses() -> None:
    parsed = parse_mail(
        mail(
            'From: "Kowalski, Jan" <Jan.Kowalski@Example.PL>',
            "To: support@shop.example, =?utf-8?Q?Sp=C3=B3=C5=82ka=2C_Biuro?= <biuro@firma.pl>",
            "Cc: bob@example.com (Bob Builder), Team: a@example.com, b@example.com;",
            "Reply-To: 'Jan K' <jan@home.example>",
        )
    )
    assert parsed.from_name == "Kowalski, Jan"
    assert parsed.from_address == "jan.kowalski@example.pl"
    assert parsed.to == (("", "support@shop.example"), ("Spółka, Biuro", "biuro@firma.pl"))
    assert parsed.cc == (
        ("Bob Builder", "bob@example.com"),
        ("", "a@example.com"),
        ("", "b@example.com"),
    )
    assert parsed.reply_to == (("Jan K", "jan@home.example"),)


def test_whole_address_inside_one_encoded_word() -> None:
    word = encoded_word("Jan Kowalski <jan@example.pl>", "utf-8")
    parsed = parse_mail(mail(f"From: {word}"))
    assert (parsed.from_name, parsed.from_address) == ("Jan Kowalski", "jan@example.pl")


def test_no_from_address() -> None:
    parsed = parse_mail(mail("From: Just a name"))
    assert parsed.from_address == ""
    assert parsed.from_name == "Just a name"
    assert parse_mail(mail("From: undisclosed-recipients:;")).from_address == ""


def test_parse_addresses_ignores_garbage() -> None:
    assert parse_addresses("<>, @, foo, <a@b.c") == []
    assert parse_addresses('"quoted <x@y.z>" <real@example.com>') == [
        ("quoted", "real@example.com")
    ]


def test_message_ids_and_threading_headers() -> None:
    parsed = parse_mail(
        mail(
            "Message-ID: <ABC.123@Mail.Example.FI>",
            "In-Reply-To: <first@shop.example> (from support)",
            "References: <root@shop.example>\r\n <first@shop.example>,<root@shop.example>",
        )
    )
    assert parsed.message_id == "<ABC.123@Mail.Example.FI>"
    assert parsed.in_reply_to == ("<first@shop.example>",)
    assert parsed.references == ("<root@shop.example>", "<first@shop.example>")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("bare.id@host", "<bare.id@host>"), ("garbage here", ""), ("<>", ""), ("", "")],
)
def test_message_id_normalisation(header: str, expected: str) -> None:
    assert parse_mail(mail(f"Message-ID: {header}")).message_id == expected


def test_missing_message_id() -> None:
    raw = b"From: a@example.com\r\nSubject: x\r\n\r\nbody"
    parsed = parse_mail(raw)
    assert parsed.message_id == ""
    assert parsed.in_reply_to == parsed.references == ()
    assert parsed.return_path is None
    assert parsed.date is None


def test_envelope_headers() -> None:
    parsed = parse_mail(
        mail(
            "Return-Path: <Bounces+X@Sender.Example>",
            "Delivered-To: Support@Shop.Example",
            "X-Original-To: tuki@shop.example, support@shop.example",
            "Envelope-To: support@shop.example",
            "X-Envelope-To: <orders@shop.example>",
        )
    )
    assert parsed.return_path == "bounces+x@sender.example"
    assert parsed.delivered_to == (
        "support@shop.example",
        "tuki@shop.example",
        "orders@shop.example",
    )
    assert parse_mail(mail("Return-Path: <>")).return_path == ""


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Tue, 03 Mar 2026 10:00:00 +0200", datetime(2026, 3, 3, 8, 0, tzinfo=UTC)),
        ("3 Mar 2026 10:00 -0000", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        # An unknown zone name, like -0000, says nothing: read as UTC.
        ("Tue, 3 Mar 2026 10:00:00 EET", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("2026-03-03T10:00:00+02:00", datetime(2026, 3, 3, 8, 0, tzinfo=UTC)),
        ("yesterday", None),
        ("Tue, 32 Mar 2026 10:00:00 +0200", None),
        ("Tue, 03 Mar 2026 10:00:00 +9999", None),
        ("Tue, 03 Mar 99999 10:00:00 +0000", None),
    ],
)
def test_dates(header: str, expected: datetime | None) -> None:
    parsed = parse_mail(mail(f"Date: {header}"))
    assert parsed.date == expected
    if parsed.date is not None:
        assert parsed.date.tzinfo is not None


def test_date_keeps_its_offset() -> None:
    parsed = parse_mail(mail("Date: Tue, 03 Mar 2026 10:00:00 +0200"))
    assert parsed.date is not None
    assert parsed.date.utcoffset() == timedelta(hours=2)
    assert parsed.date.tzinfo == timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("header", "expected"),
    [("fi-FI", "fi"), ("PL, en", "pl"), ("sv_FI", "sv"), ("", ""), ("12", ""), ("*", "")],
)
def test_language(header: str, expected: str) -> None:
    assert parse_mail(mail(f"Content-Language: {header}")).language == expected


def test_language_from_the_body_part() -> None:
    raw = mail(
        'Content-Type: multipart/alternative; boundary="b"',
        body=b"--b\r\nContent-Type: text/plain\r\nContent-Language: pl-PL\r\n\r\n"
        b"Cze\xc5\x9b\xc4\x87\r\n--b--\r\n",
    )
    assert parse_mail(raw).language == "pl"


# --- bodies ----------------------------------------------------------------------------


def alternative(plain: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Asiakas <asiakas@example.fi>"
    message["To"] = "support@shop.example"
    message["Subject"] = "Tilaus"
    message.set_content(plain)
    message.add_alternative(html, subtype="html")
    return message


def test_alternative_prefers_html_and_keeps_the_text() -> None:
    html = (
        "<html><head><title>Hidden</title><style>p{color:red}</style></head><body>"
        '<p onclick="steal()">Hyvää <b>päivää</b></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><a href="https://shop.example/">tilaus</a>'
        "</body></html>"
    )
    parsed = parse_mail(alternative("Hyvää päivää (teksti)", html).as_bytes(policy=SMTP))
    assert parsed.text == "Hyvää päivää (teksti)"
    assert "<b>päivää</b>" in parsed.html
    for gone in ("script", "alert", "onclick", "javascript", "Hidden", "color:red"):
        assert gone not in parsed.html
    assert 'href="https://shop.example/"' in parsed.html


def test_html_only_derives_the_text() -> None:
    raw = mail(
        "Content-Type: text/html; charset=utf-8",
        body="<p>Hyvää päivää</p><p>Tilaus&nbsp;42</p><script>x()</script>".encode(),
    )
    parsed = parse_mail(raw)
    assert parsed.text == "Hyvää päivää\nTilaus 42"
    assert parsed.html == "<p>Hyvää päivää</p><p>Tilaus&nbsp;42</p>"


def test_html_charset_from_meta_when_the_header_has_none() -> None:
    html = '<meta charset="iso-8859-2"><p>' + POLISH + "</p>"
    parsed = parse_mail(mail("Content-Type: text/html", body=html.encode("iso-8859-2")))
    assert POLISH in parsed.html
    assert parsed.text == POLISH


def test_mixed_text_parts_are_joined() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFirst part\r\n"
        b"--b\r\nContent-Type: image/png\r\nContent-Disposition: attachment\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
        b"--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nSecond p\xe4rt\r\n"
        b"--b--\r\n"
    )
    parsed = parse_mail(mail('Content-Type: multipart/mixed; boundary="b"', body=body))
    assert parsed.text == "First part\n\nSecond pärt"
    assert parsed.html == ""
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == [
        ("image-1.png", "image/png", b"\x89PNG\r\n\x1a\n")
    ]


def test_mixed_text_and_html_parts_both_reach_text_and_html() -> None:
    body = (
        b"--b\r\nContent-Type: text/html\r\n\r\n<p>Hello <i>there</i></p>\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nList footer\r\n--b--\r\n"
    )
    parsed = parse_mail(mail('Content-Type: multipart/mixed; boundary="b"', body=body))
    assert parsed.text == "Hello there\n\nList footer"
    assert parsed.html == "<p>Hello <i>there</i></p>\n<p>List footer</p>"


def test_inline_cid_image() -> None:
    message = alternative("Logo below", '<p>Logo:</p><img src="cid:logo.123@shop.example">')
    html_part = message.get_body(("html",))
    assert isinstance(html_part, MIMEPart)
    html_part.add_related(
        b"\x89PNG\r\n\x1a\nfake", maintype="image", subtype="png", cid="<logo.123@shop.example>"
    )
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    message.add_attachment(b"GIF89a", maintype="image", subtype="gif", cid="<unused@x>")
    parsed = parse_mail(message.as_bytes(policy=SMTP))
    assert '<img src="cid:logo.123@shop.example">' in parsed.html
    assert parsed.text == "Logo below"
    logo, pdf, gif = parsed.attachments
    assert (logo.content_id, logo.inline, logo.content_type) == (
        "logo.123@shop.example",
        True,
        "image/png",
    )
    assert logo.data == b"\x89PNG\r\n\x1a\nfake"
    assert logo.filename == "image-1.png"
    assert (pdf.filename, pdf.inline, pdf.data) == ("a.pdf", False, b"%PDF-1.4")
    assert (gif.content_id, gif.inline) == ("unused@x", False)


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ("attachment; filename*=utf-8''Lasku%20%C3%A4.pdf", "Lasku ä.pdf"),
        (
            "attachment; filename*0*=utf-8''Zam%C3%B3wienie%20;\r\n filename*1=nr%201.pdf",
            "Zamówienie nr%201.pdf",
        ),
        ("attachment; filename*=iso-8859-2'pl'Faktura_%B3%F3d%BC.pdf", "Faktura_łódź.pdf"),
        ('attachment; filename="=?utf-8?B?TGFza3Ugw6QucGRm?="', "Lasku ä.pdf"),
        ('attachment; filename="=?iso-8859-1?Q?Lasku_=E4=2Epdf?="', "Lasku ä.pdf"),
        ('attachment; filename="C:\\Users\\matti\\Lasku.pdf"', "Lasku.pdf"),
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ("attachment; filename=plain.pdf", "plain.pdf"),
        ("attachment", "attachment-1.pdf"),
        ('attachment; filename=".."', "attachment-1.pdf"),
    ],
)
def test_attachment_filenames(disposition: str, expected: str) -> None:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nSee attached\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        + f"Content-Disposition: {disposition}\r\n".encode()
        + b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n--b--\r\n"
    )
    parsed = parse_mail(mail('Content-Type: multipart/mixed; boundary="b"', body=body))
    (attachment,) = parsed.attachments
    assert attachment.filename == expected
    assert attachment.data == b"%PDF-1.4"
    assert parsed.text == "See attached"


def test_filename_from_content_type_name_and_type_from_filename() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n"
        b'--b\r\nContent-Type: application/octet-stream; name="kuva.jpg"\r\n\r\nJPEGDATA\r\n'
        b"--b--\r\n"
    )
    (attachment,) = parse_mail(
        mail('Content-Type: multipart/mixed; boundary="b"', body=body)
    ).attachments
    assert (attachment.filename, attachment.content_type) == ("kuva.jpg", "image/jpeg")


def test_named_text_part_is_an_attachment_but_inline_text_is_body() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nBody\r\n"
        b'--b\r\nContent-Type: text/plain; name="log.txt"\r\n\r\nlog line\r\n'
        b"--b\r\nContent-Type: text/plain\r\nContent-Disposition: inline; filename=more.txt"
        b"\r\n\r\nMore body\r\n--b--\r\n"
    )
    parsed = parse_mail(mail('Content-Type: multipart/mixed; boundary="b"', body=body))
    assert parsed.text == "Body\n\nMore body"
    assert [(a.filename, a.data) for a in parsed.attachments] == [("log.txt", b"log line")]


def test_calendar_and_other_leaves_are_attachments() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nInvitation\r\n"
        b"--b\r\nContent-Type: text/html\r\n\r\n<p>Invitation</p>\r\n"
        b"--b\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\n"
        b"--b--\r\n"
    )
    parsed = parse_mail(mail('Content-Type: multipart/alternative; boundary="b"', body=body))
    assert parsed.text == "Invitation"
    assert parsed.html == "<p>Invitation</p>"
    (calendar,) = parsed.attachments
    assert (calendar.filename, calendar.content_type) == ("attachment-1.ics", "text/calendar")
    assert calendar.data == b"BEGIN:VCALENDAR"


def test_forwarded_message() -> None:
    inner = EmailMessage()
    inner["From"] = "=?utf-8?Q?Pawe=C5=82?= <pawel@example.pl>"
    inner["Subject"] = "Zamówienie 42"
    inner["Date"] = "Mon, 02 Mar 2026 09:00:00 +0100"
    inner.set_content("Proszę o fakturę.")
    inner.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="f.pdf")
    outer = EmailMessage()
    outer["From"] = "jan@example.pl"
    outer["Subject"] = "Fwd: Zamówienie 42"
    outer.set_content("Patrz niżej.")
    outer.add_attachment(inner)
    parsed = parse_mail(outer.as_bytes(policy=SMTP))
    assert parsed.text == "Patrz niżej."
    (forwarded,) = parsed.forwarded
    assert forwarded.from_ == "Paweł <pawel@example.pl>"
    assert forwarded.subject == "Zamówienie 42"
    assert forwarded.date == "Mon, 02 Mar 2026 09:00:00 +0100"
    assert forwarded.text == "Proszę o fakturę."
    # The forwarded mail's own file is kept; the forwarded mail is not an attachment.
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("f.pdf", "application/pdf")
    ]


def test_base64_encoded_message_rfc822_is_still_forwarded() -> None:
    inner = b"From: x@example.com\r\nSubject: Inner\r\n\r\nInner text\r\n"
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nOuter\r\n"
        b"--b\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(inner)
        + b"--b--\r\n"
    )
    parsed = parse_mail(mail('Content-Type: multipart/mixed; boundary="b"', body=body))
    assert parsed.attachments == ()
    assert [(f.from_, f.subject, f.text) for f in parsed.forwarded] == [
        ("x@example.com", "Inner", "Inner text")
    ]


def test_format_flowed_is_unflowed() -> None:
    body = b"This line is \r\nsoft-wrapped.\r\n> quoted \r\n> too\r\n-- \r\nSig\r\n"
    parsed = parse_mail(mail("Content-Type: text/plain; charset=utf-8; format=flowed", body=body))
    assert parsed.text == "This line is soft-wrapped.\n> quoted too\n-- \nSig"
    delsp = parse_mail(
        mail("Content-Type: text/plain; format=flowed; delsp=yes", body=b"Hyv \r\nvin\r\n")
    )
    assert delsp.text == "Hyvvin"


def test_multipart_signed_drops_the_signature() -> None:
    body = (
        b"--s\r\nContent-Type: text/plain\r\n\r\nSigned words\r\n"
        b"--s\r\nContent-Type: application/pgp-signature; name=signature.asc\r\n\r\n"
        b"-----BEGIN PGP SIGNATURE-----\r\n--s--\r\n"
    )
    raw = mail('Content-Type: multipart/signed; protocol="x"; boundary="s"', body=body)
    parsed = parse_mail(raw)
    assert parsed.text == "Signed words"
    assert parsed.attachments == ()


def tnef(*attributes: tuple[int, int, int, bytes]) -> bytes:
    """A TNEF stream: signature, key, then (level, id, type, data) attributes."""
    out = struct.pack("<IH", 0x223E9F78, 1)
    for level, name, kind, data in attributes:
        checksum = sum(data) & 0xFFFF
        out += struct.pack("<BHHI", level, name, kind, len(data)) + data
        out += struct.pack("<H", checksum)
    return out


def winmail_mail(data: bytes) -> bytes:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nSee the file\r\n"
        b'--b\r\nContent-Type: application/ms-tnef; name="winmail.dat"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(data) + b"--b--\r\n"
    )
    return mail('Content-Type: multipart/mixed; boundary="b"', body=body)


def test_winmail_dat_is_unpacked() -> None:
    data = tnef(
        (1, 0x9006, 0x0008, struct.pack("<I", 0x10000)),  # TNEF version
        (1, 0x9007, 0x0006, struct.pack("<II", 1252, 0)),  # OEM code page
        (2, 0x9002, 0x0006, bytes(14)),  # attachment rendering data: starts one
        (2, 0x8010, 0x0001, b"tilaus.txt\x00"),  # title
        (2, 0x800F, 0x0006, b"Order lines"),  # data
        (2, 0x9002, 0x0006, bytes(14)),
        (2, 0x8010, 0x0001, b"kuva.png\x00"),
        (2, 0x800F, 0x0006, b"\x89PNG"),
    )
    parsed = parse_mail(winmail_mail(data))
    assert parsed.text == "See the file"
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == [
        ("tilaus.txt", "text/plain", b"Order lines"),
        ("kuva.png", "image/png", b"\x89PNG"),
    ]


def test_broken_winmail_dat_is_kept_as_it_is() -> None:
    parsed = parse_mail(winmail_mail(b"not tnef at all"))
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == [
        ("winmail.dat", "application/ms-tnef", b"not tnef at all")
    ]


def test_attachments_without_text() -> None:
    raw = mail(
        "Content-Type: application/pdf",
        "Content-Transfer-Encoding: base64",
        body=b"JVBERi0xLjQ=\r\n",
    )
    parsed = parse_mail(raw)
    assert parsed.text == ""
    assert [(a.filename, a.data) for a in parsed.attachments] == [("attachment-1.pdf", b"%PDF-1.4")]


# --- automatic mail --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Auto-Submitted: auto-replied"], True),
        (["Auto-Submitted: auto-generated; owner-email=x@example.com"], True),
        (["Auto-Submitted: no"], False),
        (["Auto-Submitted: No"], False),
        (["X-Autoreply: yes"], True),
        (["X-Autorespond: Out of office"], True),
        # See the comment in tiski/mail/parse.py: only "All" counts.
        (["X-Auto-Response-Suppress: All"], True),
        (["X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply"], False),
        (["X-Auto-Response-Suppress: OOF"], False),
        (["Precedence: bulk"], True),
        (["Precedence: junk"], True),
        (["Precedence: auto_reply"], True),
        (["X-Precedence: bulk"], True),
        (["Precedence: list"], False),
        (["Precedence: first-class"], False),
        (["Return-Path: <>"], True),
        (["Return-Path: <customer@example.fi>"], False),
        # A subject alone proves nothing.
        (["Subject: Out of office: Re: tilaus"], False),
        (["Subject: Automaattinen vastaus: Tilaus 42"], False),
        ([], False),
    ],
)
def test_auto_submitted(headers: list[str], expected: bool) -> None:
    assert parse_mail(mail(*headers)).auto_submitted is expected


def test_normal_outlook_mail_is_not_automatic() -> None:
    raw = mail(
        "X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply",
        "X-MS-Has-Attach:",
        "X-MS-TNEF-Correlator:",
        "Thread-Topic: Tilaus 42",
        "Return-Path: customer@example.fi",
        "Content-Type: text/plain; charset=iso-8859-1",
        body=FINNISH.encode("latin-1"),
    )
    parsed = parse_mail(raw)
    assert parsed.auto_submitted is False
    assert parsed.bounce is None
    assert parsed.text == FINNISH


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["List-Id: Tiski users <users.lists.example.org>"], True),
        (["List-Unsubscribe: <mailto:leave@lists.example.org>"], True),
        (["List-Post: <mailto:users@lists.example.org>"], True),
        (["Precedence: list"], True),
        (["Precedence: bulk"], False),
        ([], False),
    ],
)
def test_list_mail(headers: list[str], expected: bool) -> None:
    assert parse_mail(mail(*headers)).list_mail is expected


# --- bounces ---------------------------------------------------------------------------

POSTFIX_DSN = b"""Return-Path: <>
Delivered-To: support@shop.example
Date: Tue,  3 Mar 2026 10:05:00 +0200 (EET)
From: MAILER-DAEMON@mx.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: support@shop.example
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F1B21C0E.1772524700/mx.shop.example"
Message-Id: <20260303080500.4F1B21C0E@mx.shop.example>

This is a MIME-encapsulated message.

--4F1B21C0E.1772524700/mx.shop.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.shop.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@customer.example>: host mx.customer.example[192.0.2.7] said: 550 5.1.1
    <nobody@customer.example>: Recipient address rejected: User unknown in
    virtual mailbox table (in reply to RCPT TO command)

--4F1B21C0E.1772524700/mx.shop.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.shop.example
X-Postfix-Queue-ID: 4F1B21C0E
X-Postfix-Sender: rfc822; support@shop.example
Arrival-Date: Tue,  3 Mar 2026 10:04:58 +0200 (EET)

Final-Recipient: rfc822; nobody@customer.example
Original-Recipient: rfc822;nobody@customer.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.customer.example
Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.example>: Recipient address
    rejected: User unknown in virtual mailbox table

--4F1B21C0E.1772524700/mx.shop.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <support@shop.example>
From: Shop Support <support@shop.example>
To: nobody@customer.example
Subject: Re: Order 42
Message-ID: <reply.42@shop.example>

--4F1B21C0E.1772524700/mx.shop.example--
"""


def test_postfix_dsn() -> None:
    parsed = parse_mail(POSTFIX_DSN)
    assert parsed.bounce is not None
    assert parsed.bounce.original_message_id == "<reply.42@shop.example>"
    assert parsed.bounce.recipients == ("nobody@customer.example",)
    assert parsed.bounce.status == "5.1.1"
    assert parsed.bounce.diagnostic == (
        "550 5.1.1 <nobody@customer.example>: Recipient address rejected: "
        "User unknown in virtual mailbox table"
    )
    assert parsed.bounce.permanent is True
    assert parsed.auto_submitted is True
    assert parsed.from_address == "mailer-daemon@mx.shop.example"
    assert parsed.from_name == "Mail Delivery System"
    assert parsed.text.startswith("This is the mail system at host mx.shop.example.")
    assert parsed.attachments[0].content_type == "text/rfc822-headers"


def test_delayed_dsn_is_not_permanent() -> None:
    raw = (
        POSTFIX_DSN.replace(b"Action: failed", b"Action: delayed")
        .replace(b"Status: 5.1.1", b"Status: 4.4.1")
        .replace(b"550 5.1.1", b"451 4.4.1")
    )
    bounce = parse_mail(raw).bounce
    assert bounce is not None
    assert (bounce.status, bounce.permanent) == ("4.4.1", False)


def test_success_dsn_is_no_bounce() -> None:
    raw = POSTFIX_DSN.replace(b"Action: failed", b"Action: delivered").replace(
        b"Status: 5.1.1", b"Status: 2.0.0"
    )
    parsed = parse_mail(raw)
    assert parsed.bounce is None
    assert parsed.auto_submitted is True


EXCHANGE_NDR = b"""Received: from AM0PR01MB1234.eurprd01.prod.exchangelabs.com
From: postmaster@firma.example
To: support@shop.example
Date: Tue, 3 Mar 2026 08:05:00 +0000
Subject: Undeliverable: Re: Zam\xc3\xb3wienie 42
Content-Type: multipart/mixed; boundary="_000_ndr"
MIME-Version: 1.0
Message-ID: <ndr.1@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
X-MS-Exchange-Message-Is-Ndr:
Auto-Submitted: auto-replied
Return-Path: <>

--_000_ndr
Content-Type: text/plain; charset=utf-8

Your message to biuro@firma.example couldn't be delivered.

biuro wasn't found at firma.example.

Diagnostic information for administrators:

Generating server: AM0PR01MB1234.eurprd01.prod.exchangelabs.com

biuro@firma.example
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by
 SMTP address lookup'

Original message headers:

Received: from mail.shop.example by AM0PR01MB1234
From: Shop Support <support@shop.example>
To: <biuro@firma.example>
Message-ID: <reply.43@shop.example>

--_000_ndr
Content-Type: message/rfc822

From: Shop Support <support@shop.example>
To: <biuro@firma.example>
Subject: Re: Zam\xc3\xb3wienie 42
Message-ID: <reply.43@shop.example>

Dzie\xc5\x84 dobry!

--_000_ndr--
"""


def test_exchange_ndr_without_rfc3464() -> None:
    parsed = parse_mail(EXCHANGE_NDR)
    assert parsed.subject == "Undeliverable: Re: Zamówienie 42"
    assert parsed.bounce is not None
    assert parsed.bounce.original_message_id == "<reply.43@shop.example>"
    assert parsed.bounce.recipients == ("biuro@firma.example",)
    assert parsed.bounce.status == "5.1.10"
    assert parsed.bounce.diagnostic.startswith("Remote Server returned '550 5.1.10")
    assert parsed.bounce.permanent is True
    assert [f.subject for f in parsed.forwarded] == ["Re: Zamówienie 42"]


def test_ndr_recognised_by_null_sender_subject_and_original() -> None:
    raw = EXCHANGE_NDR.replace(b"X-MS-Exchange-Message-Is-Ndr:\n", b"")
    bounce = parse_mail(raw).bounce
    assert bounce is not None
    assert bounce.original_message_id == "<reply.43@shop.example>"


def test_person_forwarding_a_mail_titled_undeliverable_is_no_bounce() -> None:
    raw = (
        EXCHANGE_NDR.replace(b"X-MS-Exchange-Message-Is-Ndr:\n", b"")
        .replace(b"Return-Path: <>", b"Return-Path: <anna@firma.example>")
        .replace(b"From: postmaster@firma.example", b"From: anna@firma.example")
    )
    parsed = parse_mail(raw)
    assert parsed.bounce is None
    assert parsed.auto_submitted is True  # Auto-Submitted is still there
    plain = parse_mail(raw.replace(b"Auto-Submitted: auto-replied\n", b""))
    assert (plain.bounce, plain.auto_submitted) == (None, False)


def test_normal_mail_has_no_bounce() -> None:
    parsed = parse_mail(text_mail(FINNISH, "utf-8"))
    assert parsed.bounce is None
    assert parsed.forwarded == ()
    assert parsed.auto_submitted is False
    assert parsed.list_mail is False


# --- robustness ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b"just some text", b"\x00\x01\x02\x03", b"\n\nBody"],
)
def test_not_a_mail(source: bytes) -> None:
    with pytest.raises(MailParseError) as info:
        parse_mail(source)
    assert str(info.value) in {
        "The message is empty.",
        "The data has no header fields, so it is not a mail.",
    }


def test_not_bytes_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        parse_mail("From: a@example.com\r\n\r\nhi")  # type: ignore[arg-type]


def test_headers_only_mail() -> None:
    parsed = parse_mail(b"From: a@example.com\r\nSubject: Only a subject\r\n")
    assert (parsed.subject, parsed.text, parsed.attachments) == ("Only a subject", "", ())


def test_leading_blank_lines_and_mbox_from_line_are_skipped() -> None:
    parsed = parse_mail(b"\r\n\r\nFrom x@example.com Tue Mar  3 10:00:00 2026\n" + mail())
    assert parsed.from_address == "customer@example.fi"
    assert parsed.text == "Hello"


def nested(depth: int) -> bytes:
    part = b"Content-Type: text/plain\r\n\r\nDeep text\r\n"
    for level in range(depth):
        boundary = b"b%d" % level
        part = (
            b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n--' + boundary
            + b"\r\n" + part + b"\r\n--" + boundary + b"--\r\n"
        )  # fmt: skip
    return b"From: deep@example.com\r\nSubject: Deep\r\n" + part


def test_depth_is_capped() -> None:
    assert parse_mail(nested(15)).text == "Deep text"
    parsed = parse_mail(nested(100))
    assert parsed.text == ""  # below the depth cap
    assert parsed.subject == "Deep"


def test_absurd_nesting_keeps_the_headers() -> None:
    parsed = parse_mail(nested(3000))
    assert (parsed.from_address, parsed.subject, parsed.text) == ("deep@example.com", "Deep", "")


def test_only_boundary_parameters_count_towards_the_limit() -> None:
    words = mail(body=b"The Boundary, a BOUNDARY of boundary\r\n" * 200)
    assert parse_mail(words).text.startswith("The Boundary, a BOUNDARY")
    parameters = mail(body=b"Boundary = x; BOUNDARY\t=y\r\n" * 251)
    assert parse_mail(parameters).text == ""  # over the limit: the headers only


def test_attachments_are_capped() -> None:
    parts = b"".join(
        b"--b\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n" for _ in range(150)
    )
    raw = mail('Content-Type: multipart/mixed; boundary="b"', body=parts + b"--b--\r\n")
    assert len(parse_mail(raw).attachments) == MAX_ATTACHMENTS


def test_damaged_mail_still_parses() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64"
        b"\r\n\r\nSHl2w6TDpCBw!!!w6RpdsOkw6Q\r\n"  # broken base64
        b"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable"
        b"\r\n\r\nbroken =ZZ and soft=\r\nline=\r\n"
        b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: x-unknown\r\n\r\nraw"
        # no closing boundary at all
    )
    raw = mail(
        "Content-Type: multipart/mixed; boundary=b",
        "Date: Tue, 99 Foo 2026 99:99:99 +9999",
        "Subject: " + "x" * 200_000,
        "X-Null: a\x00b",
        body=body,
    )
    parsed = parse_mail(raw)
    assert parsed.date is None
    assert len(parsed.subject) == 64 * 1024
    assert "broken =ZZ and softline" in parsed.text
    assert parsed.attachments[0].data == b"raw"


def test_missing_boundary_keeps_the_text() -> None:
    raw = mail("Content-Type: multipart/mixed", body=b"Plain words in a broken multipart\r\n")
    assert parse_mail(raw).text == "Plain words in a broken multipart"


def test_nul_and_control_characters_are_removed() -> None:
    raw = mail("Subject: a\x00b\x07c", "From: N\x00ame <x@example.com>", body=b"t\x00e\x1bxt\r\n")
    parsed = parse_mail(raw)
    assert (parsed.subject, parsed.from_name, parsed.text) == ("a b c", "N ame", "text")


def test_charset_label_with_a_nul_does_not_crash() -> None:
    # Found by fuzzing: the stdlib's get_payload() raises ValueError on such a label.
    raw = mail('Content-Type: text/plain; charset="a\x00b"', body="Hyvää".encode())
    assert parse_mail(raw).text == "Hyvää"


def test_control_characters_never_reach_message_ids() -> None:
    parsed = parse_mail(mail("Message-ID: <a\x00b@host>", "References: <x\x01y@host>"))
    assert parsed.message_id == ""
    assert parsed.references == ()


def test_html_title_stays_out_of_the_text() -> None:
    raw = mail(
        "Content-Type: text/html",
        body=b"<html><HEAD><title>Newsletter 12</title></head><body><p>Hi</p></body></html>",
    )
    parsed = parse_mail(raw)
    assert (parsed.text, parsed.html) == ("Hi", "<p>Hi</p>")


def test_utf7_cannot_smuggle_lone_surrogates() -> None:
    parsed = parse_mail(mail("Content-Type: text/plain; charset=utf-7", body=b"a+2D3c-b"))
    parsed.text.encode("utf-8")  # would raise on a lone surrogate


def test_parse_params() -> None:
    assert parse_params('Text/Plain; Charset="UTF-8"; format=flowed; x') == (
        "text/plain",
        {"charset": "UTF-8", "format": "flowed"},
    )
    assert parse_params('attachment; filename="a;b.txt"')[1] == {"filename": "a;b.txt"}


# --- corpus ----------------------------------------------------------------------------

CORPUS_FILES = sorted(CORPUS.glob("*.eml"))


def test_corpus_is_there() -> None:
    assert len(CORPUS_FILES) >= 15


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_corpus_file_parses(path: Path) -> None:
    parsed = parse_mail(path.read_bytes())
    assert isinstance(parsed, ParsedMail)
    assert parsed.from_address or parsed.bounce is not None
    assert parsed.text or parsed.attachments or parsed.forwarded
    for value in (parsed.text, parsed.html, parsed.subject, parsed.from_name):
        assert "\x00" not in value
        value.encode("utf-8")


def corpus(name: str) -> ParsedMail:
    return parse_mail((CORPUS / name).read_bytes())


def test_corpus_gmail_finnish_reply() -> None:
    parsed = corpus("gmail-web-fi-reply.eml")
    assert (parsed.from_name, parsed.from_address) == ("Päivi Mäkelä", "paivi.makela@gmail.example")
    assert parsed.subject == "Re: Tilausvahvistus 10482 – Kiitos tilauksestasi"
    assert parsed.in_reply_to == ("<kauppa.reply.10482.1@kauppa.example>",)
    assert parsed.text.startswith("Hei,\n\ntilaukseni 10482 ei ole vielä saapunut.")
    assert '<blockquote class="gmail_quote"' not in parsed.html  # class is not allowed
    assert "<blockquote>" in parsed.html
    assert parsed.delivered_to == ("tuki@kauppa.example",)


def test_corpus_outlook_polish() -> None:
    parsed = corpus("outlook-365-pl-iso-8859-2.eml")
    assert parsed.subject == "Reklamacja zamówienia 5521 - uszkodzony towar"
    assert parsed.from_name == "Kowalski Jan"
    assert parsed.language == "pl"
    assert "Proszę o wymianę lub zwrot pieniędzy." in parsed.text
    assert "zwrot pieniędzy" in parsed.html
    assert "MsoNormal" not in parsed.html
    assert parsed.auto_submitted is False


def test_corpus_apple_mail_inline_image() -> None:
    parsed = corpus("apple-mail-fi-inline-image.eml")
    (image,) = parsed.attachments
    assert (image.filename, image.inline) == ("IMG_2043.jpeg", True)
    assert f'src="cid:{image.content_id}"' in parsed.html
    assert image.data.startswith(b"\xff\xd8")


def test_corpus_iphone_photo_between_html_parts() -> None:
    parsed = corpus("iphone-mail-fi-photo.eml")
    assert parsed.text.endswith("Lähetetty iPhonesta")
    assert parsed.text.count("saisinko vaihtaa") == 1
    assert [a.filename for a in parsed.attachments] == ["IMG_4411.jpeg"]


def test_corpus_thunderbird_polish_pdf() -> None:
    parsed = corpus("thunderbird-pl-flowed-pdf.eml")
    assert "fakturę korygującą do zamówienia 5530. Proszę o potwierdzenie" in parsed.text
    (pdf,) = parsed.attachments
    assert pdf.filename == "Faktura korygująca FK 12-2026.pdf"
    assert pdf.data.startswith(b"%PDF-1.4")


def test_corpus_mailing_lists() -> None:
    post = corpus("mailman3-list-post.eml")
    assert (post.list_mail, post.auto_submitted) == (True, False)
    assert post.text.endswith("To unsubscribe send an email to users-leave@lists.tiski.example")
    digest = corpus("cpython-msg_02-mailman-digest.eml")
    assert [mail.subject for mail in digest.forwarded][:2] == ["[Ppp] testing #1", ""]
    assert len(digest.forwarded) == 5


def test_corpus_dsns() -> None:
    postfix = corpus("postfix-dsn-full-original.eml").bounce
    assert postfix is not None
    assert (postfix.status, postfix.permanent) == ("5.2.2", True)
    assert postfix.original_message_id == "<tiski.out.10533.a7f3@kauppa.example>"
    assert postfix.recipients == ("matti.meikalainen@posti.example",)

    exim = corpus("exim-dsn-delayed.eml").bounce
    assert exim is not None
    assert (exim.status, exim.permanent) == ("4.0.0", False)
    assert exim.diagnostic == "451 4.7.1 Greylisting in action, please come back later"

    gmail = corpus("gmail-dsn-failure.eml")
    assert gmail.bounce is not None
    assert gmail.bounce.recipients == ("ei.ole.olemassa@gmail.example",)
    assert gmail.bounce.diagnostic.startswith("550-5.1.1 The email account")

    exchange = corpus("exchange-online-ndr.eml").bounce
    assert exchange is not None
    assert exchange.original_message_id == "<tiski.out.5541.c0ffee@sklep.example>"
    assert exchange.status == "5.1.10"

    sims = corpus("cpython-msg_16-dsn-via-mailing-list.eml").bounce
    assert sims is not None
    assert sims.recipients == ("jangel1@cougar.noc.ucla.edu",)
    assert sims.diagnostic == "recipient reached disk quota"

    amavis = corpus("cpython-msg_43-amavis-dsn.eml").bounce
    assert amavis is not None
    assert len(amavis.recipients) == 11
    assert amavis.original_message_id == "<edab.7804f5cb8070@python.org>"


def test_corpus_normal_mails_are_no_bounces() -> None:
    bounces = {path.name for path in CORPUS_FILES if parse_mail(path.read_bytes()).bounce}
    assert bounces == {
        "cpython-msg_16-dsn-via-mailing-list.eml",
        "cpython-msg_43-amavis-dsn.eml",
        "exchange-online-ndr.eml",
        "exim-dsn-delayed.eml",
        "gmail-dsn-failure.eml",
        "postfix-dsn-full-original.eml",
    }


def test_corpus_out_of_office() -> None:
    parsed = corpus("exchange-out-of-office-fi.eml")
    assert parsed.auto_submitted is True
    assert parsed.bounce is None
    assert parsed.subject == "Automaattinen vastaus: Tilauksesi 10540 on lähetetty"


def test_corpus_winmail_dat() -> None:
    (csv,) = corpus("outlook-winmail-dat.eml").attachments
    assert csv.filename == "Tilausrivit.csv"
    assert csv.data.decode("cp1252") == "tuote;määrä\nKahvikuppi;12\n"


def test_corpus_meeting_request() -> None:
    parsed = corpus("outlook-meeting-request-pl.eml")
    assert parsed.text == "Porozmawiajmy o reklamacji przez Teams."
    (invite,) = parsed.attachments
    assert invite.content_type == "text/calendar"
    assert "SUMMARY;LANGUAGE=pl-PL:Omówienie reklamacji 5521" in invite.data.decode()


def test_corpus_forwards() -> None:
    outlook = corpus("outlook-com-forward-attachment-fi.eml")
    (payment,) = outlook.forwarded
    assert payment.from_ == "Järjestelmä <noreply@verkkopankki.example>"
    assert payment.text == "Maksu 49,90 € saajalle Kauppa Oy on vastaanotettu.\nViite: 10550"
    assert outlook.attachments == ()
    groupwise = corpus("cpython-msg_46-groupwise-forward.eml")
    assert [mail.subject for mail in groupwise.forwarded] == ["GroupwiseForwardingTest"]


def test_corpus_charsets() -> None:
    assert corpus("outlook-express-mislabelled-1252.eml").text == (
        "Hei!\n\nPalautan ”Talvitakki” – koko on väärä. Hinta oli 89 €.\n\nMervi"
    )
    japanese = corpus("japanese-iso-2022-jp.eml")
    assert (japanese.subject, japanese.from_name) == ("注文について", "山田 太郎")
    assert "注文番号 2201 の配送状況" in japanese.text
    chinese = corpus("foxmail-gb2312.eml")
    assert chinese.text == "您好，我的订单 3307 还没有发货。朱镕基"
    assert chinese.from_name == "王小明"
    russian = corpus("the-bat-koi8-r.eml")
    assert russian.subject == "Заказ 7788"
    assert russian.reply_to == (("Ivan Petrov", "ivan.petrov@work.example.ru"),)
    assert "когда будет доставлен заказ 7788" in russian.text
    samsung = corpus("samsung-email-android-pl.eml")
    assert samsung.subject == "Gdzie jest moja przesyłka?"
    assert samsung.from_name == "Tomasz Zieliński"
