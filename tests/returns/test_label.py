"""The return label PDF: what it says, in which font, and the QR code it carries."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import segno
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from tests.conftest import SYSTEM
from tests.returns.test_portal import delivered_order
from tiski.returns.actions import ReturnItem, request_return
from tiski.returns.label import (
    FONT_DIR,
    REGULAR,
    LabelContent,
    LabelLine,
    content_for,
    fold_text,
    label_pdf,
    qr_matrix,
    qr_payload,
    render_label,
)
from tiski.returns.models import Return
from tiski.stores.actions import update_store
from tiski.stores.models import Store

TEXTS = {
    "return": "Zwrot",
    "order": "Zamówienie",
    "from": "Nadawca",
    "to": "Odbiorca",
    "items": "W paczce",
    "resolution": "Rozwiązanie",
    "resolution_value": "Zwrot pieniędzy",
    "instructions": "Zapakuj starannie i nadaj w punkcie.",
    "scan": "Zeskanuj",
}


def content(**changes: object) -> LabelContent:
    fields: dict[str, object] = {
        "store_name": "Kubek i Spółka",
        "ship_to": ["Kubek i Spółka", "obsluga@kubek.example"],
        "reference": "R1001",
        "order_number": "#555",
        "customer_name": "Łukasz Żółkiewski",
        "lines": [LabelLine(1, "Kubek gliniany", "zielony"), LabelLine(2, "Łyżeczka")],
        "qr_payload": "TISKI-RETURN:kubek:R1001",
        "texts": TEXTS,
        "language": "pl",
    }
    fields.update(changes)
    return LabelContent(**fields)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


needs_dejavu = pytest.mark.skipif(
    not (FONT_DIR / REGULAR).is_file(), reason="DejaVu Sans is missing (fonts-dejavu-core)"
)


@needs_dejavu
def test_the_label_prints_polish_letters_with_the_embedded_font() -> None:
    pdf = render_label(content())
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf  # the TrueType font travels inside the file
    text = pdf_text(pdf)
    for expected in (
        "Kubek i Spółka",
        "R1001",
        "Zamówienie #555",
        "Łukasz Żółkiewski",
        "1 × Kubek gliniany (zielony)",
        "2 × Łyżeczka",
        "obsluga@kubek.example",
        "Rozwiązanie: Zwrot pieniędzy",
    ):
        assert expected in text, expected
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_without_the_font_the_text_is_folded_for_a_built_in_one(tmp_path: Path) -> None:
    for folder in (None, tmp_path):  # no folder, or one without DejaVu in it
        pdf = render_label(content(customer_name="Matti Meikäläinen"), font_dir=folder)
        assert pdf.startswith(b"%PDF") and b"/FontFile2" not in pdf
        text = pdf_text(pdf)
        assert "R1001" in text
        assert "Kubek i Spólka" in text and "2 x Lyzeczka" in text  # ó is Latin-1, ł is not
        # Finnish and Swedish letters are in the built-in font's Latin-1: they stay.
        assert "Matti Meikäläinen" in text


def test_folding_keeps_latin_1_and_takes_accents_off_the_rest() -> None:
    assert fold_text("Åsa Öberg, Jyväskylä") == "Åsa Öberg, Jyväskylä"
    assert fold_text("Łódź – Gdańsk „Żabka”") == 'Lódz - Gdansk "Zabka"'
    assert fold_text("2 × 10 €") == "2 x 10 EUR"
    assert fold_text("東京") == "??"


def drawn_qr(pdf: bytes) -> list[list[bool]]:
    """The QR code as the uncompressed page draws it: filled rectangles, one per run of
    dark modules, turned back into rows of modules."""
    runs = [
        tuple(float(n) for n in match.groups())
        for match in re.finditer(rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re f", pdf)
    ]
    assert runs, "no rectangles drawn"
    module = abs(runs[0][3])
    left, top = min(r[0] for r in runs), max(r[1] for r in runs)
    size = round((max(r[0] + r[2] for r in runs) - left) / module)
    matrix = [[False] * size for _ in range(size)]
    for x, y, width, _height in runs:
        row, column = round((top - y) / module), round((x - left) / module)
        for offset in range(round(width / module)):
            matrix[row][column + offset] = True
    return matrix


def test_the_qr_code_drawn_is_segnos_code_of_the_reference() -> None:
    payload = "TISKI-RETURN:kubek:R1001"
    pdf = render_label(content(qr_payload=payload), font_dir=None, compress=False)
    expected = [[bool(m) for m in row] for row in segno.make_qr(payload, error="m").matrix]
    assert drawn_qr(pdf) == expected == qr_matrix(payload)
    # And a different reference draws a different code.
    assert (
        drawn_qr(render_label(content(qr_payload=payload + "2"), font_dir=None, compress=False))
        != expected
    )


@pytest.fixture
def case(store: Store) -> Return:
    store = update_store(store, actor=SYSTEM, languages=["fi", "en"])
    order = delivered_order(store)
    line = order.lines.get(external_id="l-1")
    return request_return(
        order, items=[ReturnItem(line.pk, 1, "too_small")], actor=SYSTEM, language="fi"
    )


def test_a_returns_label_in_its_language(case: Return) -> None:
    assert qr_payload(case) == "TISKI-RETURN:revontuli:R1001"
    label = content_for(case)
    with translation.override("fi"):
        assert label.texts["return"] == gettext("Return")
        assert label.texts["to"] == gettext("Send to")
    assert label.customer_name == "Matti Meikäläinen"
    # No return address is kept yet: the store's name and its support address.
    assert label.ship_to == ["Revontuli", "support@revontuli.example"]
    pdf = label_pdf(case)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "R1001" in text and "#10234" in text and "Kuoritakki Tunturi (M / sininen)" in text
    # The same return makes the same bytes: the creation date is the request's.
    assert label_pdf(case) == pdf
