"""In Chromium: one manifest from creation to treatment across four accounts — the shipper
fills the form and signs, the driver signs pick-up and delivery on a phone-sized screen, the
receiver weighs and records the treatment, a regulator opens the history — and the copy of
record of the last signature carries the manifest number and the hash shown on the page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.browser_harness import log_in
from tests.transfer.network import build_network
from wufei.transfer.models import Manifest, Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def walk_net(transactional_db: Any) -> Any:
    call_command("load_catalogs", verbosity=0)
    return build_network()


def sign(pg: Any, step: str) -> None:
    pg.click(f"[data-testid=step-{step}]")
    pg.wait_for_load_state()


def test_one_manifest_from_creation_to_treatment_in_the_browser(
    page: Any,
    browser: Any,
    live_server: Any,
    walk_net: Any,
    artifacts: Path,
) -> None:
    net, base = walk_net, live_server.url

    log_in(page, base, "alice")
    page.click("nav >> text=联单")
    page.click("[data-testid=new-manifest]")
    page.select_option("#id_shipper_facility", str(net.gen.pk))
    page.select_option("#id_receiver_facility", str(net.kiln.pk))
    page.fill("#id_lines-0-waste_code", "900-249-08")
    page.fill("#id_lines-0-waste_name", "废矿物油")
    page.select_option("#id_lines-0-physical_form", "液态")
    page.fill("#id_lines-0-packaging", "铁桶")
    page.fill("#id_lines-0-weight", "250")
    page.select_option("#id_lines-0-containers", [str(c.pk) for c in net.containers])
    page.select_option("#id_carriers-0-carrier", str(net.carrier.pk))
    page.fill("#id_carriers-0-vehicle_plate", net.truck.plate_number)
    page.select_option("#id_carriers-0-licence", str(net.licence.pk))
    page.click("[data-testid=create]")
    page.wait_for_selector("[data-testid=number]")
    number = page.inner_text("[data-testid=number]")
    page.click("[data-testid=go-sign]")
    sign(page, "sign_shipper")
    assert Manifest.objects.get(number=number).status == "ready"

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    driver = phone.new_page()
    log_in(driver, base, "dave")
    driver.goto(f"{base}/manifests/?tab=to_sign")
    driver.click(f"text={number}")
    driver.click("[data-testid=go-sign]")
    assert driver.locator("[data-testid=step-accept]").count() == 0
    sign(driver, "sign_pickup")
    sign(driver, "sign_delivery")
    driver.screenshot(path=str(artifacts / "manifest-driver-phone.png"), full_page=True)
    phone.close()

    log_in(page, base, "rita")
    page.goto(f"{base}/manifests/{number}/sign/")
    page.fill("#received_1", "248.5")
    sign(page, "accept")
    sign(page, "record_treatment")
    assert Manifest.objects.get(number=number).status == "treated"

    log_in(page, base, "reg108")
    page.goto(f"{base}/manifests/{number}/")
    timeline = page.inner_text("[data-testid=signatures]")
    last = Signature.objects.filter(manifest__number=number).order_by("signed_at").last()
    assert last is not None and last.content_hash in timeline
    assert timeline.count("\n") >= 4
    page.screenshot(path=str(artifacts / "manifest-history.png"), full_page=True)
    href = page.locator("[data-testid=copy-5]").get_attribute("href")
    pdf = page.request.get(f"{base}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert number in text and last.content_hash in text and "萧山处置" in text
