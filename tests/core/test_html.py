from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiski.core.html import html_to_text, sanitize_html, text_to_html

PAYLOADS = [
    ("<script>alert(1)</script><p>hei</p>", "<script"),
    ('<p onclick="alert(1)">hei</p>', "onclick"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">klikkaa</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">klikkaa</a>', "script:"),
    ('<a href="  javascript:alert(1)">x</a>', "javascript"),
    ("<svg><script>alert(1)</script></svg>", "<svg"),
    ('<svg onload="alert(1)"><circle/></svg>', "onload"),
    ("<math><mtext><img src=x onerror=alert(1)></mtext></math>", "onerror"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ('<object data="x.swf"></object>', "<object"),
    ("<style>body{display:none}</style>", "<style"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
    ('<img src="data:text/html;base64,PHNjcmlwdD4=">', "data:"),
    ('<form action="https://evil.example"><input name=p></form>', "<form"),
    ('<a href="https://ok.example" target="_blank">x</a><base href="https://evil/">', "<base"),
    ("<!-- <script>alert(1)</script> -->", "<!--"),
]


@pytest.mark.parametrize(("payload", "forbidden"), PAYLOADS)
def test_sanitize_removes_script_vectors(payload: str, forbidden: str) -> None:
    assert forbidden.lower() not in sanitize_html(payload).lower()


def test_sanitize_keeps_the_formatting_mail_clients_use() -> None:
    html = (
        "<p>Hei <strong>Matti</strong>,</p><blockquote>lainaus</blockquote>"
        '<table><tr><td colspan="2">rivi</td></tr></table>'
        '<img src="cid:logo@shop" alt="logo"><a href="https://shop.example/t/1">seuranta</a>'
    )
    clean = sanitize_html(html)
    for kept in ("<strong>Matti</strong>", "<blockquote>", 'colspan="2"', 'src="cid:logo@shop"'):
        assert kept in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_text_to_html_escapes_and_links() -> None:
    html = text_to_html(
        "Katso https://posti.example/seuranta?id=1&x=2.\n<b>ei lihavoitu</b>\n\nToinen"
    )
    assert '<a href="https://posti.example/seuranta?id=1&amp;x=2"' in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert html.count("<p>") == 2 and "<br>" in html


def test_html_to_text_is_readable() -> None:
    assert html_to_text("<p>Rivi 1<br>Rivi 2</p><p>Kappale &amp; loppu</p>") == (
        "Rivi 1\nRivi 2\nKappale & loppu"
    )


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"ab <>&\"'=/:.?\n\t;#x", "https://", "http://", "javascript:", "<script>"]
        ),
        max_size=40,
    ).map("".join)
)
def test_text_to_html_is_what_the_sanitiser_would_keep(text: str) -> None:
    """It skips the sanitiser, so its output must be a fixed point of it."""
    html = text_to_html(text)
    assert sanitize_html(html) == html
    assert "<script" not in html and "javascript:" not in html.split(">")[0]


def test_text_to_html_links_carry_the_safe_rel() -> None:
    html = text_to_html('Katso https://posti.example/a"onmouseover="x and "quoted"')
    assert html == (
        '<p>Katso <a href="https://posti.example/a" rel="noopener noreferrer nofollow">'
        'https://posti.example/a</a>"onmouseover="x and "quoted"</p>'
    )


def test_an_email_quote_may_fold_but_not_run_anything() -> None:
    cleaned = sanitize_html(
        '<details open ontoggle="alert(1)"><summary onclick="x()">•••</summary>'
        "<p>vanha</p></details>"
    )
    assert cleaned == "<details><summary>•••</summary><p>vanha</p></details>"
