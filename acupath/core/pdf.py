"""Printable documents (letters, reports, receipts) as PDF, drawn with ReportLab.

ReportLab is a well-kept, BSD-licensed library that installs from the package index alone (its
wheels carry everything, fonts included), and its flowables lay out paragraphs and tables over as
many pages as the content needs. Callers describe a document in the clinic's words, block by block;
this module owns the look (type scale, spacing, the letterhead and the page footer) so every
document the clinic prints looks like one family.

Text is embedded as a TrueType font so that it can be read back (tests do, with pypdf) and so that
names with accents print: DejaVu Sans where the system has it (wider coverage, e.g. the rupee
sign), otherwise the Bitstream Vera font that ReportLab ships.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from django.http import HttpResponse
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
_BUNDLED_FONTS = Path(reportlab.__file__).parent / "fonts"

INK = colors.HexColor("#1f2a30")
MUTED = colors.HexColor("#5b6770")
RULE = colors.HexColor("#c9d2d6")
BAND = colors.HexColor("#eef3f4")


@cache
def _fonts() -> tuple[str, str]:
    """Register the regular and bold faces once per process; answer their names."""
    pairs = (
        (_SYSTEM_FONTS / "DejaVuSans.ttf", _SYSTEM_FONTS / "DejaVuSans-Bold.ttf"),
        (_BUNDLED_FONTS / "Vera.ttf", _BUNDLED_FONTS / "VeraBd.ttf"),
    )
    regular, bold = next((r, b) for r, b in pairs if r.exists() and b.exists())
    pdfmetrics.registerFont(TTFont("AcupathSans", str(regular)))
    pdfmetrics.registerFont(TTFont("AcupathSans-Bold", str(bold)))
    return "AcupathSans", "AcupathSans-Bold"


@cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=10, leading=14, textColor=INK, spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=12, leading=16, spaceBefore=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=6),
        "letterhead": ParagraphStyle(
            "letterhead", parent=base, fontSize=9, leading=12, textColor=MUTED, alignment=TA_RIGHT, spaceAfter=0
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=bold, fontSize=9, leading=12, spaceAfter=0),
    }


def _text(value: object) -> str:
    """Paragraphs parse a little markup: escape what callers give, keep their line breaks."""
    return escape(str(value)).replace("\n", "<br/>")


class Document:
    """One printable document: add blocks in reading order, then ``render()``."""

    def __init__(self, title: str, letterhead: Sequence[str] = (), footer: str = "") -> None:
        self.title = title
        self.footer = footer
        self._blocks: list[Flowable] = []
        styles = _styles()
        for line in letterhead:
            self._blocks.append(Paragraph(_text(line), styles["letterhead"]))
        if letterhead:
            self._blocks.append(Spacer(1, 6 * mm))
        self._blocks.append(Paragraph(_text(title), styles["title"]))

    def heading(self, text: str, level: int = 1) -> None:
        self._blocks.append(Paragraph(_text(text), _styles()["h1" if level == 1 else "h2"]))

    def paragraph(self, text: str) -> None:
        self._blocks.append(Paragraph(_text(text), _styles()["body"]))

    def spacer(self, height_mm: float = 4) -> None:
        self._blocks.append(Spacer(1, height_mm * mm))

    def key_values(self, pairs: Sequence[tuple[str, object]]) -> None:
        """Label and value side by side (patient details, a letter's particulars)."""
        styles = _styles()
        rows = [[Paragraph(_text(k), styles["cell_head"]), Paragraph(_text(v), styles["cell"])] for k, v in pairs]
        table = Table(rows, colWidths=[45 * mm, None], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        self._blocks += [table, Spacer(1, 3 * mm)]

    def table(
        self, rows: Sequence[Sequence[object]], header: bool = True, widths: Sequence[float] | None = None
    ) -> None:
        """A grid of values; the first row is the header when ``header``. Widths in mm."""
        if not rows:
            return
        styles = _styles()
        cells = [
            [Paragraph(_text(v), styles["cell_head" if header and i == 0 else "cell"]) for v in row]
            for i, row in enumerate(rows)
        ]
        table = Table(
            cells, colWidths=[w * mm for w in widths] if widths else None, hAlign="LEFT", repeatRows=1 if header else 0
        )
        style: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), BAND))
        table.setStyle(TableStyle(style))
        self._blocks += [table, Spacer(1, 3 * mm)]

    def render(self) -> bytes:
        buffer = io.BytesIO()
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=self.title,
            author="Acupath",
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
        )
        template.build(list(self._blocks), onFirstPage=self._decorate, onLaterPages=self._decorate)
        return buffer.getvalue()

    def _decorate(self, canvas: Canvas, template: SimpleDocTemplate) -> None:
        """The footer on every page: the document's own line and the page number."""
        regular, _ = _fonts()
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(MUTED)
        width, _ = A4
        canvas.drawString(18 * mm, 10 * mm, self.footer or self.title)
        canvas.drawRightString(width - 18 * mm, 10 * mm, f"Page {template.page}")
        canvas.restoreState()


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """Answer a rendered document, shown in the browser (inline) and saved under ``filename``."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
