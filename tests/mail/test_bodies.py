"""What the agent sees of a mail is safe HTML as it is, so it is stored without a second
pass through the sanitiser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiski.core.html import sanitize_html
from tiski.mail.bodies import QUOTED_SUMMARY, message_bodies
from tiski.mail.parse import MailParseError, parse_mail

CORPUS = Path(__file__).parent / "corpus"


def _check(source: bytes) -> str:
    try:
        parsed = parse_mail(source)
    except MailParseError:
        return ""
    _text, html = message_bodies(parsed)
    assert sanitize_html(html) == html
    return html


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_corpus_bodies_are_sanitised_html_already(path: Path) -> None:
    _check(path.read_bytes())


REPLIES = {
    "gmail": (
        '<div dir="ltr">Kiitos, tuli perille.<br></div><br><div class="gmail_quote">'
        '<div dir="ltr" class="gmail_attr">ma 3.11.2026 klo 10.00 Tiski &lt;'
        'support@shop.example&gt; kirjoitti:<br></div><blockquote class="gmail_quote" '
        'style="margin:0px 0px 0px 0.8ex"><div>Paketti on matkalla.</div></blockquote></div>'
    ),
    "outlook": (
        "<html><body><div><p>Dzień dobry, nadal czekam.</p></div>"
        '<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg">'
        "<b>Od:</b> Sklep &lt;sklep@shop.example&gt;<br><b>Wysłano:</b> poniedziałek"
        "<br><b>Temat:</b> Zamówienie</div><div><p>Paczka jest w drodze.</p></div>"
        "</body></html>"
    ),
    "thunderbird": (
        '<p>Hej, storleken var fel.</p><div class="moz-cite-prefix">Den 3.11.2026 skrev '
        'Butiken:<br></div><blockquote type="cite"><p>Tack för din beställning.</p>'
        '<ul><li>Jacka</li></ul></blockquote><pre class="moz-signature">-- \nOlle</pre>'
    ),
}


@pytest.mark.parametrize("client", sorted(REPLIES))
def test_folded_replies_are_sanitised_html_already(client: str) -> None:
    source = (
        "From: a@example.fi\r\nTo: support@shop.example\r\nSubject: Re: x\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + REPLIES[client]
    ).encode()
    html = _check(source)
    assert f"<summary>{QUOTED_SUMMARY}</summary>" in html


def test_hostile_html_is_neutralised_before_it_is_cut() -> None:
    source = (
        b"From: a@example.fi\r\nTo: support@shop.example\r\nSubject: x\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<div onclick='x()'><script>alert(1)</script><p>Uusi teksti</p>"
        b"<div>ma 3.11.2026 klo 10.00 Tiski &lt;support@shop.example&gt; kirjoitti:</div>"
        b"<blockquote style='x' onmouseover='y()'><p>Vanha</p><img src=x onerror=alert(2)>"
        b"</blockquote></div>"
    )
    html = _check(source)
    assert "script" not in html and "onclick" not in html and "onerror" not in html
    assert "Uusi teksti" in html and f"<summary>{QUOTED_SUMMARY}</summary>" in html
