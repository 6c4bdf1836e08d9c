"""Copies of record for a generated year: small PDFs written directly, thousands per second.

A demo year signs some 35,000 steps at scale 1. The platform's copy of record
(`wufei.transfer.copy_of_record`) draws each one with reportlab and embeds a font subset: about
9 ms and 47 kB a copy, which would make `seed_demo` take minutes and the database gigabytes.
This writer prints the same content — document, number, version, status, parties, carriers,
lines with weights, the signatures so far and the hash signed — as text in one font,
reportlab's fallback: the Adobe CID font STSong-Light, referenced and not embedded
(`wufei.core.pdf` explains the trade-off), in a compressed content stream, so a copy costs
well under a millisecond and about 2 kB. It is a valid PDF whose text extracts exactly.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import Any

from django.utils import translation

from wufei.transfer.copy_of_record import COPY_LANGUAGE, SignatureLine
from wufei.transfer.labels import doc_type_label, status_label, step_label
from wufei.transfer.weights import tonnes_display

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MARGIN = 42.0
SIZE = 8.5
LEADING = 11.5
WIDTH_EM = (PAGE_W - 2 * MARGIN) / SIZE  # full-width characters per line
LINES_PER_PAGE = int((PAGE_H - 2 * MARGIN) / LEADING)
FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    b"/DescendantFonts [4 0 R] >>"
)
CID_FONT = (
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
    b"/FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
)
ESCAPES = ((b"\\", b"\\\\"), (b"(", b"\\("), (b")", b"\\)"), (b"\r", b"\\r"), (b"\n", b"\\n"))
DESCRIPTOR = (
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
    b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
    b"/CapHeight 880 /StemV 93 >>"
)


def _em(text: str) -> float:
    """Width in full-width characters: ASCII is half as wide."""
    return len(text) - len(text.encode("ascii", "ignore")) / 2


@lru_cache(maxsize=8192)
def _wrapped(text: str) -> tuple[str, ...]:
    """A row cut to the page width; most rows recur on each copy of a manifest."""
    return tuple(_wrap(text, "   "))


def _wrap(text: str, indent: str = "") -> Iterator[str]:
    """Lines no wider than the page; each cut is the longest prefix that fits (binary search)."""
    prefix = ""
    while _em(prefix + text) > WIDTH_EM:
        room = WIDTH_EM - _em(prefix)
        low, high = int(room), min(len(text), int(2 * room))  # fits … may not fit
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if _em(text[:mid]) <= room else (low, mid - 1)
        yield prefix + text[:low]
        text, prefix = text[low:], indent
    yield prefix + text


@lru_cache(maxsize=16384)
def _literal(text: str) -> bytes:
    """A PDF literal string of UTF-16BE code units; bytes that PDF reads as syntax or line ends
    (which may be either half of a Chinese character) are escaped."""
    raw = text.encode("utf-16-be")
    for byte, escaped in ESCAPES:
        raw = raw.replace(byte, escaped)
    return b"(" + raw + b")"


@cache
def _label(kind: str, code: str) -> str:
    """A step, status or document type in Chinese, the language of every copy."""
    with translation.override(COPY_LANGUAGE):
        return {"step": step_label, "status": status_label, "doc": doc_type_label}[kind](code)


def _text_lines(
    content: dict[str, Any], signatures: Sequence[SignatureLine], content_hash: str
) -> list[str]:
    """The copy as lines of text, in the order of the platform's copy of record."""
    shipper, receiver = content["shipper"], content["receiver"]
    rows = [
        f"{_label('doc', content['doc_type'])} · 存档副本",
        f"编号 {content['number']} · 版本 {content['version']} · "
        f"状态：{_label('status', content['status'])}",
        f"计划转移日期：{content['planned_on']} · 确认接受期限：{content['receipt_due_on'] or '—'}",
        "【当事方】",
        f"移出人：{shipper['name']}（{shipper['uscc']}），设施 {shipper['facility']} "
        f"{shipper['facility_name']}，区划 {shipper['region']}",
        f"接受人：{receiver['name']}（{receiver['uscc']}），设施 {receiver['facility']} "
        f"{receiver['facility_name']}，区划 {receiver['region']}，"
        f"许可证 {receiver['permit'] or '—'}",
    ]
    if content.get("approval"):
        rows.append(f"跨省转移审批：{content['approval']}")
    for c in content["carriers"]:
        rows.append(
            f"承运人{c['position']}：{c['name']}（{c['uscc']}），车辆 {c['vehicle']}，"
            f"许可证 {c['licence']}，起运 {(c['picked_up_at'] or '—')[:16]}，"
            f"交付 {(c['delivered_at'] or '—')[:16]}"
        )
    rows.append("【危险废物】")
    for line in content["lines"]:
        rows.append(
            f"{line['position']}. {line['waste_code']} {line['waste_name']}，"
            f"特性 {line['hazard_characteristics']}，{line['physical_form']}/{line['packaging']}，"
            f"{line['container_count']}件；填报 {tonnes_display(line['weight_g'])} t，"
            f"过磅 {tonnes_display(line['received_weight_g'])} t，"
            f"接受 {tonnes_display(line['accepted_weight_g'])} t"
        )
        if line["treatment_method"]:
            rows.append(
                f"   利用处置方式 {line['treatment_method']}："
                f"{tonnes_display(line['treated_weight_g'])} t"
            )
        if line["containers"]:
            rows.append("   容器：" + "，".join(line["containers"]))
    rows.append("【签名】")
    for s in signatures:
        position = f" #{s.carrier_position}" if s.carrier_position else ""
        rows.append(
            f"{_label('step', s.action)}{position} · {s.organisation} · {s.signer} · "
            f"{s.signed_at[:19].replace('T', ' ')} · v{s.version} {s.content_hash}"
        )
    rows.append(f"签署内容（规范化JSON）SHA-256：{content_hash}")
    return [part for row in rows for part in _wrapped(row)]


def _page_stream(lines: list[str], page: int, pages: int, footer: str) -> bytes:
    ops = [f"BT /F1 {SIZE} Tf {LEADING} TL {MARGIN} {PAGE_H - MARGIN - SIZE} Td".encode()]
    ops += [_literal(line) + b" Tj T*" for line in lines]
    ops.append(
        f"ET BT /F1 7 Tf {MARGIN} {MARGIN / 2} Td ".encode()
        + _literal(f"{footer} · {page}/{pages}")
        + b" Tj ET"
    )
    return zlib.compress(b"\n".join(ops), 6)


def demo_copy_pdf(
    content: dict[str, Any], *, signatures: Sequence[SignatureLine], content_hash: str
) -> bytes:
    """The copy of record of `content` as signed by the last of `signatures` (a PDF)."""
    with translation.override(COPY_LANGUAGE):
        lines = _text_lines(content, signatures, content_hash)
        title = f"{_label('doc', content['doc_type'])} {content['number']}"
    chunks = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    footer = f"{content['number']} v{content['version']}"
    first_page = 6  # objects 1–5: catalog, pages, font, CID font, descriptor
    kids = " ".join(f"{first_page + 2 * n} 0 R" for n in range(len(chunks)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(chunks)} >>".encode(),
        FONT,
        CID_FONT,
        DESCRIPTOR,
    ]
    for n, chunk in enumerate(chunks):
        stream = _page_stream(chunk, n + 1, len(chunks), footer)
        contents = first_page + 2 * n + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {contents} 0 R >>".encode()
        )
        objects.append(
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
            + stream
            + b"\nendstream"
        )
    info = b"<< /Title " + _literal("\ufeff" + title) + b" /Producer (Wufei demo year) >>"
    objects.append(info)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
