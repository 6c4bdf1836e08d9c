"""The ledger test world plus a grid of 滨江区 and a recorded inspection with one finding."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.ledger.ledger_world import build_world, record
from wufei.accounts.viewer import viewer_for
from wufei.enforcement.services import FindingInput, grid_create, inspection_record
from wufei.ledger.models import EventKind
from wufei.registry.regions import region_resolve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def png(name: str = "a.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def enforcement_world() -> SimpleNamespace:
    w = build_world()
    record(w, EventKind.GENERATE)
    w.grid = grid_create(
        viewer=viewer_for(w.reg108),
        name="滨江网格",
        region=region_resolve("330108"),
        inspectors=[w.reg108],
    )
    w.inspection = inspection_record(
        viewer=viewer_for(w.reg108),
        organisation=w.prod,
        visited_at=timezone.now() - timedelta(hours=1),
        checklist={"ledger": "ok", "labels": "fail"},
        findings=[
            FindingInput(
                item="labels",
                severity="major",
                description="贮存库未设置识别标志",
                rectification_due=timezone.localdate() + timedelta(days=10),
            )
        ],
        photos=[png()],
    )
    w.finding = w.inspection.findings.get()
    return w
