"""Turning the bytes and header fields of a mail into text, whatever its sender's client did.

Mail clients label charsets wrongly, invent charset names, put raw 8-bit bytes into
headers and break RFC 2047 encoded words. Everything here is lenient and never raises:
the worst outcome is a replacement character where nothing fits.
"""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Iterable
from email.message import Message

# The longest header value we look at: real ones stay far below this, and every
# regex below then runs on bounded input.
MAX_HEADER_CHARS = 64 * 1024

# Names clients really send that Python does not know, or knows as a narrower codec
# than the one the sender's software used (WHATWG's encoding table maps them the same
# way: Latin-1 labels are windows-1252, GB2312 is GBK, and so on).
_ALIASES: dict[str, tuple[str, ...]] = {
    "us-ascii": ("cp1252", "latin-1"),
    "ascii": ("cp1252", "latin-1"),
    "ansi_x3.4-1968": ("cp1252", "latin-1"),
    "iso-8859-1": ("cp1252", "latin-1"),
    "latin1": ("cp1252", "latin-1"),
    "latin-1": ("cp1252", "latin-1"),
    "l1": ("cp1252", "latin-1"),
    "iso-8859-9": ("cp1254", "iso8859_9"),
    "latin5": ("cp1254", "iso8859_9"),
    "iso-8859-11": ("cp874",),
    "tis-620": ("cp874",),
    "utf8": ("utf-8",),
    "utf-8": ("utf-8",),
    "unicode-1-1-utf-8": ("utf-8",),
    "x-unicode20utf8": ("utf-8",),
    "unicode": ("utf-16",),
    "ucs-2": ("utf-16",),
    "unicode-1-1-utf-7": ("utf-7",),
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "x-gbk": ("gb18030",),
    "cp936": ("gb18030",),
    "euc-cn": ("gb18030",),
    "csgb2312": ("gb18030",),
    "gb_2312-80": ("gb18030",),
    "hz-gb-2312": ("hz",),
    "big5": ("big5hkscs", "cp950"),
    "x-x-big5": ("big5hkscs", "cp950"),
    "cn-big5": ("big5hkscs", "cp950"),
    "big5-hkscs": ("big5hkscs", "cp950"),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "shift-jis": ("cp932", "shift_jis_2004"),
    "sjis": ("cp932", "shift_jis_2004"),
    "x-sjis": ("cp932", "shift_jis_2004"),
    "ms_kanji": ("cp932", "shift_jis_2004"),
    "csshiftjis": ("cp932", "shift_jis_2004"),
    "windows-31j": ("cp932",),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
    "x-euc-jp": ("euc_jp", "euc_jis_2004"),
    "iso-2022-jp": ("iso2022_jp_2", "iso2022_jp_ext", "iso2022_jp_3"),
    "csiso2022jp": ("iso2022_jp_2", "iso2022_jp_ext"),
    "ks_c_5601-1987": ("cp949",),
    "ks_c_5601": ("cp949",),
    "euc-kr": ("cp949",),
    "korean": ("cp949",),
    "windows-949": ("cp949",),
    "koi8r": ("koi8_r",),
    "koi8u": ("koi8_u",),
    "koi8-ru": ("koi8_u",),
    "macintosh": ("mac_roman",),
    "x-mac-roman": ("mac_roman",),
    "x-mac-ce": ("mac_latin2",),
    "x-mac-cyrillic": ("mac_cyrillic",),
}
# Labels that say "I don't know": go straight to guessing.
_UNKNOWN = {
    "", "x-unknown", "unknown", "unknown-8bit", "x-user-defined", "default", "charset",
    "8bit", "7bit", "binary", "none", "null", "text", "plain",
}  # fmt: skip
# Codecs Python has that must never see mail: they don't decode text or act on escapes.
_REFUSED = {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "charmap"}
_WINDOWS = re.compile(r"^(?:x-)?(?:cp|win|windows)[-_ ]?(12[5][0-8])$")
_ISO8859 = re.compile(r"^iso[-_ ]?8859[-_ ]?(\d{1,2})(?:[-:].*)?$")
# Codec names as codecs.lookup() spells them; cp932/936/949/950 are the multi-byte ones.
_SINGLE_BYTE = re.compile(
    r"^(?:ascii|iso8859-\d+|cp(?!93[26]|949|950)\d{3,4}|koi8-|mac-|tis-620|kz1048)"
)
# ISO-2022-JP is 7-bit: the escape sequences are how it is told apart from ASCII.
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b$(D", b"\x1b(I")
# Encodings whose ASCII-only bytes are not ASCII text (or not text at all).
_NOT_ASCII_COMPATIBLE = ("iso2022", "utf-7", "hz", "utf-16", "utf-32")


def charset_candidates(declared: str | None) -> list[str]:
    """Python codec names to try, most likely first, for a charset label from a mail."""
    if declared is None:
        return []
    label = re.sub(r"[^a-z0-9_.:-]", "", declared.strip().strip("\"'").lower())
    if label in _UNKNOWN:
        return []
    names: list[str] = []
    if label in _ALIASES:
        names.extend(_ALIASES[label])
    elif match := _WINDOWS.match(label):
        names.append(f"cp{match.group(1)}")
    elif match := _ISO8859.match(label):
        number = int(match.group(1))
        names.extend(_ALIASES.get(f"iso-8859-{number}", (f"iso8859_{number}",)))
    names.append(label)
    usable: list[str] = []
    for name in names:
        try:
            info = codecs.lookup(name)
        except (LookupError, ValueError):
            continue
        if info.name in _REFUSED or not getattr(info, "_is_text_encoding", True):
            continue
        if info.name not in usable:
            usable.append(info.name)
    return usable


def _looks_iso2022(data: bytes) -> bool:
    return any(escape in data for escape in _ISO2022_ESCAPES)


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError, ValueError, TypeError):
        return None


def _replaced(data: bytes, codec: str) -> tuple[str, int]:
    """Decode with replacement characters; also say how many were needed."""
    try:
        text = data.decode(codec, errors="replace")
    except (LookupError, ValueError, TypeError):
        return "", len(data)
    return text, text.count("\ufffd")


def _mostly(data: bytes, codec: str) -> str | None:
    """Text in a multi-byte ``codec`` with a few broken sequences (a cut-off mail, a stray
    byte), which reads better so than wholly as windows-1252."""
    text, bad = _replaced(data, codec)
    good = len(text) - len(text.encode("ascii", "ignore")) - bad  # decoded non-ASCII
    return text if good > 2 * bad else None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from ``data``, trusting the declared charset only as far as the bytes agree."""
    if not data:
        return ""
    candidates = charset_candidates(declared)
    special = bool(candidates) and candidates[0].startswith(_NOT_ASCII_COMPATIBLE)
    if data.isascii() and not special:
        if _looks_iso2022(data) and (text := _try(data, "iso2022_jp_2")) is not None:
            return text
        return data.decode("ascii")
    # A legacy label (Latin-1, us-ascii, windows-125x, Shift_JIS, GB2312...) on valid
    # UTF-8 is a client or web form that forgot to update the label; the reverse, real
    # legacy text whose non-ASCII bytes happen to form valid UTF-8, practically never
    # happens with human text.
    if candidates and not special and (text := _try(data, "utf-8")) is not None:
        return text.removeprefix("\ufeff")
    for codec in [*candidates, "utf-8"]:
        if (text := _try(data, codec)) is not None:
            return text.removeprefix("\ufeff")
    if _looks_iso2022(data) and (text := _try(data, "iso2022_jp_2")) is not None:
        return text
    multi_byte = [name for name in candidates[:1] if not _SINGLE_BYTE.match(name)]
    for codec in dict.fromkeys([*multi_byte, "utf-8"]):
        if (text := _mostly(data, codec)) is not None:
            return text.removeprefix("\ufeff")
    if (text := _try(data, "cp1252")) is not None:
        return text
    return _replaced(data, "cp1252")[0]


# --- header fields ---------------------------------------------------------------------

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TEXT_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
# How the parser stores a raw 8-bit byte: surrogate-escaped.
_ESCAPED_BYTE = re.compile(r"[\udc80-\udcff]")


def _has_text_controls(value: str) -> bool:
    """Whether ``value`` holds a character clean_text removes or replaces."""
    # A scan with a character-class regex costs several times more than this: UTF-8
    # encoding fails on a lone surrogate and leaves control characters as the same
    # single bytes, which bytes.translate drops.
    try:
        encoded = value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return len(encoded.translate(None, _TEXT_CONTROL_BYTES)) != len(encoded)


def clean_text(value: str) -> str:
    """Body text safe to store: Unix newlines, no NULs or other control characters."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _has_text_controls(value):
        value = _SURROGATE.sub("\ufffd", _TEXT_CONTROL.sub("", value))
    return value.removeprefix("\ufeff")


def clean_line(value: str) -> str:
    """One line of header text: control characters become spaces, whitespace collapses."""
    return " ".join(_SURROGATE.sub("\ufffd", _CONTROL.sub(" ", value)).split())


def raw_header_text(value: object) -> str:
    """A header value as the parser stored it (8-bit bytes surrogate-escaped) as text.

    Raw 8-bit headers are UTF-8 from modern clients and some 8-bit charset from old
    ones; with no label to go by, :func:`decode_bytes` tries UTF-8, then windows-1252.
    """
    text = str(value)[:MAX_HEADER_CHARS]
    if not text.isascii() and _ESCAPED_BYTE.search(text):
        text = decode_bytes(text.encode("utf-8", "surrogateescape"))
    if "\n" in text or "\r" in text:
        text = _FOLD.sub("", text).replace("\r", "")
    # No header field may hold control characters; NULs would not even fit the database.
    # Printable text has none, and most header values are.
    return text if text.isprintable() else _CONTROL.sub(" ", text)


def content_type(part: Message) -> str:
    """The part's lowercased type; text/plain, as RFC 2045 says, when it can't be read."""
    try:
        return part.get_content_type()
    except Exception:  # a header the standard library can't parse
        return "text/plain"


class RawHeaders:
    """The header fields of one message part, read from the raw source, not re-parsed.

    ``policy.default`` decodes headers itself but turns raw 8-bit bytes into U+FFFD and
    gives up on unknown charsets; reading the raw values keeps that decision here.
    """

    def __init__(self, part: Message) -> None:
        self._items: list[tuple[str, str]] = []
        try:
            items = list(part.raw_items())
        except Exception:  # a part without usable headers has none
            items = []
        for name, value in items:
            self._items.append((str(name).strip().lower(), str(value)))

    def __bool__(self) -> bool:
        return bool(self._items)

    def get(self, name: str) -> str | None:
        """The first field called ``name`` as unfolded text, encoded words left as they are."""
        for key, value in self._items:
            if key == name:
                return raw_header_text(value)
        return None

    def get_all(self, name: str) -> list[str]:
        return [raw_header_text(value) for key, value in self._items if key == name]

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self._items)


# The stdlib's get_payload() without decode=True decodes 8-bit text with the declared
# charset and raises on some labels (a NUL in the name is a ValueError), so every
# payload is read through these.


def children(part: Message) -> list[Message]:
    """The parts inside a multipart or message/* part; [] for a leaf."""
    if not part.is_multipart():
        return []
    payload = part.get_payload()
    return (
        [child for child in payload if isinstance(child, Message)]
        if isinstance(payload, list)
        else []
    )


def payload_bytes(part: Message) -> bytes:
    """A leaf's content with its transfer encoding undone (leniently); b"" for a multipart."""
    if part.is_multipart():
        return b""
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a transfer encoding the stdlib chokes on: nothing to recover
        return b""
    return data if isinstance(data, bytes) else b""


def payload_text(part: Message) -> str | None:
    """A leaf's content as the parser stored it (transfer encoding not undone)."""
    if part.is_multipart():
        return None
    try:
        payload = part.get_payload()
    except (ValueError, LookupError, UnicodeError):
        return None
    return payload if isinstance(payload, str) else None


# --- RFC 2047 encoded words ------------------------------------------------------------

# Lenient on purpose: spaces inside the encoded text and a missing "?=" at the very end
# are common breakage that Thunderbird and Gmail still decode.
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,80})\?([bBqQ])\?(.*?)(?:\?=|$)")
_BASE64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def _word_bytes(encoding: str, text: str) -> bytes | None:
    if encoding in "qQ":
        raw = text.encode("utf-8", "surrogateescape").replace(b"_", b" ")
        return _QP_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw)
    decoded = base64_lenient(text.encode("ascii", "replace"))
    return decoded if decoded or not text else None  # hopeless: leave the word as written


def base64_lenient(data: bytes) -> bytes:
    """Base64 with junk characters skipped and padding repaired; b"" if hopeless."""
    cleaned = _BASE64_JUNK.sub(b"", data.split(b"=", 1)[0])
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return binascii.a2b_base64(cleaned)
    except (binascii.Error, ValueError):
        return b""


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words in ``value``; anything undecodable stays as written.

    Adjacent words in one charset are joined before decoding, because encoders split
    multi-byte characters across words.
    """
    if "=?" not in value:
        return value
    pieces: list[str | tuple[str, bytes]] = []  # literal text, or (charset, raw bytes)
    position = 0
    for match in _ENCODED_WORD.finditer(value):
        literal = value[position : match.start()]
        position = match.end()
        raw = _word_bytes(match.group(2), match.group(3))
        if raw is None:
            pieces.append(literal + match.group(0))
            continue
        after_word = bool(pieces) and not isinstance(pieces[-1], str)
        if literal and not (literal.isspace() and after_word):
            pieces.append(literal)
        charset = match.group(1).split("*", 1)[0]
        last = pieces[-1] if pieces else None
        if isinstance(last, tuple) and last[0].lower() == charset.lower():
            pieces[-1] = (last[0], last[1] + raw)
        else:
            pieces.append((charset, raw))
    pieces.append(value[position:])
    return "".join(
        piece if isinstance(piece, str) else decode_bytes(piece[1], piece[0]) for piece in pieces
    )


# --- parameters (Content-Type, Content-Disposition) -------------------------------------

_PARAM_CONTINUATION = re.compile(r"^([^*]+)\*(\d{1,3})(\*?)$")
_PCT = re.compile(rb"%([0-9A-Fa-f]{2})")


def _split_outside_quotes(value: str, separators: str) -> list[str]:
    if len(separators) == 1 and separators not in '"\\' and "\\" not in value:
        # Without escapes a separator is quoted exactly when an odd number of quotes
        # precede it: a few C calls instead of a Python loop over each character of
        # every Content-Type and Content-Disposition.
        return _split_unescaped(value, separators)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
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


def _split_unescaped(value: str, separator: str) -> list[str]:
    pieces = value.split(separator)
    if '"' not in value:
        return pieces
    parts: list[str] = []
    quoted: list[str] = []  # pieces since a separator inside quotes
    quotes = 0
    for piece in pieces:
        quotes += piece.count('"')
        if quotes % 2:
            quoted.append(piece)
        elif quoted:
            parts.append(separator.join([*quoted, piece]))
            quoted = []
        else:
            parts.append(piece)
    if quoted:
        parts.append(separator.join(quoted))
    return parts


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        # Only \" and \\ are unescaped: Windows clients send paths with bare backslashes.
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def _rfc2231(sections: list[tuple[int, bool, str]]) -> str:
    sections.sort(key=lambda section: section[0])
    charset: str | None = None
    data = b""
    for number, encoded, text in sections:
        if encoded:
            if number == 0 and text.count("'") >= 2:
                charset, _language, text = text.split("'", 2)
            raw = text.encode("utf-8", "surrogateescape")
            data += _PCT.sub(lambda match: bytes([int(match.group(1), 16)]), raw)
        else:
            data += text.encode("utf-8", "surrogateescape")
    return decode_bytes(data, charset or "utf-8")


def parse_params(value: str) -> tuple[str, dict[str, str]]:
    """Split ``type/subtype; name=value; ...`` into the lowercased first token and params.

    Handles quoting, RFC 2231 (``filename*=utf-8''...`` and continuations) and the
    non-standard but common encoded words inside quoted values.
    """
    parts = _split_outside_quotes(value, ";")
    head = parts[0].strip().lower()
    plain: dict[str, str] = {}
    extended: dict[str, list[tuple[int, bool, str]]] = {}
    for part in parts[1:]:
        name, equals, raw = part.partition("=")
        name = name.strip().lower()
        if not equals or not name:
            continue
        raw = raw.strip()
        if match := _PARAM_CONTINUATION.match(name):
            sections = extended.setdefault(match.group(1), [])
            sections.append((int(match.group(2)), bool(match.group(3)), _unquote(raw)))
        elif name.endswith("*"):
            extended.setdefault(name[:-1], []).append((0, True, _unquote(raw)))
        elif name not in plain:
            plain[name] = decode_words(_unquote(raw))
    params = dict(plain)
    for name, sections in extended.items():
        decoded = _rfc2231(sections)
        if decoded:
            params[name] = decode_words(decoded)
    return head, params


# --- addresses -------------------------------------------------------------------------


def _split_addresses(value: str) -> list[str]:
    """Split an address list on top-level commas and semicolons; drop group names."""
    items: list[str] = []
    current: list[str] = []
    quoted = escaped = has_at = False
    angle = comment = 0
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\" and (quoted or comment):
            escaped = True
        elif char == '"' and not comment:
            quoted = not quoted
        elif not quoted:
            if char == "(":
                comment += 1
            elif char == ")" and comment:
                comment -= 1
            elif not comment and char == "<":
                angle += 1
            elif not comment and char == ">" and angle:
                angle -= 1
            elif not comment and not angle and char in ",;":
                items.append("".join(current))
                current = []
                has_at = False
                continue
            elif not comment and not angle and char == ":" and not has_at:
                current = []  # "Group name:" - the members follow
                continue
        has_at = has_at or char == "@"
        current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


_COMMENT = re.compile(r"\(([^()]*)\)")
_ANGLE = re.compile(r"<([^<>]*)>")


def _valid_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at and local and domain) and not any(c in address for c in ' \t<>(),;"[]\\')


def _one_address(item: str) -> tuple[str, str]:
    angles = _ANGLE.findall(item)
    if angles:
        address = angles[-1].strip().rsplit(":", 1)[-1]  # drop an obsolete source route
        name = _ANGLE.sub(" ", item)
    else:
        comments = _COMMENT.findall(item)
        address = _COMMENT.sub(" ", item).strip().strip('"')
        name = " ".join(comments)
    name = _COMMENT.sub(" ", name) if angles else name
    name = _unquote(name.strip())
    if len(name) >= 2 and name[0] == name[-1] == "'":
        name = name[1:-1]  # Outlook's 'Name' <address>
    address = "".join(address.split()).lower()
    return clean_line(decode_words(name)), address


def parse_addresses(value: str) -> list[tuple[str, str]]:
    """(display name, lowercased address) pairs; entries without a usable address dropped.

    Written for the mail people send rather than RFC 5322: unquoted commas in encoded
    names, bare addresses with comments, and a whole "Name <address>" inside one encoded
    word all come out right.
    """
    value = value[:MAX_HEADER_CHARS]
    found = [_one_address(item) for item in _split_addresses(value)]
    pairs = [(name, address) for name, address in found if _valid_address(address)]
    if not pairs and "=?" in value:
        decoded = decode_words(value)
        found = [_one_address(item) for item in _split_addresses(decoded)]
        pairs = [(name, address) for name, address in found if _valid_address(address)]
    return pairs


def first_name(value: str) -> str:
    """The display name of the first entry, for a header with a name but no address."""
    items = _split_addresses(value[:MAX_HEADER_CHARS])
    if not items:
        return ""
    name = _one_address(items[0])[0]
    if not name and "@" not in items[0] and "<" not in items[0]:
        name = clean_line(decode_words(_unquote(_COMMENT.sub(" ", items[0]))))
    return name


# --- message ids -----------------------------------------------------------------------

_MESSAGE_ID = re.compile(r"<([^<>\s]{1,995})>")
_BARE_ID = re.compile(r"^[^<>\s@]+@[^<>\s@]+$")


def message_ids(value: str | None, limit: int = 500) -> list[str]:
    """Every ``<id>`` in ``value`` in order, duplicates dropped; bare ``id@host`` accepted."""
    if not value:
        return []
    found = _MESSAGE_ID.findall(value)
    if not found:
        found = [token for token in re.split(r"[\s,]+", value) if _BARE_ID.match(token)]
    ids: list[str] = []
    for inner in found:
        normalised = f"<{inner}>"
        if normalised not in ids:
            ids.append(normalised)
        if len(ids) >= limit:
            break
    return ids


def message_id(value: str | None) -> str:
    ids = message_ids(value, limit=1)
    return ids[0] if ids else ""


def unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
