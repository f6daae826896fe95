"""tiski.mail.mime: the fast splitter builds exactly the stdlib feedparser's tree, or none.

Differential tests: every mail goes through both, and whenever ``split_message`` returns
a tree it must equal the feedparser's in every attribute, and ``parse_mail`` must give
the same result whichever built the tree. Other tests make sure the common shapes of
mail do take the fast path, so the speed-up cannot quietly turn into a fallback.
"""

from __future__ import annotations

import email
import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.policy import SMTP
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from tests.mail.test_parse_fuzz import FRAGMENTS, mutate, mutation
from tiski.mail import parse
from tiski.mail.charsets import children
from tiski.mail.mime import MAX_DEPTH, split_message
from tiski.mail.parse import ParsedMail

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.eml"))
# Corpus mails the feedparser reads: delivery reports (message/delivery-status) and
# Outlook Express's nested multipart reusing its parent's boundary.
CORPUS_FALLBACKS = {
    "cpython-msg_15-outlook-express-mac.eml",
    "cpython-msg_16-dsn-via-mailing-list.eml",
    "cpython-msg_43-amavis-dsn.eml",
    "exchange-online-ndr.eml",
    "exim-dsn-delayed.eml",
    "gmail-dsn-failure.eml",
    "postfix-dsn-full-original.eml",
}
DIFFERENTIAL = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- comparing ---------------------------------------------------------------------------


def reference(data: bytes) -> Message:
    return email.message_from_bytes(data, policy=policy.compat32)


def assert_same_tree(fast: Message, slow: Message, where: str = "root") -> None:
    """Every attribute the feedparser sets, compared; the children recursively."""
    fast_attributes, slow_attributes = dict(vars(fast)), dict(vars(slow))
    assert fast_attributes.keys() == slow_attributes.keys(), where
    # The fast path only takes mail without defects, so the feedparser found none either.
    assert fast_attributes.pop("defects") == [], where
    assert slow_attributes.pop("defects") == [], where
    assert fast_attributes.pop("policy") is slow_attributes.pop("policy"), where
    fast_payload, slow_payload = fast_attributes.pop("_payload"), slow_attributes.pop("_payload")
    assert fast_attributes == slow_attributes, where
    assert list(fast.raw_items()) == list(slow.raw_items()), where
    assert fast.get_default_type() == slow.get_default_type(), where
    assert fast.is_multipart() == slow.is_multipart(), where
    if isinstance(slow_payload, list):
        assert isinstance(fast_payload, list), where
        assert len(fast_payload) == len(slow_payload), where
        for number, (fast_child, slow_child) in enumerate(
            zip(fast_payload, slow_payload, strict=True)
        ):
            assert_same_tree(fast_child, slow_child, f"{where}/{number}")
    else:
        assert type(fast_payload) is type(slow_payload), where
        assert fast_payload == slow_payload, where


def parsed_by(data: bytes, *, fast: bool) -> ParsedMail | str:
    """parse._parse's result, or its exception, with or without the fast splitter."""
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(parse, "split_message", lambda data: None)
        try:
            return parse._parse(data)
        except Exception as error:  # compared, whatever it is
            return f"{type(error).__name__}: {error}"


def check(data: bytes) -> Message | None:
    """Assert both parsers agree on ``data``; the fast path's tree, if it took one."""
    fast = split_message(data)
    if fast is not None:
        assert_same_tree(fast, reference(data))
    assert parsed_by(data, fast=True) == parsed_by(data, fast=False)
    return fast


def as_parsed(source: bytes) -> bytes:
    """The bytes parse_mail hands to the splitter."""
    return source.removeprefix(b"\xef\xbb\xbf").lstrip()


# --- real and generated mail -------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_corpus(path: Path) -> None:
    tree = check(as_parsed(path.read_bytes()))
    assert (tree is None) == (path.name in CORPUS_FALLBACKS)


@pytest.fixture(scope="module")
def bench_mails(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """The mails bench/mail.py measures ingest with."""
    sys.path.insert(0, str(ROOT / "bench"))  # bench/mail.py imports its neighbours
    try:
        spec = importlib.util.spec_from_file_location("bench_mail", ROOT / "bench" / "mail.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    folder = tmp_path_factory.mktemp("bench-mail")
    module.generate(folder, 80)
    return [path.read_bytes() for path in sorted(folder.iterdir())]


def test_bench_mails_take_the_fast_path(bench_mails: list[bytes]) -> None:
    assert any(b"application/pdf" in data for data in bench_mails)
    for data in bench_mails:
        assert check(as_parsed(data)) is not None


def common_shapes() -> Iterator[tuple[str, EmailMessage]]:
    """The shapes most mail has, as the stdlib writes them."""
    plain = EmailMessage()
    plain["From"] = "Asiakas <asiakas@example.fi>"
    plain["Subject"] = "Tilaus"
    plain.set_content("Hyvää päivää,\n\nmissä tilaukseni on?\n")
    yield "text", plain

    reply = EmailMessage()
    reply["From"] = "Asiakas <asiakas@example.fi>"
    reply["Subject"] = "Re: Tilaus"
    reply["In-Reply-To"] = "<1@shop.example>"
    quoted = "\n".join(f"> rivi {number}" for number in range(30))
    reply.set_content(f"Kiitos!\n\nti 3.3.2026 klo 10.00 Kauppa kirjoitti:\n{quoted}\n")
    reply.add_alternative(f"<p>Kiitos!</p><blockquote>{quoted}</blockquote>", subtype="html")
    yield "alternative reply", reply

    mixed = EmailMessage()
    mixed["From"] = "asiakas@example.fi"
    mixed.set_content("Kuitti liitteenä.")
    mixed.add_alternative("<p>Kuitti liitteenä.</p>", subtype="html")
    mixed.add_attachment(bytes(range(256)) * 40, maintype="application", subtype="pdf",
                         filename="kuitti.pdf")  # fmt: skip
    yield "mixed with base64", mixed

    related = EmailMessage()
    related["From"] = "asiakas@example.fi"
    related.set_content("Kuva alla")
    related.add_alternative('<p>Kuva:</p><img src="cid:kuva@example.fi">', subtype="html")
    html = related.get_body(("html",))
    assert html is not None
    html.add_related(b"\x89PNG\r\n\x1a\n" * 50, maintype="image", subtype="png",
                     cid="<kuva@example.fi>")  # fmt: skip
    yield "related inline image", related

    forward = EmailMessage()
    forward["From"] = "asiakas@example.fi"
    forward["Subject"] = "Fwd: Tilaus"
    forward.set_content("Katso alla.")
    forward.add_attachment(mixed)
    yield "forwarded message/rfc822", forward


SHAPES = list(common_shapes())


@pytest.mark.parametrize("line_ending", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize("message", [m for _, m in SHAPES], ids=[name for name, _ in SHAPES])
def test_common_shapes_take_the_fast_path(message: EmailMessage, line_ending: str) -> None:
    data = message.as_bytes(policy=SMTP.clone(linesep=line_ending))
    assert check(data) is not None


def test_forwarded_mail_is_one_message_inside_the_part() -> None:
    tree = check(dict(SHAPES)["forwarded message/rfc822"].as_bytes(policy=SMTP))
    assert tree is not None
    forwarded = children(tree)[1]
    assert forwarded.get_content_type() == "message/rfc822"
    (inner,) = children(forwarded)
    assert inner.get_content_type() == "multipart/mixed"


# --- what the fast path leaves to the feedparser -----------------------------------------


def multipart(body: bytes, content_type: bytes = b'multipart/mixed; boundary="b"') -> bytes:
    return b"From: a@example.com\nContent-Type: " + content_type + b"\n\n" + body


FALLBACKS = {
    "no boundary parameter": multipart(b"--b\n\nx\n--b--\n", b"multipart/mixed"),
    "boundary never occurs": multipart(b"just text\n"),
    "no close delimiter": multipart(b"--b\n\nx\n"),
    "close delimiter first": multipart(b"--b--\n\nx\n"),
    "repeated delimiter lines": multipart(b"--b\n--b\n\nx\n--b--\n"),
    "repeated delimiter lines that read as a field": multipart(
        b"--x:y\n--x:y\n\nx\n--x:y--\n", b'multipart/mixed; boundary="x:y"'
    ),
    "nested part reuses the boundary": multipart(
        b"--b\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\nx\n--b--\n--b--\n"
    ),
    "inner close delimiter missing": multipart(
        b"--b\nContent-Type: multipart/alternative; boundary=c\n\n--c\n\nx\n--b--\n"
    ),
    "boundary folded across lines": multipart(
        b"--a\n b\n\nx\n--a\n b--\n", b'multipart/mixed; boundary="a\n b"'
    ),
    "base64 multipart": b"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n"
    b"Content-Transfer-Encoding: base64\n\n--b\n\nx\n--b--\n",
    "delivery status": multipart(
        b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
        b"Final-Recipient: rfc822; a@b.c\n--b--\n",
        b"multipart/report; report-type=delivery-status; boundary=b",
    ),
    "bare CR": b"From: a@example.com\n\nline\rline\n",
    "no blank line after the header": b"From: a@example.com\nnot a header\n",
    "continuation first": b" folded\nFrom: a@example.com\n\nx\n",
    "misplaced envelope line": b"From: a@example.com\nFrom x Tue\nSubject: s\n\nx\n",
    "empty field name": b"From: a@example.com\n: nameless\n\nx\n",
}


@pytest.mark.parametrize("data", FALLBACKS.values(), ids=FALLBACKS.keys())
def test_unsure_shapes_fall_back(data: bytes) -> None:
    assert split_message(data) is None
    check(data)


def nested(depth: int) -> bytes:
    part = b"Content-Type: text/plain\n\nDeep text\n"
    for level in range(depth):
        boundary = b"b%d" % level
        part = (
            b"Content-Type: multipart/mixed; boundary=" + boundary + b"\n\n--" + boundary
            + b"\n" + part + b"\n--" + boundary + b"--\n"
        )  # fmt: skip
    return b"From: deep@example.com\n" + part


def test_depth_beyond_the_limit_falls_back() -> None:
    assert check(nested(MAX_DEPTH)) is not None
    assert split_message(nested(MAX_DEPTH + 1)) is None
    check(nested(MAX_DEPTH + 1))


def test_envelope_line_epilogue_and_digest_defaults() -> None:
    data = (
        b"From someone@example.com Tue Mar  3 10:00:00 2026\r\n"
        b"From: a@example.com\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n"
        b"preamble\r\n\r\n--d  \r\n\r\nSubject: first\r\n\r\nbody\r\n--d\t\r\n"
        b"Content-Type: text/plain\r\n\r\nplain\r\n\r\n--d-- \r\n\r\nepilogue\r\n"
    )
    tree = check(data)
    assert tree is not None
    assert tree.get_unixfrom() == "From someone@example.com Tue Mar  3 10:00:00 2026"
    assert (tree.preamble, tree.epilogue) == ("preamble\r\n", "\r\nepilogue\r\n")
    first, second = children(tree)
    assert first.get_content_type() == "message/rfc822"
    assert second.get_payload() == "plain\r\n"


# --- generated structures ----------------------------------------------------------------

CLEAN_HEADERS = [
    ["Content-Type: text/plain; charset=utf-8"],
    ["Content-Type: text/html;", ' charset="iso-8859-2"'],
    ["Content-Type: image/png; name=kuva.png", "Content-ID: <kuva@x>"],
    ["Content-Type: application/pdf", "Content-Disposition: attachment;", "\tfilename=a.pdf"],
    ["Content-Transfer-Encoding: base64"],
    ["Content-Transfer-Encoding: quoted-printable"],
    ["Subject: =?utf-8?q?p=C3=A4iv=C3=A4=C3=A4?=", "X-Empty:", "X-Blank:   "],
    ["X-Raw: päivää", "X-Folded: one", "  two", "\tthree"],
    ["Content-Type: message/rfc822"],
    ["content-type: TEXT/PLAIN"],
]
CLEAN_PART_HEADERS = [
    group
    for group in CLEAN_HEADERS
    if not any(line.lower().startswith("content-") for line in group)
]
CHAOS_HEADERS = [
    ["From x@example.com"],
    [": nameless"],
    [" leading continuation"],
    ["no colon here"],
    ["Content-Type: multipart/mixed"],
    ["Content-Type: multipart/alternative; boundary=b"],
    ["Content-Type: message/delivery-status"],
    ["Content-Transfer-Encoding: base64"],
    ["X-Bare: a\rb"],
]
# Boundaries in well-formed mail are =_0, =_1...; a line may hold one, only not at its start.
CLEAN_LINE = st.text(st.sampled_from("abcäö XY:=.\t<>\"'/;"), max_size=30) | st.sampled_from(
    ["x--=_0", "a --=_1--", " --=_0", "--", "-- =_0", "---=_0"]
)
CHAOS_LINE = CLEAN_LINE | st.sampled_from(
    [
        "--b",
        "--b--",
        "--b  ",
        "--b--\t",
        "--bb",
        "--b x",
        "x--b",
        "--=_1",
        "--=_1--",
        "From x",
        "\r",
    ]
)
BOUNDARIES = ["b", "bb", "b--", "=_1", "a b", "x:y", "b "]
SUBTYPES = ["mixed", "alternative", "related", "digest", "signed", "report"]


@dataclass
class Leaf:
    headers: list[str]
    blank: bool
    body: list[str]


@dataclass
class Multipart:
    subtype: str
    headers: list[str]
    parts: list[Node]
    preamble: list[str] | None
    epilogue: list[str] | None
    whitespace: str
    boundary: str = ""
    quoted: bool = True
    close: bool = True
    doubled: bool = False


@dataclass
class Wrapped:
    """A message/rfc822 part and the mail inside it."""

    headers: list[str]
    inner: Node


Node = Leaf | Multipart | Wrapped


@dataclass
class Shape:
    tree: Node
    line_endings: list[str] = field(default_factory=list)
    final_newline: bool = True
    envelope: bool = False


def headers(draw: DrawFn, choices: list[list[str]]) -> list[str]:
    return [
        line for group in draw(st.lists(st.sampled_from(choices), max_size=3)) for line in group
    ]


def read_as_mail(lines: list[str], in_digest: bool) -> bool:
    """Whether the feedparser reads a leaf with these header lines as a message/* part."""
    types = [line.lower() for line in lines if line.lower().startswith("content-type:")]
    return "message/" in types[0] if types else in_digest


@st.composite
def nodes(draw: DrawFn, clean: bool, depth: int = 0, in_digest: bool = False) -> Node:
    """A MIME tree; ``clean`` ones are well-formed, with unique boundaries."""
    kind = draw(st.sampled_from(["leaf", "multipart", "wrapped"] if depth < 4 else ["leaf"]))
    line = CLEAN_LINE if clean else CHAOS_LINE
    leaf_headers = CLEAN_HEADERS if clean else CLEAN_HEADERS + CHAOS_HEADERS
    if kind == "wrapped":
        return Wrapped(headers(draw, leaf_headers), draw(nodes(clean, depth + 1)))
    if kind == "multipart":
        lines = st.none() | st.lists(line, max_size=3)
        subtype = draw(st.sampled_from(SUBTYPES))
        children = nodes(clean, depth + 1, in_digest=subtype == "digest")
        return Multipart(
            subtype=subtype,
            # A Content-Type before the multipart's own would make it something else.
            headers=headers(draw, CLEAN_PART_HEADERS if clean else leaf_headers),
            parts=draw(st.lists(children, min_size=1, max_size=3)),
            preamble=draw(lines),
            epilogue=draw(lines),
            whitespace=draw(st.sampled_from(["", " ", "\t", " \t "])),
            boundary="" if clean else draw(st.sampled_from(BOUNDARIES)),
            quoted=draw(st.booleans()),
            close=clean or draw(st.booleans()),
            doubled=not clean and draw(st.booleans()),
        )
    fields = headers(draw, leaf_headers)
    body = draw(st.lists(line, max_size=5))
    if clean and read_as_mail(fields, in_digest):
        body = ["", *body]  # a mail without header fields, as it has to start
    return Leaf(fields, blank=clean or draw(st.booleans()), body=body)


def render(node: Node, lines: list[str], boundaries: Iterator[str]) -> None:
    if isinstance(node, Leaf):
        lines.extend(node.headers)
        if node.blank or node.body:
            lines.append("")
        lines.extend(node.body)
    elif isinstance(node, Wrapped):
        lines.extend([*node.headers, "Content-Type: message/rfc822", ""])
        render(node.inner, lines, boundaries)
    else:
        boundary = node.boundary or next(boundaries)
        value = f'"{boundary}"' if node.quoted or " " in boundary else boundary
        lines.extend(
            [*node.headers, f"Content-Type: multipart/{node.subtype};", f" boundary={value}"]
        )
        lines.append("")
        lines.extend(node.preamble or [])
        for part in node.parts:
            lines.extend([f"--{boundary}{node.whitespace}"] * (2 if node.doubled else 1))
            render(part, lines, boundaries)
        if node.close:
            lines.append(f"--{boundary}--{node.whitespace}")
        if node.epilogue is not None:
            lines.extend(node.epilogue)


@st.composite
def shapes(draw: DrawFn, clean: bool) -> Shape:
    tree = draw(nodes(clean))
    endings = st.sampled_from(["\n", "\r\n"] if clean else ["\n", "\r\n", "\r"])
    return Shape(
        tree=tree,
        # One ending per line, mostly the same one: mail is LF or CRLF, a few mix them.
        line_endings=draw(st.lists(endings, min_size=1, max_size=3)),
        final_newline=draw(st.booleans()),
        envelope=draw(st.booleans()),
    )


def to_bytes(shape: Shape) -> bytes:
    lines = ["From: a@example.com"]
    boundaries = (f"=_{number}" for number in range(1000))
    render(shape.tree, lines, boundaries)
    if shape.envelope:
        lines.insert(0, "From someone@example.com Tue Mar  3 10:00:00 2026")
    endings = shape.line_endings
    text = "".join(line + endings[number % len(endings)] for number, line in enumerate(lines))
    if not shape.final_newline:
        text = text.rstrip("\r\n")
    return text.encode()


@DIFFERENTIAL
@given(shapes(clean=True))
def test_well_formed_structures_take_the_fast_path(shape: Shape) -> None:
    assert check(to_bytes(shape)) is not None


@DIFFERENTIAL
@given(shapes(clean=False))
def test_damaged_structures_agree(shape: Shape) -> None:
    check(to_bytes(shape))


@DIFFERENTIAL
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_agree(data: bytes) -> None:
    check(data)


@DIFFERENTIAL
@given(st.lists(st.sampled_from([*FRAGMENTS, b"\n", b"--b\n", b"--b--\n", b"\n\n"]), max_size=40))
def test_mail_shaped_fragments_agree(pieces: list[bytes]) -> None:
    check(
        b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n" + b"".join(pieces)
    )


@DIFFERENTIAL
@given(st.sampled_from(CORPUS), st.lists(mutation, min_size=1, max_size=8))
def test_mutated_corpus_mails_agree(path: Path, operations: list[tuple[str, float, bytes]]) -> None:
    check(as_parsed(mutate(path.read_bytes(), operations)))
