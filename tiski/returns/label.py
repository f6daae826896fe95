"""The printable return label: an A6 page the customer tapes to the parcel.

It names the store (and where the parcel goes, as far as Tiski knows), the return number
in large type, the order, the customer and the items, and carries a QR code that the
shop's warehouse scans to find the return. The QR holds a reference, not a link: a
label is paper that passes through many hands, and the reference alone opens nothing.

Pure Python: segno makes the QR matrix, fpdf2 the PDF, and the QR is drawn as vector
squares so it prints sharp at any size. Letters beyond Latin-1 (Polish ł, ś, ż) need a
Unicode font: DejaVu Sans is embedded when the system has it (Debian's
fonts-dejavu-core); without it the label falls back to a built-in PDF font and folds the
text to what that font can print.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from tiski.returns.models import Resolution, Return

# fontTools logs every glyph of every subset it makes at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
QR_PREFIX = "TISKI-RETURN"
# A6 portrait, in millimetres.
PAGE = (105.0, 148.0)
MARGIN = 7.0
QR_SIZE = 34.0
QUIET_ZONE = 4  # modules

# Letters NFKD does not take apart into a base letter and an accent.
_FOLDS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "×": "x",
        "–": "-",
        "—": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "…": "...",
        "€": "EUR",
    }
)


@dataclass(frozen=True)
class LabelLine:
    quantity: int
    title: str
    variant: str = ""


@dataclass(frozen=True)
class LabelContent:
    """Everything printed on a label, already in the customer's language."""

    store_name: str
    ship_to: Sequence[str]  # the address lines the parcel goes to
    reference: str  # "R1001"
    order_number: str
    customer_name: str
    lines: Sequence[LabelLine]
    qr_payload: str
    texts: dict[str, str]
    language: str = "en"
    # The PDF's creation date: the request's, so one label always makes the same bytes.
    created_at: datetime | None = None


def qr_payload(case: Return) -> str:
    """What the QR code says: ``TISKI-RETURN:<store slug>:R1001``."""
    return f"{QR_PREFIX}:{case.store.slug}:{case.reference}"


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR code's modules, dark as True, without the quiet zone."""
    code = segno.make_qr(payload, error="m")
    return [[bool(module) for module in row] for row in code.matrix]


def fold_text(text: str) -> str:
    """``text`` as a built-in PDF font (Latin-1) can print it: ä and å stay, ł becomes l,
    what has no likeness becomes "?"."""
    out = []
    for char in text.translate(_FOLDS):
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            try:
                base.encode("latin-1")
            except UnicodeEncodeError:
                base = "?"
            out.append(base or "?")
        else:
            out.append(char)
    return "".join(out)


def content_for(case: Return) -> LabelContent:
    """The label of ``case`` in the language the return was asked in."""
    store, order = case.store, case.order
    lines = [
        LabelLine(line.quantity, line.order_line.title, line.order_line.variant_title)
        for line in case.lines.select_related("order_line").order_by(
            "order_line__position", "order_line_id"
        )
    ]
    with translation.override(case.language or store.default_language):
        texts = {
            "return": _("Return"),
            "order": _("Order number"),
            "from": _("From"),
            "to": _("Send to"),
            "items": _("Items in the parcel"),
            "resolution": _("Resolution"),
            "resolution_value": str(Resolution(case.resolution).label),
            "instructions": _(
                "Pack the items securely, attach this label to the parcel where it can be "
                "seen, and drop the parcel at a parcel point."
            ),
            "scan": _("Scan to find the return"),
        }
    return LabelContent(
        store_name=store.name,
        # Tiski keeps no return address yet: the store's name and its support address.
        ship_to=[store.name, *([store.support_email] if store.support_email else [])],
        reference=case.reference,
        order_number=order.display_number,
        customer_name=order.customer_name,
        lines=lines,
        qr_payload=qr_payload(case),
        texts=texts,
        language=case.language or store.default_language,
        created_at=case.requested_at,
    )


class _Label(FPDF):
    def __init__(self, font_dir: Path | None) -> None:
        super().__init__(orientation="P", unit="mm", format=PAGE)
        self.has_unicode = False
        if font_dir is not None:
            regular, bold = font_dir / REGULAR, font_dir / BOLD
            if regular.is_file() and bold.is_file():
                self.add_font("label", "", str(regular))
                self.add_font("label", "B", str(bold))
                self.has_unicode = True
        self.font_name = "label" if self.has_unicode else "helvetica"

    def text_of(self, value: str) -> str:
        return value if self.has_unicode else fold_text(value)

    def write_cell(self, value: str, *, size: float, bold: bool = False, height: float = 0) -> None:
        self.set_font(self.font_name, "B" if bold else "", size)
        self.multi_cell(
            0,
            height or size * 0.45,
            self.text_of(value),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def draw_qr(self, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
        # The quiet zone (four light modules all round) is part of ``size``: scanners
        # need it, and the text beside the code must not eat into it.
        module = size / (len(matrix) + 2 * QUIET_ZONE)
        x, y = x + QUIET_ZONE * module, y + QUIET_ZONE * module
        self.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(matrix):
            column = 0
            # One rectangle per run of dark modules: fewer drawing operations.
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                self.rect(
                    x + start * module,
                    y + row_index * module,
                    (column - start) * module,
                    module,
                    style="F",
                )


def render_label(
    content: LabelContent, *, font_dir: Path | None = FONT_DIR, compress: bool = True
) -> bytes:
    """The label as PDF bytes. ``font_dir`` None (or without DejaVu) uses a built-in font."""
    pdf = _Label(font_dir)
    pdf.set_compression(compress)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_title(pdf.text_of(f"{content.texts['return']} {content.reference}"))
    pdf.set_author(pdf.text_of(content.store_name))
    pdf.set_lang(content.language)
    if content.created_at is not None:
        pdf.set_creation_date(content.created_at)
    pdf.add_page()
    width = PAGE[0] - 2 * MARGIN

    # Top: the store and the return number on the left, the QR code on the right.
    qr_x = PAGE[0] - MARGIN - QR_SIZE
    pdf.set_right_margin(MARGIN + QR_SIZE)
    pdf.write_cell(content.store_name, size=12, bold=True)
    pdf.ln(1)
    pdf.write_cell(content.texts["return"], size=10)
    pdf.write_cell(content.reference, size=34, bold=True, height=14)
    pdf.write_cell(f"{content.texts['order']} {content.order_number}", size=11)
    text_bottom = pdf.get_y() + 2
    pdf.draw_qr(qr_matrix(content.qr_payload), qr_x, MARGIN, QR_SIZE)
    pdf.set_xy(qr_x, MARGIN + QR_SIZE - 2)
    pdf.set_font(pdf.font_name, "", 6)
    pdf.cell(QR_SIZE, 3, pdf.text_of(content.texts["scan"]), align="C")
    pdf.set_right_margin(MARGIN)
    pdf.set_xy(MARGIN, max(text_bottom, MARGIN + QR_SIZE + 3))

    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.4)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + width, pdf.get_y())
    pdf.ln(2)
    pdf.write_cell(content.texts["to"], size=8)
    for number, address_line in enumerate(content.ship_to):
        pdf.write_cell(address_line, size=11 if number == 0 else 10, bold=number == 0)
    pdf.ln(2)
    if content.customer_name:
        pdf.write_cell(content.texts["from"], size=8)
        pdf.write_cell(content.customer_name, size=10)
        pdf.ln(2)

    pdf.line(MARGIN, pdf.get_y(), MARGIN + width, pdf.get_y())
    pdf.ln(2)
    pdf.write_cell(content.texts["items"], size=8)
    for line in content.lines:
        variant = f" ({line.variant})" if line.variant else ""
        pdf.write_cell(f"{line.quantity} × {line.title}{variant}", size=9)
    pdf.ln(1)
    pdf.write_cell(f"{content.texts['resolution']}: {content.texts['resolution_value']}", size=8)
    pdf.ln(2)
    pdf.write_cell(content.texts["instructions"], size=8)
    return bytes(pdf.output())


def label_pdf(case: Return, *, font_dir: Path | None = FONT_DIR) -> bytes:
    """The return label of ``case`` as PDF bytes."""
    return render_label(content_for(case), font_dir=font_dir)
