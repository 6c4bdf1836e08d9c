"""The catalog pages, as a signed-in person sees them (in Chinese by default)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wufei.accounts.models import User
from wufei.catalog.models import HazardousCode

pytestmark = pytest.mark.django_db

LIST = reverse("catalog:hazardous_list")


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[ >].*?</tr>", body, flags=re.S)


def test_pages_require_a_signed_in_user(db: None) -> None:
    for name in ["hazardous_list", "exemption_list", "class_list", "treatment_list"]:
        response = Client().get(reverse(f"catalog:{name}"))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_list_searches_and_shows_the_results(browser: Client) -> None:
    response = browser.get(LIST, {"q": "废矿物油"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html and 'type="search"' in html and 'hx-get="' in html
    assert "代码、类别或名称" in html  # the placeholder, in Chinese
    assert "900-249-08" in html and "HW08" in html
    count = len(rows(html))
    assert count >= 10
    assert re.search(r"共 \d+ 条", html)
    assert '<span class="hz hz-T">T</span><span class="hz hz-I">I</span>' in html
    assert 'data-label="废物代码"' in html  # labelled cells for phones
    assert "豁免" in html  # 900-249-08 has an exemption


def test_an_htmx_request_gets_only_the_results(browser: Client) -> None:
    response = browser.get(LIST, {"q": "900-249-08"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "共 1 条" in html
    assert len(rows(html)) == 1
    assert response["Vary"] and "HX-Request" in response["Vary"]
    # A history restore needs the whole page.
    restore = browser.get(
        LIST, {"q": "900"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def test_the_list_pages_by_fifty(browser: Client) -> None:
    first = browser.get(LIST).content.decode()
    assert len(rows(first)) == 50 and "共 467 条" in first
    assert "page=2" in first
    last = browser.get(LIST, {"page": 10}).content.decode()
    assert len(rows(last)) == 17


def test_filters_by_category_and_characteristic(browser: Client) -> None:
    html = browser.get(LIST, {"category": "HW01", "characteristic": "In"}).content.decode()
    assert "共 3 条" in html
    assert '<option value="HW01" selected>' in html


def test_nothing_found_says_so(browser: Client) -> None:
    html = browser.get(LIST, {"q": "不存在的废物名称"}).content.decode()
    assert "共 0 条" in html and "没有匹配的代码" in html


def test_an_unknown_edition_is_not_found(browser: Client) -> None:
    assert browser.get(LIST, {"edition": "1999"}).status_code == 404


def test_the_detail_page_shows_the_code_and_its_exemptions(browser: Client) -> None:
    response = browser.get(reverse("catalog:hazardous_detail", args=["841-001-01"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "841-001-01" in html and "感染性废物" in html and "HW01" in html
    assert '<span class="hz hz-In">In</span> 感染性' in html
    assert "国家危险废物名录（2021年版）" in html and "第15号" in html
    assert "床位总数在19张以下" in html  # item 2, via the category HW01
    assert "HJ/T276" in html  # item 3, naming the code itself
    assert "现已不在施行期" in html  # the 2021 edition ended on 2024-12-31

    missing = browser.get(reverse("catalog:hazardous_detail", args=["999-999-99"]))
    assert missing.status_code == 404


def test_the_exemption_page_lists_every_condition(browser: Client) -> None:
    html = browser.get(reverse("catalog:exemption_list")).content.decode()
    assert len(rows(html)) == 57
    assert "生活垃圾中的危险废物" in html
    assert reverse("catalog:hazardous_detail", args=["900-041-49"]) in html


def test_the_class_page_has_a_tab_per_stream_and_marks_unverified(browser: Client) -> None:
    html = browser.get(reverse("catalog:class_list")).content.decode()
    for label in ["一般工业固体废物", "生活垃圾", "建筑垃圾", "医疗废物", "农业固体废物"]:
        assert label in html
    assert "SW01" in html and "未核实" in html

    household = browser.get(reverse("catalog:class_list"), {"stream": "household"})
    text = household.content.decode()
    assert "可回收物" in text and "未核实</span>" not in text.split("<tbody>")[1]
    medical = browser.get(reverse("catalog:class_list"), {"stream": "medical"}).content.decode()
    assert reverse("catalog:hazardous_detail", args=["841-005-01"]) in medical
    assert browser.get(reverse("catalog:class_list"), {"stream": "nope"}).status_code == 404


def test_the_treatment_page_warns_that_codes_are_unverified(browser: Client) -> None:
    html = browser.get(reverse("catalog:treatment_list")).content.decode()
    assert "R1" in html and "D10" in html and "未核实" in html
    assert "HJ 1033" in html


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(
    browser: Client, django_assert_max_num_queries: Any
) -> None:
    # Categories and exemptions come prefetched, not one query per row.
    with django_assert_max_num_queries(15):
        html = browser.get(LIST).content.decode()
    assert len(rows(html)) == 50


def test_staff_can_look_up_but_not_edit_catalogs_in_the_back_office(db: None) -> None:
    admin = User.objects.create_superuser(username="boss", password="pw-boss-2024")
    client = Client()
    client.force_login(admin)
    for model in ["hazardouscode", "hazardouscategory", "exemption", "wasteclass"]:
        response = client.get(f"/admin/catalog/{model}/", {"q": "HW08"})
        assert response.status_code == 200
    code = HazardousCode.objects.get(edition__year=2021, code="900-249-08")
    page = client.get(f"/admin/catalog/hazardouscode/{code.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/catalog/hazardouscode/add/").status_code == 403
