"""The printable hazardous waste label (HJ 1276-2022 危险废物标签) as PDF.

One page per label, the page exactly the minimum label size for the container's volume
(100, 150 or 200 mm square; a container over 450 L gets two pages, one for each of two opposite
sides). Every line of text is at least the standard's minimum height for that size — asserted
while drawing, taking a CJK glyph to fill `GLYPH_RATIO` of its font size. Layout: the warning
title on top; the fields on the left; the hazard pictograms and the QR code (segno, error
correction M, drawn as vector squares so it stays sharp at any print size) on the right; the
remarks and the digital identification code along the bottom. Orange ground, black border and
text, as remembered from the standard's sample label (unverified; see LABELS.md).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import segno
from reportlab.lib.colors import Color, black, white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from wufei.core.pdf import cjk_font
from wufei.ledger.label_content import (
    HAZARD_NAMES,
    TITLE,
    LabelContent,
    LabelDetails,
    label_content,
)
from wufei.ledger.models import Container

ORANGE = Color(1, 150 / 255, 0)  # the label ground: RGB 255, 150, 0
RED = Color(0.8, 0.07, 0.07)
GLYPH_RATIO = 0.88  # height of a CJK ideograph in its em square (conservative)
LEADING = 1.2
BORDER_MM = 1.0  # the border is at least 1 mm wide
QR_BORDER = 2  # quiet-zone modules: the white square around the symbol
CODE_FIELD = "数字识别码"
BOTTOM_FIELDS = ("备注",)
TOKENS = re.compile(r"[!-~]+|.", re.DOTALL)  # a run of printable ASCII, or one character


def qr_for(url: str) -> segno.QRCode:
    """The QR symbol a label carries for `url` (never a Micro QR, error correction M)."""
    return segno.make(url, error="m", micro=False)


@dataclass(frozen=True)
class _Metrics:
    side: float  # mm
    font: float  # mm, the em size of body text
    pad: float
    right: float  # width of the right column

    @property
    def pitch(self) -> float:
        return self.font * LEADING

    @property
    def unit(self) -> float:
        return self.side / 100


def _metrics(content: LabelContent) -> _Metrics:
    size = content.size
    font = math.ceil(size.min_text_mm / GLYPH_RATIO * 20) / 20  # round up to 0.05 mm
    unit = size.side_mm / 100
    metrics = _Metrics(side=size.side_mm, font=font, pad=4 * unit, right=32 * unit)
    _assert_text_height(metrics.font, content)
    return metrics


def _assert_text_height(font_mm: float, content: LabelContent) -> None:
    """HJ 1276-2022 table 1: the minimum text height for this label size."""
    assert font_mm * GLYPH_RATIO >= content.size.min_text_mm, (font_mm, content.size)


class _Pen:
    """Draws text in millimetres on one page."""

    def __init__(self, canvas: Canvas, content: LabelContent, font: str) -> None:
        self.canvas = canvas
        self.content = content
        self.font = font

    def width(self, text: str, size_mm: float) -> float:
        return stringWidth(text, self.font, size_mm * mm) / mm

    def text(self, x: float, y: float, text: str, size_mm: float, *, bold: bool = False) -> None:
        _assert_text_height(size_mm, self.content)
        c = self.canvas
        c.saveState()  # the render mode below is graphics state: restored after this text
        t = c.beginText(x * mm, y * mm)
        t.setFont(self.font, size_mm * mm)
        if bold:  # the CJK font has no bold face: fill and stroke the outline
            t.setTextRenderMode(2)
            c.setLineWidth(size_mm * mm * 0.04)
        t.textOut(text)
        c.drawText(t)
        c.restoreState()

    def wrap(self, text: str, size_mm: float, width: float) -> list[str]:
        """Break between Chinese characters or at spaces, not inside a Latin word or number
        (unless it is longer than a line), keeping each line within `width` mm."""
        lines: list[str] = []
        line = ""
        for token in TOKENS.findall(text):
            pieces = [token] if self.width(token, size_mm) <= width else list(token)
            for piece in pieces:
                if line and self.width(line + piece, size_mm) > width:
                    lines.append(line.rstrip())
                    line = piece.lstrip()
                else:
                    line += piece
        return [*lines, line]

    def ellipsize(self, text: str, size_mm: float, width: float) -> str:
        if self.width(text, size_mm) <= width:
            return text
        while text and self.width(text + "…", size_mm) > width:
            text = text[:-1]
        return text + "…"


def _field_lines(
    pen: _Pen, fields: Sequence[tuple[str, str]], m: _Metrics, width: float, capacity: int
) -> list[tuple[str, bool]]:
    """Each field on one line, or two when there is room; (text, is blank) per line."""
    wrapped = [pen.wrap(f"{name}：{value}", m.font, width)[:2] for name, value in fields]
    spare = capacity - len(fields)
    if spare < 0:
        raise ValueError(f"{len(fields)} fields do not fit {capacity} lines")
    lines: list[tuple[str, bool]] = []
    for (name, value), parts in zip(fields, wrapped, strict=True):
        text = f"{name}：{value}"
        if len(parts) > 1 and spare > 0:
            spare -= 1
            second = pen.ellipsize(text[len(parts[0]) :].lstrip(), m.font, width)
            lines += [(parts[0], False), (second, False)]
        else:
            lines.append((pen.ellipsize(text, m.font, width), not value))
    return lines


def _draw_lines(
    pen: _Pen, lines: list[tuple[str, bool]], x: float, top: float, width: float, m: _Metrics
) -> None:
    c = pen.canvas
    for i, (line, blank) in enumerate(lines):
        y = top - m.font * GLYPH_RATIO - i * m.pitch
        pen.text(x, y, line, m.font)
        if blank:  # a line to write on by hand
            start = x + pen.width(line, m.font) + 0.5
            c.setLineWidth(0.2 * mm)
            c.line(start * mm, (y - 0.5) * mm, (x + width) * mm, (y - 0.5) * mm)


def _draw_pictograms(
    pen: _Pen, codes: Sequence[str], x: float, top: float, width: float, height: float, m: _Metrics
) -> None:
    """A red-bordered diamond with the characteristic's letter, its name underneath."""
    if not codes:
        return
    c = pen.canvas
    cols = 2 if len(codes) > 1 else 1
    rows = math.ceil(len(codes) / cols)
    cell_w = width / cols
    caption = m.pitch
    diamond = min(cell_w * 0.85, height / rows - caption - m.unit)
    for i, code in enumerate(codes):
        row, col = divmod(i, cols)
        cx = x + cell_w * (col + 0.5)
        cy = top - row * (diamond + caption + m.unit) - diamond / 2
        half = diamond / 2
        path = c.beginPath()
        path.moveTo(cx * mm, (cy + half) * mm)
        path.lineTo((cx + half) * mm, cy * mm)
        path.lineTo(cx * mm, (cy - half) * mm)
        path.lineTo((cx - half) * mm, cy * mm)
        path.close()
        c.setFillColor(white)
        c.setStrokeColor(RED)
        c.setLineWidth(diamond * 0.06 * mm)
        c.drawPath(path, stroke=1, fill=1)
        c.setFillColor(black)
        c.setStrokeColor(black)
        letter = max(m.font, diamond * 0.36)
        pen.text(cx - pen.width(code, letter) / 2, cy - letter * 0.35, code, letter, bold=True)
        name = HAZARD_NAMES[code]
        pen.text(cx - pen.width(name, m.font) / 2, cy - half - m.font, name, m.font)


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The symbol as black squares on a white square (the quiet zone), `size` mm wide."""
    qr = qr_for(url)
    modules = qr.symbol_size(border=QR_BORDER)[0]
    step = size / modules
    canvas.setFillColor(white)
    canvas.rect(x * mm, y * mm, size * mm, size * mm, stroke=0, fill=1)
    canvas.setFillColor(black)
    for r, row in enumerate(qr.matrix):
        top = y + size - (r + QR_BORDER + 1) * step
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            left = x + (start + QR_BORDER) * step
            # a hair of overlap so that adjacent squares print without seams
            canvas.rect(
                left * mm,
                top * mm,
                ((col - start) * step + 0.01) * mm,
                (step + 0.01) * mm,
                stroke=0,
                fill=1,
            )


def _draw_label(canvas: Canvas, content: LabelContent) -> None:
    m = _metrics(content)
    pen = _Pen(canvas, content, cjk_font())
    side, pad, u = m.side, m.pad, m.unit
    canvas.setPageSize((side * mm, side * mm))
    canvas.setFillColor(ORANGE)
    canvas.rect(0, 0, side * mm, side * mm, stroke=0, fill=1)
    canvas.setStrokeColor(black)
    canvas.setLineWidth(BORDER_MM * mm)
    inset = BORDER_MM / 2
    canvas.rect(inset * mm, inset * mm, (side - BORDER_MM) * mm, (side - BORDER_MM) * mm)
    canvas.setFillColor(black)

    title = max(2 * m.font, 7 * u)
    title_base = side - pad - title * GLYPH_RATIO
    pen.text((side - pen.width(TITLE, title)) / 2, title_base, TITLE, title, bold=True)
    rule = title_base - title * 0.3
    canvas.setLineWidth(0.4 * mm)
    canvas.line(pad * mm, rule * mm, (side - pad) * mm, rule * mm)

    inner = side - 2 * pad
    bottom = [(name, content.value(name)) for name in BOTTOM_FIELDS]
    bottom_lines = _field_lines(pen, bottom, m, inner, len(bottom))
    code_line = f"{CODE_FIELD}：{content.code}"
    if pen.width(code_line, m.font) <= inner:
        bottom_lines.append((code_line, False))
    else:
        assert pen.width(content.code, m.font) <= inner, "the code must fit one line"
        bottom_lines += [(f"{CODE_FIELD}：", False), (content.code, False)]
    bottom_top = pad + len(bottom_lines) * m.pitch
    _draw_lines(pen, bottom_lines, pad, bottom_top, inner, m)

    top = rule - u * 1.5
    qr_size = m.right
    qr_y = bottom_top + u
    _draw_qr(canvas, content.url, side - pad - qr_size, qr_y, qr_size)
    _draw_pictograms(
        pen,
        content.characteristics,
        side - pad - m.right,
        top,
        m.right,
        top - (qr_y + qr_size) - u,
        m,
    )

    left_width = inner - m.right - 2 * u
    body = [(n, v) for n, v in content.fields if n not in BOTTOM_FIELDS]
    capacity = int((top - bottom_top - u) / m.pitch)
    _draw_lines(pen, _field_lines(pen, body, m, left_width, capacity), pad, top, left_width, m)


def _render(contents: Iterable[LabelContent], *, title: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, pageCompression=1)
    canvas.setTitle(title)
    canvas.setSubject("HJ 1276-2022 危险废物标签")
    canvas.setCreator("Wufei")
    pages = 0
    for content in contents:
        for _copy in range(content.size.labels_per_container):
            _draw_label(canvas, content)
            canvas.showPage()
            pages += 1
    if not pages:
        raise ValueError("no label to print")
    canvas.save()
    return buffer.getvalue()


def label_pdf(container: Container, *, base_url: str, details: LabelDetails | None = None) -> bytes:
    """The label(s) of one container: one page, two for a container of more than 450 L."""
    content = label_content(container, base_url=base_url, details=details)
    return _render([content], title=container.code)


def label_pdf_batch(
    containers: Iterable[Container], *, base_url: str, details: LabelDetails | None = None
) -> bytes:
    """The labels of several containers, one page each (two over 450 L), in the given order."""
    contents = [label_content(c, base_url=base_url, details=details) for c in containers]
    return _render(contents, title=f"{len(contents)} labels")
