"""The bulletin as a Word document (python-docx): title, sections, one table per stream, the
capacity and facility tables. Chinese runs carry an East Asian font (w:eastAsia = 宋体, headings
黑体) so that Word sets them in SimSun/SimHei rather than a Latin fallback. Each stream's bar
chart is a PNG drawn by `bulletin_chart` (Word takes raster images; the PDF draws vectors)."""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.run import Run

from wufei.bulletin.bulletin_chart import bar_chart_png
from wufei.bulletin.bulletin_content import Table, bulletin_document
from wufei.bulletin.models import Bulletin

BODY_FONT, BODY_LATIN = "宋体", "SimSun"
HEADING_FONT, HEADING_LATIN = "黑体", "SimHei"


def _east_asian(run: Run, east_asian: str, latin: str) -> None:
    run.font.name = latin
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _style_fonts(doc: DocxDocument) -> None:
    for name, east, latin in (
        ("Normal", BODY_FONT, BODY_LATIN),
        ("Title", HEADING_FONT, HEADING_LATIN),
        ("Heading 1", HEADING_FONT, HEADING_LATIN),
        ("Heading 2", HEADING_FONT, HEADING_LATIN),
    ):
        style = doc.styles[name]
        style.font.name = latin
        r_pr = style.element.get_or_add_rPr()
        r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), east)


def _paragraph(doc: DocxDocument, text: str, *, size: float = 12) -> None:
    para = doc.add_paragraph()
    para.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
    run = para.add_run(text)
    run.font.size = Pt(size)
    _east_asian(run, BODY_FONT, BODY_LATIN)


def _heading(doc: DocxDocument, text: str, level: int) -> None:
    run = doc.add_heading(level=level).add_run(text)
    _east_asian(run, HEADING_FONT, HEADING_LATIN)


def _table(doc: DocxDocument, table: Table) -> None:
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _east_asian(run, HEADING_FONT, HEADING_LATIN)
    for values in table.rows:
        cells = grid.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            para = cell.paragraphs[0]
            if i > 0:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _east_asian(para.add_run(text), BODY_FONT, BODY_LATIN)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    content = bulletin_document(bulletin)
    doc = docx.Document()
    _style_fonts(doc)
    title = doc.add_heading(level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _east_asian(title.add_run(content.title), HEADING_FONT, HEADING_LATIN)
    subtitle = doc.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _east_asian(subtitle.add_run(content.subtitle), BODY_FONT, BODY_LATIN)
    for section in content.sections:
        _heading(doc, section.heading, 2 if section.heading.startswith("（") else 1)
        for text in section.paragraphs:
            _paragraph(doc, text)
        if section.table is not None:
            _table(doc, section.table)
        if section.chart:
            doc.add_picture(io.BytesIO(bar_chart_png(section.chart)), width=Cm(15))
            caption = doc.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _east_asian(caption.add_run(f"图：{section.heading[3:]}（吨）"), BODY_FONT, BODY_LATIN)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
