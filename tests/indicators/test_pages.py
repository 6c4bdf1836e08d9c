"""Pages: any signed-in user reads; only the region's regulators enter; missing shows as missing."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from tests.registry.factories import make_member, make_org, make_regulator, make_user
from wufei.indicators.demo import indicators_demo_seed
from wufei.indicators.models import StatInput


def client_for(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user)
    return c


def test_anonymous_visitors_are_sent_to_log_in(indicators):
    assert Client().get("/indicators/").status_code == 302


def test_an_enterprise_member_reads_the_table_but_cannot_enter(indicators):
    indicators_demo_seed(year=2023)
    user = make_user()
    make_member(user, make_org(is_producer=True))
    c = client_for(user)
    page = c.get("/indicators/?set=national_2021&region=330108&year=2023")
    html = page.content.decode()
    assert page.status_code == 200
    assert "99.81" in html and "建筑垃圾综合利用率" in html
    assert 'data-testid="missing"' in html  # e.g. 秸秆 has no data
    assert 'data-testid="enter-input"' not in html
    posted = c.post(
        "/indicators/inputs/new/",
        {
            "region": "330108",
            "year": 2023,
            "key": "gi_sw_generated_t",
            "value": "1",
            "unit": "t",
            "source": "x",
        },
    )
    assert posted.status_code == 200 and not StatInput.objects.filter(value=1).exists()
    recompute = c.post("/indicators/recompute/", {"region": "330108", "year": 2023})
    assert recompute.status_code == 404


def test_a_regulator_enters_through_the_form(indicators):
    c = client_for(make_regulator("reg108", "330108"))
    assert (
        'data-testid="enter-input"'
        in c.get("/indicators/?region=330108&year=2023").content.decode()
    )
    posted = c.post(
        "/indicators/inputs/new/",
        {
            "region": "330108",
            "year": 2023,
            "key": "construction_waste_generated_t",
            "value": "292.36",
            "unit": "万吨",
            "source": "三年行动计划",
        },
    )
    assert posted.status_code == 302
    assert StatInput.objects.get().value == Decimal("292.36")


def test_the_detail_page_shows_history_and_evidence(indicators):
    indicators_demo_seed(year=2023)
    c = client_for(make_user())
    page = c.get("/indicators/national_2021/N2.1.1/?region=330108&year=2023").content.decode()
    assert "99.51" in page and "99.48" in page and "100" in page
    assert "5.64 万吨" in page and "综合利用率逐步实现100%" in page
    assert c.get("/indicators/national_2021/NOPE/").status_code == 404


def test_the_api_lists_values_and_refuses_an_enterprise(indicators):
    from tests.registry.factories import api_client

    indicators_demo_seed(year=2023)
    user = make_user()
    make_member(user, make_org(is_producer=True))
    api = api_client(user)
    rows = api.get("/api/v1/indicators/values?set=national_2021&region=330108&year=2023").json()
    by_code = {r["code"]: r for r in rows}
    assert by_code["N2.3.1"]["value"] == "99.810000" or by_code["N2.3.1"]["value"] in (
        "99.81",
        99.81,
    )
    assert by_code["N2.2.1"]["status"] == "missing" and by_code["N2.2.1"]["value"] is None
    refused = api.post(
        "/api/v1/indicators/inputs",
        {
            "region": "330108",
            "year": 2023,
            "key": "gi_sw_generated_t",
            "value": "1",
            "unit": "t",
            "source": "x",
        },
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_the_page_says_when_the_records_moved_on_and_recompute_catches_up(indicators):
    from django.utils import timezone

    from tests.transfer.network import KG, build_network, lifecycle
    from wufei.indicators.services import indicator_values_compute
    from wufei.registry.models import Region

    w = build_network()
    lifecycle(w)
    year = timezone.localdate().year
    district = Region.objects.get(code="330108")
    indicator_values_compute(region=district, year=year)
    c = client_for(make_regulator("ren", "330108"))
    url = f"/indicators/?set=national_2021&region=330108&year={year}"
    assert 'data-testid="outdated"' not in c.get(url).content.decode()
    lifecycle(w, containers=[], weight_g=20 * KG)  # another manifest: the spine moved on
    page = c.get(url).content.decode()
    assert 'data-testid="outdated"' in page and "记录已变化" in page
    c.post("/indicators/recompute/", {"region": "330108", "year": year, "set": "national_2021"})
    assert 'data-testid="outdated"' not in c.get(url).content.decode()
