"""Order numbers in what people write: "tilaus 10234", "zamówienie nr 10234",
"beställning 10234", "order #10234", "#10234".

Recognising is a pure function of the text. A number counts only when it is written the
way people name an order (right after the word for an order, or with a "#"), so prices,
phone numbers, postal codes, years and product codes stay plain text. Whether the shop
has such an order is the caller's question (``queries.orders_by_number``).

``link_mentions`` puts links into a message's sanitised HTML: it changes text only,
outside links, and escapes everything it writes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from html.parser import HTMLParser
from typing import NamedTuple


class Mention(NamedTuple):
    start: int
    end: int  # the span is the number, with its "#" when written with one
    number: str  # as stored in Order.number: digits only


_LETTERS = r"[^\W\d_]*"
# The word for an order, in its inflected forms (Finnish and Polish decline it).
_ORDER_WORD = (
    rf"tilau{_LETTERS}"  # fi: tilaus, tilauksen, tilaukseni, tilausnumero, tilausnro
    rf"|zam[óo]wie[nń]{_LETTERS}"  # pl: zamówienie, zamówienia, zamówieniu, zamówień
    rf"|best[äa]lln{_LETTERS}"  # sv: beställning, beställningen, beställningsnummer
    rf"|order(?:s|n|ns|nummer{_LETTERS}|numret|nr|id)?"  # en, sv: order, ordern, ordernummer
)
# "nr", "no.", "number", "numero", "numer", "o numerze", "ID" between the word and digits.
_NUMBER_WORD = (
    r"(?:n(?:o|r|ro|um)(?!\w)\.?|numer(?:o|ze|u)?(?!\w)|number(?!\w)|nummer(?!\w)"
    r"|id(?!\w)|o\s+numerze(?!\w))"
)
# "tilausnumeroni on 10234", "my order number is 10234": only after a word for number.
_COPULA = r"(?:on|is|är|jest|to|oli|was)(?!\w)"
_DIGITS = r"[1-9]\d{2,9}"  # order numbers count up from 1: no leading zero, 3-10 digits

_KEYWORDED = re.compile(
    rf"(?<![\w@/.#&-])(?P<word>{_ORDER_WORD})(?!\w)"
    rf"(?:\s*(?P<numword>{_NUMBER_WORD}))?"
    rf"(?:\s+(?P<copula>{_COPULA}))?"
    rf"\s*:?\s*(?P<number>#?{_DIGITS})",
    re.IGNORECASE,
)
# "10234, 10235 ja 10236" after the word for orders.
_MORE = re.compile(
    rf"\s*(?:,|&|\+|(?:and|ja|sekä|tai|och|samt|eller|i|oraz|lub|or)(?!\w))\s*(?P<number>#?{_DIGITS})",
    re.IGNORECASE,
)
# The "#" first, then what stood before it: a pattern that starts with a literal is
# searched for quickly, and this one runs over every message of a timeline.
_BARE = re.compile(rf"(?P<number>#(?<![\w@/.#&+-]#){_DIGITS})")
# After the digits: the number goes on (a decimal, a date, a phone number in groups, a
# code, an address), or it is an amount or a quantity.
_NOT_AN_ORDER_AFTER = re.compile(
    r"[\w@]"
    r"|[.,:/-]\d"
    r"|[-/][^\W\d_]"
    r"|[ \u00a0]\d"
    r"|\s*(?:[€$£%×]"
    r"|(?:e|eur|euro\w*|snt|zł|zl|pln|gr|kr|kronor|sek|usd|gbp|x|kpl|pcs|pieces|szt|st|stk"
    r"|kg|g|cm|mm|m|km|l)(?!\w))",
    re.IGNORECASE,
)
# A "#" right after these names a product, an invoice or a ticket, not an order.
_NOT_AN_ORDER_BEFORE = re.compile(
    r"(?<!\w)(?:sku|art|ean|item|product|tuote\w*|produkt\w*|artikel\w*|kod|code|ref|lasku\w*"
    r"|invoice|faktur\w*|ticket|issue|tiketti|zgłoszeni\w*|ärende\w*|pr)\.?\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"#(?:19|20)\d\d")


# Every word for an order starts with one of these (lowercased): most texts have none,
# and looking for them is far quicker than the pattern.
_STEMS = ("tilau", "zamówie", "zamowie", "beställn", "bestalln", "order")


def find_mentions(text: str) -> list[Mention]:
    """Where ``text`` names an order by its number, in order of appearance."""
    found: dict[int, Mention] = {}
    for match in _keyworded(text):
        if match.group("copula") and not (
            match.group("numword") or re.search(r"num|nr|nro", match.group("word"), re.I)
        ):
            continue  # "tilaus on 500 ...": a sentence, not a number
        mention = _mention(text, match)
        if mention is None:
            continue
        found[mention.start] = mention
        end = match.end()
        while more := _MORE.match(text, end):
            following = _mention(text, more)
            if following is None:
                break
            found[following.start] = following
            end = more.end()
    for match in _BARE.finditer(text) if "#" in text else ():
        if match.start() in found or _YEAR.fullmatch(match.group("number")):
            continue  # "#2026" is a year more often than an order
        if _NOT_AN_ORDER_BEFORE.search(text, max(0, match.start() - 30), match.start()):
            continue
        mention = _mention(text, match)
        if mention is not None:
            found[mention.start] = mention
    return [found[start] for start in sorted(found)]


def _keyworded(text: str) -> Iterator[re.Match[str]]:
    """Matches of _KEYWORDED, tried only where a word for an order starts."""
    lowered = text.lower()
    if len(lowered) != len(text):  # lowercasing moved the positions: the slow way
        yield from _KEYWORDED.finditer(text)
        return
    starts = set()
    for stem in _STEMS:
        at = lowered.find(stem)
        while at != -1:
            starts.add(at)
            at = lowered.find(stem, at + 1)
    for start in sorted(starts):
        if match := _KEYWORDED.match(text, start):
            yield match


def _mention(text: str, match: re.Match[str]) -> Mention | None:
    start, end = match.span("number")
    if _NOT_AN_ORDER_AFTER.match(text, end):
        return None
    return Mention(start, end, match.group("number").lstrip("#"))


_TAG = re.compile(r"<[^>]*>")


def numbers_in_html(body_html: str) -> set[str]:
    """The order numbers a message's HTML mentions: a quick look at its text, which may
    find a number ``link_mentions`` then leaves alone (in a link, split by a tag)."""
    if not any(digit in body_html for digit in "123456789"):
        return set()  # most chat messages: no number at all
    text = html.unescape(_TAG.sub(" ", body_html))
    return {mention.number for mention in find_mentions(text)}


def link_mentions(body_html: str, links: Mapping[str, Mapping[str, str]]) -> str:
    """``body_html`` (sanitised) with each mentioned number found in ``links`` made a link
    with those attributes. Tags pass through as they were; text is escaped again; text
    inside a link stays text."""
    linker = _Linker(lambda number: links.get(number))
    linker.feed(body_html)
    linker.close()
    return "".join(linker.out)


class _Linker(HTMLParser):
    def __init__(self, attributes: Callable[[str], Mapping[str, str] | None]) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes = attributes
        self.out: list[str] = []
        self.in_link = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag == "a":
            self.in_link += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag == "a" and self.in_link:
            self.in_link -= 1

    def handle_data(self, data: str) -> None:
        if self.in_link:
            self.out.append(_e(data))
            return
        done = 0
        for mention in find_mentions(data):
            attributes = self.attributes(mention.number)
            if attributes is None:
                continue
            pairs = "".join(f' {_e(name)}="{_e(value)}"' for name, value in attributes.items())
            self.out.append(_e(data[done : mention.start]))
            self.out.append(f"<a{pairs}>{_e(data[mention.start : mention.end])}</a>")
            done = mention.end
        self.out.append(_e(data[done:]))

    # Sanitised bodies have none of these; anything else is dropped rather than guessed.
    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


def _e(value: str) -> str:
    return html.escape(value, quote=True)
