"""The transfer and permit warning rules: each fires on a constructed case, stays silent on its
near miss, keeps to the organisations asked about, and speaks Chinese and English."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from tests.transfer.network import (
    KG,
    as_,
    aware,
    build_network,
    containers_with_stock,
    lifecycle,
)
from wufei.alerts.engine import alerts_sweep
from wufei.alerts.models import Alert, AlertStatus, CloseReason
from wufei.alerts.rulebook import RULES, Finding
from wufei.alerts.rules import transfer_rules  # noqa: F401  (registers the rules)
from wufei.registry.models import Permit, PermitKind
from wufei.transfer import services as s
from wufei.transfer.models import ApprovalItem, CrossProvinceApproval, Manifest

HAN = re.compile(r"[\u4e00-\u9fff]")
TRANSFER_RULES = (
    "receipt_overdue",
    "receiver_permit_missing",
    "receiver_capacity_exceeded",
    "weight_discrepancy",
    "permit_expiring",
    "approval_expiring",
)


@pytest.fixture
def net(db):
    return build_network()


def find(code, *, now=None, orgs=None, **thresholds):
    rule = RULES[code]
    return list(
        rule.find(
            now=now or timezone.now(),
            thresholds={**rule.defaults, **thresholds},
            organisation_ids=None if orgs is None else frozenset(orgs),
        )
    )


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def received(net, *, declared_g=250 * KG, received_g=250 * KG, stock_g=None):
    """A manifest of fresh containers, delivered and accepted with `received_g`."""
    containers = containers_with_stock(net, count=1, grams_each=stock_g or declared_g)
    m = lifecycle(net, until="deliver", containers=containers, weight_g=declared_g)
    s.manifest_receive(
        **as_(net.rita),
        manifest=m,
        decision="accept",
        lines=[s.ReceiptLine(position=1, received_weight_g=received_g)],
    )
    return Manifest.objects.get(pk=m.pk)


def test_every_rule_is_registered_with_a_checked_source():
    for code in TRANSFER_RULES:
        rule = RULES[code]
        assert rule.code == code and "第" in str(rule.source) and rule.triggers
    assert "第十八条" in str(RULES["receipt_overdue"].source)
    assert "第八十条" in str(RULES["receiver_permit_missing"].source)


# receipt_overdue (第十八条) -------------------------------------------------------------


def arrived(net, *, on: date, due: date) -> Manifest:
    m = lifecycle(net, until="deliver")
    Manifest.objects.filter(pk=m.pk).update(arrived_at=aware(on), receipt_due_on=due)
    return Manifest.objects.get(pk=m.pk)


def test_receipt_overdue_fires_the_day_after_the_due_day(net):
    m = arrived(net, on=date(2024, 5, 6), due=date(2024, 5, 13))
    assert find("receipt_overdue", now=aware(date(2024, 5, 13), 23)) == []  # near miss
    f = only(find("receipt_overdue", now=aware(date(2024, 5, 20))))
    assert f.key == f"manifest:{m.pk}"
    assert f.severity == "high"
    assert f.organisation_id == net.plant.pk
    assert f.region_code == net.kiln.region_id and f.facility_id == net.kiln.pk
    assert f.facts == {
        "number": m.number,
        "receiver": "萧山处置",
        "shipper": "甲化工",
        "arrived": "2024-05-06",
        "due": "2024-05-13",
        "days_overdue": 5,  # 14, 15, 16, 17, 20 May
        "day_unit": "workday",
    }
    kinds = [(e.kind, e.label) for e in f.evidence]
    assert kinds == [
        ("manifest", m.number),
        ("organisation", "甲化工"),
        ("organisation", "萧山处置"),
    ]
    assert f.evidence[0].url == f"/manifests/{m.number}/"
    assert f.evidence[2].url == f"/registry/organisations/{net.plant.uscc}/"


def test_receipt_overdue_counts_official_working_days(net):
    # 2024: 1–5 May are holidays and Saturday 11 May is an adjusted working day.
    arrived(net, on=date(2024, 4, 23), due=date(2024, 4, 30))
    f = only(find("receipt_overdue", now=aware(date(2024, 5, 11))))
    assert f.facts["days_overdue"] == 6


def test_receipt_overdue_silent_once_received_and_scoped_to_the_receiver(net):
    m = arrived(net, on=date(2024, 5, 6), due=date(2024, 5, 13))
    later = aware(date(2024, 5, 20))
    assert find("receipt_overdue", now=later, orgs={net.shipper.pk, net.carrier.pk}) == []
    assert only(find("receipt_overdue", now=later, orgs={net.plant.pk})).key == f"manifest:{m.pk}"
    s.manifest_receive(
        **as_(net.rita),
        manifest=m,
        decision="accept",
        lines=[s.ReceiptLine(position=1, received_weight_g=250 * KG)],
    )
    assert find("receipt_overdue", now=later) == []


# receiver_permit_missing (固废法 第八十条) -----------------------------------------------


def test_permit_covering_the_category_only_is_enough(net):
    received(net)  # 900-249-08 is in HW08, which the plant's permit lists as a category
    assert not net.permit.codes.filter(code="900-249-08").exists()
    assert find("receiver_permit_missing") == []


def test_permit_expired_the_day_before_receipt_fires_critical(net):
    m = received(net)
    day = timezone.localdate(m.received_at)
    Permit.objects.filter(pk=net.permit.pk).update(valid_until=day)
    assert find("receiver_permit_missing") == []  # valid on its last day
    Permit.objects.filter(pk=net.permit.pk).update(valid_until=day - timedelta(days=1))
    f = only(find("receiver_permit_missing"))
    line = m.lines.get()
    assert f.key == f"line:{line.pk}" and f.severity == "critical"
    assert f.organisation_id == net.plant.pk and f.region_code == net.kiln.region_id
    assert f.facts["code"] == "900-249-08" and f.facts["received"] == day.isoformat()
    assert f.facts["accepted_t"] == "0.250" and f.facts["number"] == m.number
    assert [e.kind for e in f.evidence] == ["manifest", "organisation", "organisation"]
    assert find("receiver_permit_missing", orgs={net.shipper.pk}) == []


def test_a_transport_licence_does_not_cover_receiving(net):
    m = received(net)
    Permit.objects.filter(pk=net.permit.pk).update(kind=PermitKind.ROAD_HAZMAT)
    assert only(find("receiver_permit_missing")).facts["number"] == m.number


# receiver_capacity_exceeded (许可证办法 第十五条) -------------------------------------------


@pytest.mark.parametrize(
    ("capacity_t", "expected"),
    [
        ("0.280000", None),  # 250 kg of 280 kg: 89.3 %
        ("0.277777", ("medium", "90.0")),
        ("0.250001", ("medium", "100.0")),
        ("0.250000", ("high", "100.0")),
        ("0.200000", ("high", "125.0")),
    ],
)
def test_capacity_levels(net, capacity_t, expected):
    received(net)
    Permit.objects.filter(pk=net.permit.pk).update(annual_capacity_t=Decimal(capacity_t))
    found = find("receiver_capacity_exceeded")
    if expected is None:
        assert found == []
        return
    f = only(found)
    year = timezone.localdate().year
    assert (f.severity, f.facts["percent"]) == expected
    assert f.key == f"permit:{net.permit.pk}:{year}"
    assert f.organisation_id == net.plant.pk and f.facility_id == net.kiln.pk
    assert f.region_code == net.kiln.region_id
    assert f.facts["used_t"] == "0.250" and f.facts["year"] == year
    assert f.evidence[0].kind == "permit" and f.evidence[0].label == net.permit.number


def test_capacity_warning_percentage_is_configurable_and_scoped(net):
    received(net)
    Permit.objects.filter(pk=net.permit.pk).update(annual_capacity_t=Decimal("0.300000"))
    assert find("receiver_capacity_exceeded") == []  # 83.3 %
    assert only(find("receiver_capacity_exceeded", warn_percent=80)).severity == "medium"
    assert find("receiver_capacity_exceeded", warn_percent=80, orgs={net.shipper.pk}) == []


def test_capacity_counts_only_this_years_receipts(net):
    m = received(net)
    Permit.objects.filter(pk=net.permit.pk).update(annual_capacity_t=Decimal("0.200000"))
    Manifest.objects.filter(pk=m.pk).update(received_at=m.received_at - timedelta(days=400))
    assert find("receiver_capacity_exceeded") == []


# weight_discrepancy (第十八条第二款) -----------------------------------------------------


@pytest.mark.parametrize(
    ("declared_g", "received_g", "expected"),
    [
        (250 * KG, 262_500, None),  # exactly 5 %
        (250 * KG, 262_501, ("medium", "5.0")),
        (250 * KG, 237_000, ("medium", "5.2")),
        (250 * KG, 275_001, ("high", "10.0")),
        (100 * KG, 109 * KG, None),  # 9 % but 9 kg: below the 10 kg floor
        (100 * KG, 110 * KG, ("medium", "10.0")),  # the floor itself counts
    ],
)
def test_weight_discrepancy_levels(net, declared_g, received_g, expected):
    m = received(net, declared_g=declared_g, received_g=received_g)
    found = find("weight_discrepancy")
    if expected is None:
        assert found == []
        return
    f = only(found)
    line = m.lines.get()
    assert (f.severity, f.facts["percent"]) == expected
    assert f.key == f"line:{line.pk}" and f.organisation_id == net.plant.pk
    assert f.region_code == net.kiln.region_id
    assert [(e.kind, e.label) for e in f.evidence] == [
        ("manifest", m.number),
        ("manifest_line", f"{m.number} #1"),
    ]


def test_weight_threshold_is_configurable_in_per_mille_and_scoped(net):
    received(net, received_g=255 * KG)  # 2 %
    assert find("weight_discrepancy") == []
    f = only(find("weight_discrepancy", threshold_permille=15, floor_kg=1))
    assert f.severity == "medium"
    assert find("weight_discrepancy", threshold_permille=15, orgs={net.carrier.pk}) == []


# permit_expiring --------------------------------------------------------------------------


def set_until(permit: Permit, until: date) -> None:
    Permit.objects.filter(pk=permit.pk).update(
        valid_from=until - timedelta(days=1000), valid_until=until
    )


@pytest.mark.parametrize(
    ("days", "expected"), [(61, None), (60, "low"), (31, "low"), (30, "medium"), (0, "medium")]
)
def test_permit_expiring_levels(net, days, expected):
    today = timezone.localdate()
    set_until(net.licence, today + timedelta(days=days))
    found = find("permit_expiring")
    if expected is None:
        assert found == []
        return
    f = only(found)
    assert f.key == f"permit:{net.licence.pk}" and f.severity == expected
    assert f.organisation_id == net.carrier.pk and f.region_code == net.carrier.region_id
    assert f.facts["kind"] == PermitKind.ROAD_HAZMAT and f.facts["days_left"] == days


def test_expired_permit_matters_only_with_manifests_under_way(net):
    today = timezone.localdate()
    m = lifecycle(net, until="pickup")  # the carrier has waste on the road
    set_until(net.licence, today - timedelta(days=1))
    assert only(find("permit_expiring")).facts["days_left"] == -1
    Manifest.objects.filter(pk=m.pk).update(status="treated")
    assert find("permit_expiring") == []
    Manifest.objects.filter(pk=m.pk).update(status="in_transit")
    f = only(find("permit_expiring"))
    assert f.severity == "medium" and f.facts["days_left"] == -1
    assert find("permit_expiring", orgs={net.plant.pk}) == []


def test_renewed_permit_is_not_warned(net):
    today = timezone.localdate()
    set_until(net.permit, today + timedelta(days=10))
    assert only(find("permit_expiring")).organisation_id == net.plant.pk
    Permit.objects.create(
        organisation=net.plant,
        number="3301RENEWED",
        kind=net.permit.kind,
        issued_by="浙江省生态环境厅",
        valid_from=today + timedelta(days=11),
        valid_until=today + timedelta(days=11 + 5 * 365),
    )
    assert find("permit_expiring") == []


# approval_expiring (第二十七条) -----------------------------------------------------------


def approval(net, *, valid_from: date, valid_until: date, approved_g: int):
    a = CrossProvinceApproval.objects.create(
        number=f"ZJ-{valid_until:%Y%m%d}-{approved_g}",
        shipper=net.shipper,
        receiver=net.far_plant,
        issued_by="浙江省生态环境厅",
        valid_from=valid_from,
        valid_until=valid_until,
    )
    ApprovalItem.objects.create(approval=a, waste_code=net.oil, approved_g=approved_g)
    return a


@pytest.mark.parametrize(("days", "expected"), [(31, None), (30, "low"), (8, "low"), (7, "medium")])
def test_approval_expiring_levels(net, days, expected):
    today = timezone.localdate()
    a = approval(
        net,
        valid_from=today - timedelta(days=200),
        valid_until=today + timedelta(days=days),
        approved_g=1_000 * KG,
    )
    found = find("approval_expiring")
    if expected is None:
        assert found == []
        return
    f = only(found)
    assert f.key == f"approval:{a.pk}" and f.severity == expected
    assert f.organisation_id == net.shipper.pk and f.region_code == net.shipper.region_id
    assert f.facts["left_t"] == "1.000" and f.facts["days_left"] == days
    assert [e.kind for e in f.evidence] == ["approval", "organisation", "organisation"]
    assert find("approval_expiring", orgs={net.far_plant.pk}) == []


def test_approval_used_up_or_past_twelve_months_is_silent(net):
    today = timezone.localdate()
    a = approval(
        net,
        valid_from=today - timedelta(days=200),
        valid_until=today + timedelta(days=10),
        approved_g=250 * KG,
    )
    m = lifecycle(net, until="pickup")
    Manifest.objects.filter(pk=m.pk).update(approval=a)
    assert find("approval_expiring") == []  # 250 kg shipped of 250 kg
    ApprovalItem.objects.filter(approval=a).update(approved_g=250 * KG + 1)
    assert only(find("approval_expiring")).facts["left_t"] == "0.000"
    # An end date more than twelve months after the start is cut at twelve months.
    CrossProvinceApproval.objects.filter(pk=a.pk).update(valid_from=today - timedelta(days=400))
    assert find("approval_expiring") == []


# all rules together ---------------------------------------------------------------------


def facts_for_every_rule(net, *, manifests: int = 1):
    """At least one finding per rule, built from the records of one network."""
    today = timezone.localdate()
    late = arrived(net, on=today - timedelta(days=30), due=today - timedelta(days=20))
    for _ in range(manifests):
        m = received(net, received_g=300 * KG)
    Permit.objects.filter(pk=net.permit.pk).update(
        annual_capacity_t=Decimal("0.200000"),
        valid_until=timezone.localdate(m.received_at) - timedelta(days=1),
    )
    set_until(net.licence, today + timedelta(days=20))
    approval(
        net,
        valid_from=today - timedelta(days=100),
        valid_until=today + timedelta(days=5),
        approved_g=1_000 * KG,
    )
    return m, late


def test_sweep_twice_raises_once_and_a_handled_past_event_stays_closed(net):
    facts_for_every_rule(net)
    first = alerts_sweep(rule_codes=TRANSFER_RULES)
    assert first.rules_failed == []
    assert set(Alert.objects.values_list("rule", flat=True)) == set(TRANSFER_RULES)
    count = Alert.objects.count()
    second = alerts_sweep(rule_codes=TRANSFER_RULES)
    assert second.raised == 0 and second.refreshed == count
    assert Alert.objects.count() == count
    discrepancy = Alert.objects.get(rule="weight_discrepancy")
    Alert.objects.filter(pk=discrepancy.pk).update(
        status=AlertStatus.CLOSED, close_reason=CloseReason.HANDLED, closed_at=timezone.now()
    )
    third = alerts_sweep(rule_codes=["weight_discrepancy"])
    assert third.raised == 0 and Alert.objects.filter(rule="weight_discrepancy").count() == 1


def test_rules_query_a_fixed_number_of_times(net, django_assert_max_num_queries):
    facts_for_every_rule(net, manifests=3)  # more manifests must not mean more queries
    for code in TRANSFER_RULES:
        with django_assert_max_num_queries(4):
            assert find(code)


def without_facts(sentence: str, facts) -> str:
    for value in facts.values():
        sentence = sentence.replace(str(value), "")
    return sentence


def test_describe_in_chinese_and_english(net):
    facts_for_every_rule(net)
    for code in TRANSFER_RULES:
        rule = RULES[code]
        facts = find(code)[0].facts
        with override("en"):
            english = without_facts(rule.describe(facts), facts)
        with override("zh-hans"):
            chinese = without_facts(rule.describe(facts), facts)
        assert "%(" not in english and "%(" not in chinese
        assert not HAN.search(english), (code, english)
        assert HAN.search(chinese), (code, chinese)
