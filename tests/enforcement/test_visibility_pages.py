"""Who sees what (404 otherwise), pages in Chinese and English, exports and the API."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.enforcement.world import enforcement_world, png
from tests.ledger.ledger_world import browser
from tests.registry.factories import api_client
from wufei.accounts.viewer import viewer_for
from wufei.enforcement.cases import case_open
from wufei.enforcement.services import key_units_refresh

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def w() -> SimpleNamespace:
    w = enforcement_world()
    w.case = case_open(
        viewer=viewer_for(w.reg108),
        organisation=w.prod,
        source="finding",
        finding=w.finding,
        legal_basis="swl_112_1_1",
    )
    key_units_refresh(year=YEAR)
    return w


def _status(client: Client, url: str) -> int:
    return client.get(url).status_code


def test_enterprise_sees_only_its_own(w: SimpleNamespace) -> None:
    alice, bob = browser(w.alice), browser(w.bob)
    for url in (
        f"/enforcement/inspections/{w.inspection.pk}/",
        f"/enforcement/findings/{w.finding.pk}/",
        f"/enforcement/cases/{w.case.pk}/",
        f"/enforcement/units/{w.prod.uscc}/credit/",
    ):
        assert _status(alice, url) == 200, url
        assert _status(bob, url) == 404, url
        assert _status(browser(w.reg106), url) == 404, url
        assert _status(browser(w.regcity), url) == 200, url
    # the risk grade and the key-unit list are for regulators
    assert _status(alice, f"/enforcement/units/{w.prod.uscc}/risk/") == 404
    assert _status(alice, "/enforcement/key-units/") == 404
    assert _status(browser(w.reg108), f"/enforcement/units/{w.prod.uscc}/risk/") == 200
    assert w.case.organisation.name not in bob.get("/enforcement/").content.decode()


def test_api_visibility(w: SimpleNamespace) -> None:
    bob, alice = api_client(w.bob), api_client(w.alice)
    assert bob.get(f"/api/v1/enforcement/units/{w.prod.uscc}/credit").status_code == 404
    assert bob.get(f"/api/v1/enforcement/inspections/{w.inspection.pk}").status_code == 404
    assert bob.get("/api/v1/enforcement/findings").json()["count"] == 0
    assert alice.get("/api/v1/enforcement/findings").json()["count"] == 1
    assert alice.get(f"/api/v1/enforcement/units/{w.prod.uscc}/risk").status_code == 404
    reg = api_client(w.reg108)
    risk = reg.get(f"/api/v1/enforcement/units/{w.prod.uscc}/risk").json()
    assert risk["grade"] in "ABCD" and len(risk["factors"]) == 6
    units = reg.get(f"/api/v1/enforcement/key-units?year={YEAR}").json()
    assert w.prod.uscc in {u["uscc"] for u in units["results"]}
    assert (
        api_client(w.reg106).get(f"/api/v1/enforcement/key-units?year={YEAR}").json()["count"] == 0
    )
    url = f"/api/v1/enforcement/findings/{w.finding.pk}/rectify"
    assert bob.post(url, {"note": "x", "photos": [png()]}).status_code == 404
    r = alice.post(url, {"note": "已整改", "photos": [png()]})
    assert r.status_code == 200, r.content
    assert r.json()["rectified_at"]


def test_pages_in_chinese_and_english(w: SimpleNamespace) -> None:
    reg = browser(w.reg108)
    page = reg.get("/enforcement/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "重点监管单位" in page and "风险" in page
    reg.post("/i18n/setlang/", {"language": "en"})
    page = reg.get("/enforcement/").content.decode()
    assert "Key units" in page
    credit = browser(w.alice).get(f"/enforcement/units/{w.prod.uscc}/credit/").content.decode()
    assert "环境信用" in credit and "不是国家标准" in credit


def test_key_unit_exports(w: SimpleNamespace) -> None:
    reg = browser(w.reg108)
    csv_text = reg.get(f"/enforcement/key-units.csv?year={YEAR}").content.decode("utf-8-sig")
    assert w.prod.uscc in csv_text
    book = load_workbook(io.BytesIO(reg.get(f"/enforcement/key-units.xlsx?year={YEAR}").content))
    sheet = book.active
    assert sheet is not None
    assert w.prod.uscc in [row[0] for row in sheet.iter_rows(values_only=True)]


def test_inspection_form_and_rectify_pages(w: SimpleNamespace) -> None:
    reg = browser(w.reg108)
    r = reg.post(f"/enforcement/grids/{w.grid.pk}/", {"month": 1 + (w.prod.pk % 6)})
    assert r.status_code == 302
    assignment = w.grid.assignments.get(organisation=w.prod)
    url = f"/enforcement/assignments/{assignment.pk}/inspect/"
    assert "识别标志" in reg.get(url).content.decode() or reg.get(url).status_code == 200
    assert browser(w.bob).get(url).status_code == 404
    r = reg.post(
        url,
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "check_plan": "fail",
            "severity_plan": "minor",
            "description_plan": "管理计划未备案",
            "due_plan": (timezone.localdate()).isoformat(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    alice = browser(w.alice)
    r = alice.post(f"/enforcement/findings/{w.finding.pk}/", {"note": "已张贴", "photos": [png()]})
    assert r.status_code == 302
    w.finding.refresh_from_db()
    assert w.finding.rectified_at is not None


def test_case_steps_on_page(w: SimpleNamespace) -> None:
    reg = browser(w.reg108)
    url = f"/enforcement/cases/{w.case.pk}/"
    assert browser(w.alice).post(url, {"step": "investigate"}).status_code == 404
    assert reg.post(url, {"step": "investigate"}).status_code == 302
    assert (
        reg.post(url, {"step": "decide", "outcome": "fine", "fine_yuan": "120000"}).status_code
        == 302
    )
    w.case.refresh_from_db()
    assert (w.case.status, w.case.fine_yuan) == ("decided", Decimal("120000"))
