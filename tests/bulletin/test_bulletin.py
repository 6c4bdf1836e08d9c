"""The annual bulletin: snapshot totals = inventory totals = ledger sums, the review → publish
workflow (four-eyes, late publishing), documents, public page, permissions."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from docx import Document
from pypdf import PdfReader

from tests.bulletin.test_inventory import w  # noqa: F401  (the constructed network fixture)
from tests.ledger.ledger_world import KG, browser
from tests.registry import factories as f
from wufei.accounts.viewer import viewer_for
from wufei.bulletin import bulletin_services as s
from wufei.bulletin.inventory import waste_inventory
from wufei.bulletin.models import Bulletin, BulletinStatus
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from wufei.domain.bulletin_snapshot import snapshot_from_json
from wufei.domain.ledger_units import tonnes_text
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.registry.models import PermitKind
from wufei.registry.regions import region_resolve

E = EventKind


def _at(year: int, month: int, day: int) -> datetime:
    from django.utils import timezone

    return datetime(year, month, day, 10, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def b(w):  # noqa: F811
    """The network of the inventory tests, a second regulator and a draft for its year."""
    w.reg108b = f.make_regulator("reg108b", "330108")
    w.region = region_resolve("330108")
    w.bulletin = s.bulletin_draft(
        viewer=viewer_for(w.reg108), region=w.region, year=w.year, now=_at(w.year + 1, 3, 1)
    )
    return w


def _published(world, now=None):
    s.bulletin_submit_review(viewer=viewer_for(world.reg108), bulletin=world.bulletin)
    return s.bulletin_approve_publish(
        viewer=viewer_for(world.reg108b),
        bulletin=world.bulletin,
        now=now or _at(world.year + 1, 5, 20),
    )


def test_totals_equal_inventory_and_ledger(b):
    snapshot = snapshot_from_json(Bulletin.objects.get(pk=b.bulletin.pk).figures)
    inventory = waste_inventory(viewer=viewer_for(b.reg108), region_code="330108", year=b.year)
    assert [(x.code, x.generated, x.utilised, x.disposed, x.stored) for x in snapshot.streams] == [
        (x.code, x.generated, x.utilised, x.disposed, x.stored) for x in inventory.summaries
    ]
    hw = snapshot.stream("hazardous")
    events = LedgerEvent.objects.filter(facility__region__prefix__startswith="330108")
    assert hw.generated == sum(e.quantity_g for e in events.filter(kind=E.GENERATE)) == 700 * KG
    handed = events.filter(kind=E.HAND_OVER)
    treated = events.filter(kind=E.TREAT_IN_HOUSE)
    methods = [
        (e, e.treatment_method.code if e.treatment_method else "") for e in [*handed, *treated]
    ]
    utilised = [e for e, m in methods if m.startswith("R")]
    disposed = [e for e, m in methods if m.startswith("D")]
    assert hw.utilised == sum(e.quantity_g for e in utilised) == 100 * KG
    assert hw.disposed == sum(e.quantity_g for e in disposed) == 150 * KG
    assert hw.stored == 450 * KG
    assert snapshot.stream("general_industrial").generated is None  # nobody entered it


def test_capacities_and_facilities(b):
    snapshot = snapshot_from_json(b.bulletin.figures)
    # make_permit: 30000 t/yr; the licences of 南京 and 萧山 lie outside 330108
    assert snapshot.capacities_g == {}
    plant = f.make_org(name="滨江处置", is_treatment=True)
    f.make_permit(plant)
    f.make_permit(plant, kind=PermitKind.ROAD_HAZMAT)  # not a HW licence
    again = s.bulletin_draft(
        viewer=viewer_for(b.reg108), region=b.region, year=b.year, now=_at(b.year + 1, 3, 2)
    )
    snapshot = snapshot_from_json(again.figures)
    assert again.pk == b.bulletin.pk
    assert snapshot.capacities_g == {"hw_comprehensive": 30_000 * 1_000_000}
    assert snapshot.facilities == {"generation": 2, "in_house_treatment": 1, "storage": 2}


def test_refuses_current_and_future_year(b):
    with pytest.raises(ValidationFailed):
        s.bulletin_draft(
            viewer=viewer_for(b.reg108), region=b.region, year=b.year, now=_at(b.year, 12, 31)
        )


def test_four_eyes_and_states(b):
    reg = viewer_for(b.reg108)
    with pytest.raises(Conflict):
        s.bulletin_approve_publish(viewer=viewer_for(b.reg108b), bulletin=b.bulletin)
    s.bulletin_sections_update(viewer=reg, bulletin=b.bulletin, intro="引言文字", notes="说明文字")
    s.bulletin_submit_review(viewer=reg, bulletin=b.bulletin)
    with pytest.raises(NotPermitted):
        s.bulletin_approve_publish(viewer=reg, bulletin=b.bulletin)
    with pytest.raises(Conflict):
        s.bulletin_sections_update(viewer=reg, bulletin=b.bulletin, intro="x", notes="")
    published = s.bulletin_approve_publish(
        viewer=viewer_for(b.reg108b), bulletin=b.bulletin, now=_at(b.year + 1, 6, 5)
    )
    assert published.status == BulletinStatus.PUBLISHED and not published.published_late
    assert published.published_by == b.reg108b and len(published.pdf_sha256) == 64
    with pytest.raises(Conflict):
        s.bulletin_draft(viewer=reg, region=b.region, year=b.year, now=_at(b.year + 1, 7, 1))
    actions = list(
        AuditEvent.objects.filter(subject_type="bulletin").values_list("action", flat=True)
    )
    assert actions == [
        "bulletin.drafted",
        "bulletin.sections_edited",
        "bulletin.submitted",
        "bulletin.published",
    ]


def test_sent_back_to_draft(b):
    reg = viewer_for(b.reg108)
    s.bulletin_submit_review(viewer=reg, bulletin=b.bulletin)
    with pytest.raises(ValidationFailed):
        s.bulletin_return_to_draft(viewer=viewer_for(b.reg108b), bulletin=b.bulletin, note=" ")
    back = s.bulletin_return_to_draft(
        viewer=viewer_for(b.reg108b), bulletin=b.bulletin, note="补充"
    )
    assert back.status == BulletinStatus.DRAFT


def test_late_publishing_is_recorded(b):
    published = _published(b, now=_at(b.year + 1, 6, 6))
    assert published.published_late
    late = AuditEvent.objects.get(action="bulletin.published")
    assert late.payload["late"] is True


def test_only_regulators_of_the_region_act(b):
    for user in (b.alice, b.reg106, b.nobody):
        with pytest.raises(NotFound):
            s.bulletin_draft(
                viewer=viewer_for(user), region=b.region, year=b.year, now=_at(b.year + 1, 3, 1)
            )
        with pytest.raises(NotFound):
            s.bulletin_submit_review(viewer=viewer_for(user), bulletin=b.bulletin)


def test_documents_carry_region_and_totals(b):
    published = _published(b)
    generated, stored = tonnes_text(700 * KG), tonnes_text(450 * KG)
    doc = Document(io.BytesIO(bytes(published.docx)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "滨江区" in text and generated in cells and stored in cells and generated in text
    assert 'w:eastAsia="宋体"' in doc.element.xml
    images = [p for p in doc.part.related_parts.values() if p.content_type == "image/png"]
    assert len(doc.inline_shapes) == len(images) > 0  # a bar chart per stream with data
    assert any(p.text.startswith("图：") and p.text.endswith("（吨）") for p in doc.paragraphs)
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(published.pdf))).pages)
    assert "滨江区" in pdf and generated in pdf and stored in pdf


@pytest.mark.parametrize("who", ["alice", "reg106", "nobody"])
def test_pages_hidden_from_others(b, who):
    client = browser(getattr(b, who))
    assert client.get(f"/bulletin/{b.bulletin.pk}/").status_code == 404
    assert client.get(f"/bulletin/{b.bulletin.pk}/preview.pdf").status_code == 404
    assert client.post(f"/bulletin/{b.bulletin.pk}/submit/").status_code == 404
    assert Bulletin.objects.get(pk=b.bulletin.pk).status == BulletinStatus.DRAFT


@pytest.mark.parametrize("who", ["reg108", "regcity", "admin"])
def test_regulators_and_admins_see_drafts(b, who):
    client = browser(getattr(b, who))
    assert client.get("/bulletin/").status_code == 200
    page = client.get(f"/bulletin/{b.bulletin.pk}/").content.decode()
    assert "滨江区" in page and tonnes_text(700 * KG) in page
    assert 'data-testid="bulletin-deadline"' in page


def test_workflow_through_pages(b):
    drafter, approver = browser(b.reg108), browser(b.reg108b)
    drafter.post(f"/bulletin/{b.bulletin.pk}/submit/")
    assert "bulletin-publish" not in drafter.get(f"/bulletin/{b.bulletin.pk}/").content.decode()
    drafter.post(f"/bulletin/{b.bulletin.pk}/publish/")
    assert Bulletin.objects.get(pk=b.bulletin.pk).status == BulletinStatus.IN_REVIEW
    assert "bulletin-publish" in approver.get(f"/bulletin/{b.bulletin.pk}/").content.decode()
    approver.post(f"/bulletin/{b.bulletin.pk}/publish/")
    assert Bulletin.objects.get(pk=b.bulletin.pk).status == BulletinStatus.PUBLISHED


def test_public_page_only_once_published(b, client):
    url = f"/bulletin/public/330108/{b.year}/"
    assert client.get(url).status_code == 404
    assert client.get(f"/bulletin/public/330108/{b.year}.pdf").status_code == 404
    _published(b)
    page = client.get(url)
    assert page.status_code == 200
    assert tonnes_text(700 * KG) in page.content.decode()
    pdf = client.get(f"/bulletin/public/330108/{b.year}.pdf")
    stored = Bulletin.objects.get(pk=b.bulletin.pk)
    assert (
        pdf.status_code == 200
        and pdf.content == bytes(stored.pdf or b"")
        and pdf.content[:4] == b"%PDF"
    )
    docx = client.get(f"/bulletin/public/330108/{b.year}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client.get(f"/bulletin/public/330108/{b.year}.exe").status_code == 404
    assert client.get(f"/bulletin/public/330106/{b.year}/").status_code == 404


def test_public_page_is_headed_by_the_bulletins_title(b, client):
    _published(b)
    html = client.get(f"/bulletin/public/330108/{b.year}/").content.decode()
    headings = re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, re.S)
    assert headings == [f"滨江区{b.year}年固体废物污染环境防治信息公告"]


def test_draft_created_from_the_list(b):
    Bulletin.objects.all().delete()
    client = browser(b.reg108)
    response = client.post("/bulletin/new/", {"region": "330108", "year": str(b.year - 1)})
    assert response.status_code == 302
    created = Bulletin.objects.get()
    assert created.year == b.year - 1 and created.status == BulletinStatus.DRAFT
    assert (
        browser(b.reg106).post("/bulletin/new/", {"region": "330108", "year": "2020"}).status_code
        == 404
    )
