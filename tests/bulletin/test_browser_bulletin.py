"""In Chromium: a regulator drafts last year's solid waste bulletin (固体废物污染环境防治信息公告)
and submits it; a second regulator publishes it; an anonymous visitor reads the public page and
downloads the PDF and the DOCX."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from tests.browser_harness import log_in, watch_errors
from tests.bulletin.test_browser_inventory import ledger_network
from tests.ledger.ledger_world import TZ
from tests.registry import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HW_ROW = ["危险废物", "0.700", "0.100", "0.150", "0.450", "危险废物管理台账"]
INTRO = "本公告由滨江区生态环境分局依据台账数据编制。"


@pytest.fixture
def network(transactional_db: Any) -> SimpleNamespace:
    """The inventory network with its events in June of last year (a bulletin covers a finished
    year) and a second regulator of 滨江区 to approve."""
    call_command("load_catalogs", verbosity=0)
    last_year = timezone.localdate().year - 1
    w = ledger_network(datetime(last_year, 6, 20, 9, tzinfo=TZ))
    w.reg108b = f.make_regulator("reg108b", "330108")
    return w


def hazardous_summary(pg: Any) -> list[str]:
    """The 危险废物 row of section 一's table: stream, generated, utilised, disposed, stored and
    source."""
    summary = pg.locator("[data-testid=bulletin-document] table").first
    row = summary.locator("tbody tr", has_text="危险废物")
    cells: list[str] = row.locator("td").all_inner_texts()
    return cells


def test_draft_submit_publish_and_read_in_public(
    page: Any, live_server: Any, network: SimpleNamespace, artifacts: Path
) -> None:
    errors = watch_errors(page)
    base = live_server.url
    year = network.year
    region_year = f"滨江区{year}年固体废物污染环境防治信息公告"

    # The drafter: from the list, draft last year's bulletin, write an introduction, submit.
    log_in(page, base, "reg108")
    page.goto(f"{base}/bulletin/")
    assert page.inner_text("main h1") == "固体废物信息公告"
    assert "暂无公告。" in page.inner_text("[data-testid=bulletin-list]")
    create = page.locator("[data-testid=bulletin-create]")
    create.locator("select[name=region]").select_option("330108")
    create.locator("select[name=year]").select_option(str(year))
    create.locator("button[type=submit]").click()
    page.wait_for_url("**/bulletin/*/")
    assert page.inner_text("main h1") == f"固体废物信息公告 — 滨江区 {year}"
    assert "草稿" in page.inner_text("[data-testid=bulletin-status]")
    assert f"{year + 1}-06-05" in page.inner_text("[data-testid=bulletin-deadline]")
    assert page.inner_text("[data-testid=bulletin-document] h2") == region_year
    assert hazardous_summary(page) == HW_ROW

    sections = page.locator("[data-testid=bulletin-sections]")
    sections.locator("textarea[name=intro]").fill(INTRO)
    sections.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert INTRO in page.inner_text("[data-testid=bulletin-document]")
    page.click("[data-testid=bulletin-submit]")
    page.wait_for_load_state()
    assert "审核中" in page.inner_text("[data-testid=bulletin-status]")
    assert page.locator("[data-testid=bulletin-publish]").count() == 0  # four eyes
    assert "起草人不能发布" in page.inner_text("main .actions")
    detail = page.url

    # The approver: another regulator of the region publishes it.
    log_in(page, base, "reg108b")
    page.goto(f"{base}/bulletin/")
    listed = page.locator("[data-testid=bulletin-list] tbody tr", has_text="滨江区")
    assert "审核中" in listed.inner_text()
    listed.locator("a").first.click()
    page.wait_for_url(detail)
    page.click("[data-testid=bulletin-publish]")
    page.wait_for_load_state()
    status = page.inner_text("[data-testid=bulletin-status]")
    assert "已发布" in status
    page.click("nav.mainnav .navmore > summary")  # the entry waits behind "更多"
    assert page.inner_text("nav.mainnav a.active") == "固体废物信息公告"
    page.keyboard.press("Escape")
    assert "已发布" in page.inner_text("[data-testid=bulletin-deadline]")
    assert page.locator("[data-testid=bulletin-submit]").count() == 0
    page.screenshot(path=str(artifacts / "bulletin-detail-published.png"), full_page=True)
    public_url = page.get_attribute("[data-testid=bulletin-public-link]", "href")
    assert public_url == f"/bulletin/public/330108/{year}/"

    # Anyone, logged in or not, reads the published bulletin and downloads it.
    page.context.clear_cookies()
    page.goto(f"{base}{public_url}")
    assert page.title().startswith(region_year)
    document = page.inner_text("[data-testid=bulletin-document]")
    assert region_year in document and INTRO in document
    assert "产生量0.700吨；利用量0.100吨；处置量0.150吨；贮存量0.450吨" in document
    assert hazardous_summary(page) == HW_ROW
    page.screenshot(path=str(artifacts / "bulletin-public.png"), full_page=True)

    downloads = page.locator("[data-testid=bulletin-downloads]")
    with page.expect_download() as pdf_info:
        downloads.locator("a", has_text="PDF").click()
    pdf_path = artifacts / "bulletin-public.pdf"
    pdf_info.value.save_as(str(pdf_path))
    assert pdf_info.value.suggested_filename == f"bulletin-330108-{year}.pdf"
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000

    with page.expect_download() as docx_info:
        downloads.locator("a", has_text="DOCX").click()
    assert docx_info.value.suggested_filename == f"bulletin-330108-{year}.docx"
    docx_path = artifacts / "bulletin-public.docx"
    docx_info.value.save_as(str(docx_path))
    doc = Document(io.BytesIO(docx_path.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert region_year in text and INTRO in text
    assert "产生量0.700吨" in text and "0.450" in cells
    assert errors == []
