"""The human-readable copy of record (PDF) produced by every signature.

One A4 document per signature: the manifest as signed — parties, carriers, lines and weights —
the signatures so far, and the SHA-256 of the exact content signed, so that a printed copy can be
checked against the system. It is drawn directly on a reportlab canvas with the embedded CJK
font (registered once per process by `wufei.core.pdf.cjk_font`, subset to the glyphs used), in
Chinese, the language of the regulation, whatever the signer's interface language: cheap enough
to render inside the signing transaction.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from wufei.core.pdf import cjk_font
from wufei.transfer.labels import doc_type_label, status_label, step_label
from wufei.transfer.weights import tonnes_display

WIDTH, HEIGHT = A4
MARGIN = 14 * mm
LINE = 4.6 * mm
COPY_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class SignatureLine:
    """One signature as printed on a copy: the step, who, when, and the hash signed."""

    action: str
    party: str
    carrier_position: int | None
    organisation: str
    signer: str
    signed_at: str
    version: int
    content_hash: str


class _Page:
    """A cursor on the canvas that starts a new page when the current one is full."""

    def __init__(self, canvas: Canvas, font: str, footer: str) -> None:
        self.canvas, self.font, self.footer = canvas, font, footer
        self.page = 1
        self.y = HEIGHT - MARGIN

    def _new_page(self) -> None:
        self._draw_footer()
        self.canvas.showPage()
        self.page += 1
        self.y = HEIGHT - MARGIN

    def _draw_footer(self) -> None:
        self.canvas.setFont(self.font, 7)
        self.canvas.drawString(MARGIN, MARGIN / 2, f"{self.footer} · {self.page}")

    def need(self, height: float) -> None:
        if self.y - height < MARGIN:
            self._new_page()

    def text(self, value: str, *, size: float = 9, x: float = MARGIN, width: float = 0) -> None:
        width = width or WIDTH - x - MARGIN
        for part in simpleSplit(value, self.font, size, width) or [""]:
            self.need(LINE)
            self.canvas.setFont(self.font, size)
            self.canvas.drawString(x, self.y - size, part)
            self.y -= max(LINE, size * 1.35)

    def heading(self, value: str) -> None:
        self.need(3 * LINE)
        self.y -= LINE / 2
        self.text(value, size=11)
        self.canvas.setLineWidth(0.4)
        self.canvas.line(MARGIN, self.y + 1, WIDTH - MARGIN, self.y + 1)
        self.y -= LINE / 3

    def row(self, cells: Sequence[str], widths: Sequence[float], *, size: float = 8) -> None:
        """One table row; each cell wraps within its column."""
        split = [
            simpleSplit(c, self.font, size, w - 2) or [""]
            for c, w in zip(cells, widths, strict=True)
        ]
        height = max(len(s) for s in split) * size * 1.3 + 2
        self.need(height)
        self.canvas.setFont(self.font, size)
        x = MARGIN
        for parts, w in zip(split, widths, strict=True):
            for n, part in enumerate(parts):
                self.canvas.drawString(x + 1, self.y - size - n * size * 1.3, part)
            x += w
        self.y -= height
        self.canvas.setLineWidth(0.2)
        self.canvas.line(MARGIN, self.y + 1, WIDTH - MARGIN, self.y + 1)

    def finish(self) -> None:
        self._draw_footer()


def _local(moment: str | None) -> str:
    """An ISO time of the content, in the platform's time zone, to the minute."""
    if not moment:
        return "—"
    value = datetime.fromisoformat(moment)
    return value.astimezone(timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")


def _parties(page: _Page, content: dict[str, Any]) -> None:
    shipper, receiver = content["shipper"], content["receiver"]
    page.heading(_("Parties"))
    page.text(
        _(
            "Shipper: %(name)s (%(uscc)s), facility %(facility)s %(facility_name)s, "
            "region %(region)s"
        )
        % shipper
    )
    page.text(
        _(
            "Receiver: %(name)s (%(uscc)s), facility %(facility)s %(facility_name)s, "
            "region %(region)s, licence %(permit)s"
        )
        % {**receiver, "permit": receiver["permit"] or "—"}
    )
    if content.get("approval"):
        page.text(_("Cross-province approval: %(number)s") % {"number": content["approval"]})
    widths = [10 * mm, 62 * mm, 28 * mm, 38 * mm, 44 * mm]
    page.row(["#", _("Carrier"), _("Vehicle"), _("Licence"), _("Picked up / delivered")], widths)
    for c in content["carriers"]:
        page.row(
            [
                str(c["position"]),
                f"{c['name']} ({c['uscc']})",
                c["vehicle"],
                c["licence"],
                f"{_local(c['picked_up_at'])} / {_local(c['delivered_at'])}",
            ],
            widths,
        )


def _lines(page: _Page, content: dict[str, Any]) -> None:
    page.heading(_("Waste"))
    widths = [8 * mm, 20 * mm, 40 * mm, 14 * mm, 26 * mm, 12 * mm, 22 * mm, 20 * mm, 20 * mm]
    page.row(
        [
            "#",
            _("Code"),
            _("Name"),
            _("Characteristics"),
            _("Form / packaging"),
            _("Containers"),
            _("Declared (t)"),
            _("Received (t)"),
            _("Accepted (t)"),
        ],
        widths,
    )
    for line in content["lines"]:
        page.row(
            [
                str(line["position"]),
                line["waste_code"],
                line["waste_name"],
                line["hazard_characteristics"],
                f"{line['physical_form']} / {line['packaging']}",
                str(line["container_count"]),
                tonnes_display(line["weight_g"]),
                tonnes_display(line["received_weight_g"]),
                tonnes_display(line["accepted_weight_g"]),
            ],
            widths,
        )
        if line["treatment_method"]:
            page.text(
                _("Line %(position)s treated by %(method)s: %(weight)s t")
                % {
                    "position": line["position"],
                    "method": line["treatment_method"],
                    "weight": tonnes_display(line["treated_weight_g"]),
                },
                size=8,
            )
        if line["containers"]:
            page.text(_("Containers: %(codes)s") % {"codes": ", ".join(line["containers"])}, size=7)


def _signatures(page: _Page, signatures: Sequence[SignatureLine]) -> None:
    page.heading(_("Signatures"))
    widths = [26 * mm, 44 * mm, 22 * mm, 30 * mm, 60 * mm]
    page.row([_("Step"), _("Party"), _("Signer"), _("Time"), _("Content hash (SHA-256)")], widths)
    for s in signatures:
        page.row(
            [
                step_label(s.action) + (f" #{s.carrier_position}" if s.carrier_position else ""),
                s.organisation,
                s.signer,
                s.signed_at[:19].replace("T", " "),
                f"v{s.version} {s.content_hash[:32]} {s.content_hash[32:]}",
            ],
            widths,
            size=7,
        )


def copy_of_record_render(
    content: dict[str, Any], *, signatures: Sequence[SignatureLine], content_hash: str
) -> bytes:
    """The PDF copy of record of `content`, signed by the last of `signatures`."""
    with translation.override(COPY_LANGUAGE):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, pageCompression=0, invariant=True)
        font = cjk_font()
        title = doc_type_label(content["doc_type"])
        canvas.setTitle(f"{title} {content['number']}")
        page = _Page(canvas, font, f"{content['number']} v{content['version']}")
        page.text(_("%(title)s · copy of record") % {"title": title}, size=15)
        page.text(
            _("No. %(number)s · version %(version)s · status: %(status)s")
            % {
                "number": content["number"],
                "version": content["version"],
                "status": status_label(content["status"]),
            },
            size=10,
        )
        page.text(
            _("Planned transfer date: %(day)s · receipt due: %(due)s")
            % {"day": content["planned_on"], "due": content["receipt_due_on"] or "—"}
        )
        _parties(page, content)
        _lines(page, content)
        if content["emergency_measures"]:
            page.heading(_("Emergency measures"))
            page.text(content["emergency_measures"])
        _signatures(page, signatures)
        page.heading(_("Content hash"))
        page.text(
            _("SHA-256 of the content signed (canonical JSON): %(hash)s") % {"hash": content_hash},
            size=8,
        )
        page.finish()
        canvas.save()
        return buffer.getvalue()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
