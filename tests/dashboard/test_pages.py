"""The map pages: who may open them, every figure's link leads to the records it counts,
drill-down from district to container, Chinese and English."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.registry.factories import api_client, make_park
from wufei.ledger.models import Container


def browser(user, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def payload(response) -> dict:
    return response.context["payload"]


def test_the_map_renders_in_chinese_and_english(mw):
    zh = browser(mw.reg108).get("/map/")
    assert zh.status_code == 200
    text = zh.content.decode()
    assert "固废一张图" in text and "vendor/echarts/echarts.min.js" in text
    assert 'id="dash-data"' in text and "//cdn" not in text
    en = browser(mw.reg108, "en").get(f"/map/?year={mw.year}&screen=1")
    assert en.status_code == 200 and "solid waste map" in en.content.decode()
    assert payload(en)["map"]["url"].endswith("dashboard/geo/330108.geojson")


def test_a_regulator_sees_only_its_region(mw):
    client = browser(mw.reg108)
    data = payload(client.get(f"/map/?year={mw.year}"))
    names = {f["name"] for f in data["facilities"]}
    assert mw.gen.name in names and mw.west_gen.name not in names
    assert all(mw.west.name not in (f["from_name"], f["to_name"]) for f in data["flows"])
    for url in (
        "/map/?region=110101",
        "/map/?region=330106",
        "/map/region/330106/",
        f"/map/enterprise/{mw.west.uscc}/",
        f"/map/park/{make_park('330106').pk}/",
        "/map/records/?region=330106&metric=generate",
    ):
        assert client.get(url).status_code == 404, url
    api = api_client(mw.reg108)
    assert api.get("/api/v1/map/overview?region=110101").status_code == 404
    features = api.get("/api/v1/map/facilities.geojson").json()["features"]
    assert mw.west_gen.code not in {f["properties"]["code"] for f in features}


def test_enterprise_users_cannot_open_the_map(mw):
    for user in (mw.alice, mw.rita, mw.dave, mw.nobody):
        client = browser(user)
        for url in ("/map/", "/map/region/330108/", f"/map/enterprise/{mw.shipper.uscc}/"):
            assert client.get(url).status_code == 404, (user, url)
        assert api_client(user).get("/api/v1/map/overview").status_code == 404


def test_every_figure_links_to_the_records_it_counts(mw):
    client = browser(mw.reg108)
    data = payload(client.get(f"/map/?year={mw.year}"))
    kpis = {k["key"]: k for k in data["kpis"]}
    generated = client.get(kpis["generate"]["url"])
    assert generated.status_code == 200
    assert generated.context["page"].paginator.count == 5
    assert "0.500" in generated.content.decode() and kpis["generate"]["value"] == "0.500"
    handed = client.get(kpis["hand_over"]["url"])
    assert "0.400" in handed.content.decode() and kpis["hand_over"]["value"] == "0.400"
    in_transit = client.get(kpis["in_transit"]["url"]).content.decode()
    assert kpis["in_transit"]["value"] == "1" and mw.moving.number in in_transit
    assert mw.treated.number not in in_transit
    assert client.get(kpis["overdue"]["url"]).status_code == 200
    high = next(w for w in data["warnings"] if w["key"] == "high")
    assert high["count"] == 1
    alerts = client.get(high["url"])
    assert alerts.status_code == 200 and f"/alerts/{mw.alert.pk}/" in alerts.content.decode()
    [code] = data["codes"]
    by_code = client.get(code["url"])
    assert by_code.context["records"].total_g == 500_000
    [stream] = data["streams"]
    assert client.get(stream["url"]).context["records"].total_g == 400_000
    [flow] = data["flows"]
    flow_page = client.get(flow["url"]).content.decode()
    assert mw.treated.number in flow_page and mw.moving.number in flow_page
    for tier in data["tiers"]:
        assert client.get(tier["url"]).status_code == 200
    assert sum(t["count"] for t in data["tiers"]) == 1
    for series in data["monthly"]["series"]:
        assert client.get(series["urls"][0]).status_code == 200
    api = api_client(mw.reg108).get(f"/api/v1/map/overview?year={mw.year}").json()
    assert api["kpis"] == data["kpis"] and api["flows"] == data["flows"]


def test_drill_down_from_district_to_container(mw):
    park = make_park("330108", name="测试园区")
    mw.shipper.park = park
    mw.shipper.save()
    client = browser(mw.reg108)
    region = client.get(f"/map/region/330108/?year={mw.year}").content.decode()
    assert f"/map/park/{park.pk}/" in region and f"/map/enterprise/{mw.shipper.uscc}/" in region
    park_page = client.get(f"/map/park/{park.pk}/?year={mw.year}")
    assert park_page.status_code == 200
    [row] = park_page.context["breakdown"].enterprises
    assert row.obj == mw.shipper and row.totals.generate == 500_000
    page = client.get(f"/map/enterprise/{mw.shipper.uscc}/?year={mw.year}")
    text = page.content.decode()
    assert 'data-testid="crumbs"' in text and "测试园区" in text
    assert f"/manifests/{mw.moving.number}/" in text
    container = Container.objects.filter(organisation=mw.shipper).first()
    assert container is not None
    assert f"/c/{container.code}/" in text
    assert f"/ledger/{mw.shipper.uscc}/" in text and f"/alerts/{mw.alert.pk}/" in text
    assert client.get(f"/manifests/{mw.moving.number}/").status_code == 200
    assert client.get(f"/c/{container.code}/").status_code == 200


def test_a_region_without_a_shipped_map_falls_back_to_axes(mw):
    data = payload(browser(mw.admin).get(f"/map/?region=330106&year={mw.year}"))
    assert data["map"] is None
    assert [f["name"] for f in data["facilities"]] == [mw.west_gen.name]


@pytest.mark.parametrize("metric", ["nonsense", "stream"])
def test_unknown_figures_are_not_found(mw, metric):
    response = browser(mw.reg108).get(f"/map/records/?metric={metric}&doc_type=x")
    assert response.status_code == 404
