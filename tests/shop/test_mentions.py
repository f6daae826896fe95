"""Order numbers recognised in what customers write, and linked in their HTML safely."""

from __future__ import annotations

import pytest

from tiski.shop.mentions import Mention, find_mentions, link_mentions, numbers_in_html


def spans(text: str) -> list[str]:
    return [text[start:end] for start, end, _number in find_mentions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Finnish: the word declines.
        ("Hei, missä tilaus 10234 viipyy?", ["10234"]),
        ("Hei, missä tilaukseni 10234 on?", ["10234"]),
        ("tilausnumero 10234", ["10234"]),
        ("Tilausnumeroni on 10234.", ["10234"]),
        ("Tilauksen nro 10234 paketti", ["10234"]),
        ("Palautan tilauksesta #10234 takin", ["#10234"]),
        ("tilaukset 10234, 10235 ja 10236", ["10234", "10235", "10236"]),
        # Polish
        ("zamówienie nr 10234", ["10234"]),
        ("Gdzie są zamówienia 10234 i 10235?", ["10234", "10235"]),
        ("Numer zamówienia: 10234", ["10234"]),
        ("zamówienie o numerze 10234 nie dotarło", ["10234"]),
        ("zamowienie nr. 10234", ["10234"]),
        ("Zamówieniem 10234 jestem zawiedziona", ["10234"]),
        # Swedish
        ("Var är min beställning 10234?", ["10234"]),
        ("ordernummer 10234", ["10234"]),
        ("Beställningsnummer: 10234", ["10234"]),
        ("Mitt ordernummer är 10234", ["10234"]),
        # English
        ("Where is my order #10234?", ["#10234"]),
        ("Order no. 10234 arrived broken", ["10234"]),
        ("my order number is 10234", ["10234"]),
        ("Order ID: 10234", ["10234"]),
        ("orders 10234 and #10235", ["10234", "#10235"]),
        # A "#" on its own
        ("#10234", ["#10234"]),
        ("Se on (#10234), eikö?", ["#10234"]),
        ("Kiitos! #10234", ["#10234"]),
        ("Quick start #10234", ["#10234"]),  # "art" only as a word of its own
    ],
)
def test_order_numbers_are_found(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


def test_a_mention_is_where_its_number_is() -> None:
    assert find_mentions("Tilaus 10234 ja #10235") == [
        Mention(7, 12, "10234"),
        Mention(16, 22, "10235"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # Prices and amounts, even right after the word for an order
        "10234 €",
        "Tilaus 10234 € oli liian kallis",
        "Tilaus 10234 euroa",
        "tilaus on 500 euroa",
        "zamówienie 10234 zł",
        "beställning 10234 kr",
        "order $10234",
        "order 10234.50",
        "Hinta 129,90 €",
        # Quantities
        "tilaus 500 kpl sukkia",
        "zamówienie 300 szt.",
        # Phone numbers
        "soita 040 123 4567",
        "+358 40 1234567",
        "tilaus 0401234567",
        "order #358 40 123 4567",
        "zadzwoń: 601 234 567",
        # Postal codes
        "00100 Helsinki",
        "Mannerheimintie 1, 00100 Helsinki",
        "tilaus osoitteeseen 00100 Helsinki",
        "00-950 Warszawa",
        "114 55 Stockholm",
        # Years and dates
        "vuonna 2026",
        "Ostin takin 12.3.2026",
        "in 2026",
        "#2026",
        "w 2026 roku",
        "order 12/2026",
        "tilaus tehty 1.12.2026",
        # Product codes and other numbers with a "#"
        "SKU #10234",
        "tuote #10234",
        "TT-KT-10234",
        "VS-42",
        "EAN 6412345678901",
        "lasku #10234",
        "zamówienie 10234-A",
        "order #10234abc",
        # In addresses
        "https://shop.example/order/10234",
        "https://shop.example/p#10234",
        "order10234@example.fi",
        "&#10234;",
        # Numbers that are not named as an order
        "I ordered 10234 things",
        "Tilasin 10234 kertaa",
        "nr 10234",
        "10234",
        "order #12",
    ],
)
def test_other_numbers_are_not_orders(text: str) -> None:
    assert find_mentions(text) == []


def test_numbers_in_html_look_at_the_text() -> None:
    body = '<p>Tilaus&nbsp;10234 <a href="https://x.example/order/10235">#10236</a></p>'
    assert numbers_in_html(body) == {"10234", "10236"}
    assert numbers_in_html("") == set()


LINK = {"class": "order-mention", "href": "#order-7"}


def test_linking_changes_the_text_only() -> None:
    body = (
        '<p title="tilaus 10234 &quot;&gt;">Hei &amp; tilaus 10234 &lt;b&gt;</p>'
        '<img src="https://x.example/a.png" alt="#10234">'
        '<p><a href="https://shop.example/">order #10234</a> ja #10234</p>'
    )
    assert link_mentions(body, {"10234": LINK}) == (
        '<p title="tilaus 10234 &quot;&gt;">Hei &amp; tilaus '
        '<a class="order-mention" href="#order-7">10234</a> &lt;b&gt;</p>'
        '<img src="https://x.example/a.png" alt="#10234">'
        '<p><a href="https://shop.example/">order #10234</a> ja '
        '<a class="order-mention" href="#order-7">#10234</a></p>'
    )


def test_only_the_given_numbers_are_linked_and_attributes_are_escaped() -> None:
    body = "<p>tilaus 10234 ja tilaus 10235</p>"
    linked = link_mentions(body, {"10235": {"title": '"><script>alert(1)</script>'}})
    assert linked == (
        "<p>tilaus 10234 ja tilaus "
        '<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">10235</a></p>'
    )
    assert link_mentions(body, {}) == body


def test_text_that_looks_like_markup_stays_text() -> None:
    body = "<p>&lt;script&gt;tilaus 10234&lt;/script&gt; &amp;lt;</p>"
    assert link_mentions(body, {"10234": LINK}) == (
        '<p>&lt;script&gt;tilaus <a class="order-mention" href="#order-7">10234</a>'
        "&lt;/script&gt; &amp;lt;</p>"
    )
