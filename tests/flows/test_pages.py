"""The flow pages and the API: rendered in Chinese and English, the same totals, and nothing
for those who may not see."""

from __future__ import annotations

import re

from django.test import Client

from tests.flows.world import period_params
from tests.registry.factories import api_client
from tests.transfer.network import KG, lifecycle
from wufei.transfer.models import ManifestLine


def browser(user, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def table_grams(html: str) -> list[int]:
    return [int(g) for g in re.findall(r'data-grams="(\d+)"', html)]


def test_the_sankey_page_renders_in_chinese_and_english(fw):
    lifecycle(fw)
    params = period_params() | {"level": "enterprise"}
    zh = browser(fw.reg108).get("/flows/", params).content.decode()
    assert "物质流向" in zh and "未能解释" in zh and "甲化工" in zh
    assert 'id="flow-data"' in zh and "vendor/echarts/echarts.min.js" in zh
    en = browser(fw.reg108, "en").get("/flows/", params).content.decode()
    assert "Material flows" in en and "The flows close" in en


def test_the_api_returns_the_same_flows_as_the_page_table(fw):
    lifecycle(fw)
    params = period_params() | {"level": "park"}
    html = browser(fw.reg108).get("/flows/", params).content.decode()
    response = api_client(fw.reg108).get("/api/v1/flows/sankey", params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(link["grams"] for link in body["links"]) == sorted(table_grams(html))
    assert body["total_in_g"] == 340 * KG
    assert body["unexplained_g"] == 0
    assert {n["kind"] for n in body["nodes"]} >= {"source", "code", "carrier", "method"}


def test_withheld_treatment_is_listed_with_its_manifest(fw):
    manifest = lifecycle(fw)
    ManifestLine.objects.filter(manifest=manifest).update(treated_weight_g=None)
    html = browser(fw.alice).get("/flows/", period_params()).content.decode()
    assert 'data-testid="flow-unexplained">0.250<' in html
    assert f"/manifests/{manifest.number}/" in html
    body = api_client(fw.alice).get("/api/v1/flows/sankey", period_params()).json()
    assert body["unexplained_g"] == 250 * KG
    assert body["gaps"][0]["manifest"] == manifest.number


def test_nothing_for_those_who_may_not_see(fw):
    lifecycle(fw)
    html = browser(fw.reg109).get("/flows/", period_params()).content.decode()
    assert 'data-testid="flow-empty"' in html and "甲化工" not in html
    body = api_client(fw.nobody).get("/api/v1/flows/sankey", period_params()).json()
    assert body["links"] == [] and body["nodes"] == []
    assert Client().get("/flows/").status_code == 302
    assert Client().get("/api/v1/flows/sankey").status_code == 401


def test_bad_filters_answer_with_a_message(fw):
    response = api_client(fw.alice).get("/api/v1/flows/sankey", {"level": "planet"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_level"
    page = browser(fw.alice, "en").get("/flows/", {"start": "2024-13-01"})
    assert page.status_code == 200 and "YYYY-MM-DD" in page.content.decode()


def test_the_chain_page_and_api(fw):
    lifecycle(fw)
    params = period_params()
    html = browser(fw.reg108).get("/flows/chains/", params).content.decode()
    assert "产业链" in html and "萧山处置" in html
    assert 'data-testid="chain-total">0.250<' in html
    assert "level=park" in html  # an industry row opens its parks
    body = api_client(fw.reg108).get("/api/v1/flows/chains", params).json()
    assert [(c["receiver"], c["method"], c["grams"]) for c in body["links"]] == [
        ("萧山处置", "D10", 250 * KG)
    ]
    en = browser(fw.reg108, "en").get("/flows/chains/", params).content.decode()
    assert "Industry chain" in en
