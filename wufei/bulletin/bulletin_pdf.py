"""The bulletin as PDF (reportlab platypus): the embedded CJK font of `wufei.core.pdf`, CJK line
breaking, tables, and a bar chart per stream drawn with reportlab graphics (vector, in tonnes)."""

from __future__ import annotations

import io

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from wufei.bulletin.bulletin_content import Table, bulletin_document
from wufei.bulletin.models import Bulletin
from wufei.core.pdf import cjk_font
from wufei.domain.ledger_units import tonnes_exact


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, alignment=1),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=1, spaceAfter=8),
        "h1": ParagraphStyle(
            "h1", parent=base, fontSize=13, leading=20, spaceBefore=8, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=11.5, leading=18, spaceBefore=4, keepWithNext=1
        ),
        "num": ParagraphStyle("num", parent=base, fontSize=9, leading=12, alignment=2),
        "caption": ParagraphStyle("caption", parent=base, fontSize=9, leading=12),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=21),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
    }


def _table(table: Table, styles: dict[str, ParagraphStyle]) -> PdfTable:
    def cell(text: str) -> Paragraph:
        return Paragraph(text, styles["num" if text[:1].isdigit() else "cell"])

    data = [[Paragraph(text, styles["cell"]) for text in table.header]]
    data += [[cell(text) for text in row] for row in table.rows]
    grid = PdfTable(data, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return grid


def _chart(bars: list[tuple[str, int]], font: str) -> Drawing:
    drawing = Drawing(120 * mm, 45 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = int(14 * mm), int(8 * mm)
    chart.width, chart.height = int(95 * mm), int(33 * mm)
    chart.data = [[float(tonnes_exact(g)) for _, g in bars]]  # drawing only
    chart.categoryAxis.categoryNames = [label for label, _ in bars]
    chart.categoryAxis.labels.fontName = font
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#2f6f4e")
    drawing.add(chart)
    return drawing


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    content = bulletin_document(bulletin)
    font = cjk_font()
    styles = _styles(font)
    story: list[object] = [
        Paragraph(content.title, styles["title"]),
        Paragraph(content.subtitle, styles["subtitle"]),
    ]
    for section in content.sections:
        story.append(
            Paragraph(section.heading, styles["h2" if section.heading[0] == "（" else "h1"])
        )
        story += [Paragraph(text, styles["body"]) for text in section.paragraphs]
        if section.table is not None:
            gap = [Spacer(1, 2 * mm)] if section.paragraphs else []  # keep a heading with it
            story += [*gap, _table(section.table, styles)]
        if section.chart:
            caption = Paragraph(f"图：{section.heading[3:]}（吨）", styles["caption"])
            story += [Spacer(1, 2 * mm), _chart(section.chart, font), caption]
        story.append(Spacer(1, 3 * mm))

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{content.footer} · {doc.page}")

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, title=content.title
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)  # type: ignore[arg-type]
    return out.getvalue()
