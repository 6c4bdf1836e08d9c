from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from tests.ledger.labels_world import build_shipment, build_world
from wufei.ledger.containers import container_register, container_register_batch
from wufei.ledger.label_content import LabelDetails, label_content
from wufei.ledger.labels import label_pdf, label_pdf_batch, qr_for


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def shipped(world):
    return build_shipment(world)


BASE = "https://wufei.example.org"


def pages(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).pages


def side_mm(page) -> tuple[float, float]:
    box = page.mediabox
    return round(float(box.width) / mm, 1), round(float(box.height) / mm, 1)


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pages(pdf))


def register(w, volume: str, **kw):
    return container_register(
        actor=w.alice,
        organisation=w.producer,
        waste_code=w.oil,
        container_type="桶",
        volume_l=Decimal(volume),
        generated_on=w.today,
        **kw,
    )


@pytest.mark.parametrize(
    ("volume", "side", "count"),
    [("20", 100.0, 1), ("50", 100.0, 1), ("200", 150.0, 1), ("450", 150.0, 1), ("1000", 200.0, 2)],
)
def test_page_is_the_minimum_label_size_for_the_volume(world, volume, side, count):
    pdf = label_pdf(register(world, volume), base_url=BASE)
    assert [side_mm(p) for p in pages(pdf)] == [(side, side)] * count


def test_label_carries_the_code_and_chinese_fields_as_text(world):
    text = text_of(label_pdf(world.drum, base_url=BASE))
    assert "危险废物" in text
    assert world.drum.code in text.replace(" ", "").replace("\n", "")
    for field in ("废物名称", "废物类别", "废物代码", "危险特性", "产生/收集单位", "数字识别码"):
        assert field in text
    assert "900-249-08" in text
    assert "甲化工有限公司" in text
    assert "毒性" in text and "易燃性" in text


def test_qr_code_holds_the_public_scan_url(world):
    content = label_content(world.drum, base_url=BASE + "/")
    assert content.url == f"{BASE}/c/{world.drum.code}/"
    qr = qr_for(content.url)
    assert not qr.is_micro
    assert qr.error == "M"
    # segno encodes the exact URL: the same input gives the same matrix, a different one not
    assert qr.matrix == qr_for(f"{BASE}/c/{world.drum.code}/").matrix
    assert qr.matrix != qr_for(f"{BASE}/c/{world.drum.code}x/").matrix


def test_ledger_and_printing_details_fill_the_label(shipped):
    w = shipped
    details = LabelDetails(physical_form="液态", main_components="矿物油", remarks="勿倒置")
    content = label_content(w.drum, base_url=BASE, details=details)
    assert content.value("废物名称") == "废机油"  # the generation event's name
    assert content.value("废物重量") == "12.500 kg"
    assert content.value("联系人和联系方式") == "王师傅 0571-8600 1234"
    assert content.value("废物形态") == "液态"
    text = text_of(label_pdf(w.drum, base_url=BASE, details=details))
    assert "废机油" in text and "12.500 kg" in text and "勿倒置" in text


def test_without_ledger_event_the_catalog_description_names_the_waste(world):
    content = label_content(world.drum, base_url=BASE)
    assert content.value("废物名称") == world.oil.description
    assert content.value("废物重量") == ""
    assert content.value("废物类别") == "HW08 废矿物油与含矿物油废物"


def test_long_values_never_overflow_the_label(world):
    long = "含重金属" * 40
    pdf = label_pdf(
        world.drum,
        base_url=BASE,
        details=LabelDetails(main_components=long, harmful_components=long, precautions=long),
    )
    assert len(pages(pdf)) == 1
    assert "…" in text_of(pdf)


def test_batch_pdf_has_one_page_per_container_in_order(world):
    batch = container_register_batch(
        actor=world.alice,
        organisation=world.producer,
        waste_code=world.oil,
        container_type="吨袋",
        volume_l=Decimal("30"),
        generated_on=world.today - timedelta(days=1),
        count=3,
    )
    pdf = label_pdf_batch(batch, base_url=BASE)
    found = pages(pdf)
    assert len(found) == 3
    for page, container in zip(found, batch, strict=True):
        assert side_mm(page) == (100.0, 100.0)
        assert container.code in page.extract_text().replace("\n", "")


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs poppler-utils and zbar-tools to print and scan the label",
)
@pytest.mark.parametrize("volume", ["20", "200", "1000"])
def test_the_printed_qr_code_scans_to_the_url(world, tmp_path, volume):
    """Render the label as a 150 dpi image (a cheap printer) and read it like a phone would."""
    container = register(world, volume)
    pdf = tmp_path / "label.pdf"
    pdf.write_bytes(label_pdf(container, base_url=BASE))
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],  # noqa: S607
        check=True,
    )
    [image] = tmp_path.glob("p*.png")
    scanned = subprocess.run(  # noqa: S603
        ["zbarimg", "-q", "--raw", str(image)],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    assert scanned.stdout.strip() == f"{BASE}/c/{container.code}/"
