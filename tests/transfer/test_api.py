"""The manifest API: every step over HTTP, JSON errors, and scoping — a party never reads
another's manifest through any endpoint."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.registry.factories import api_client
from tests.transfer.network import KG, lifecycle

API = "/api/v1/manifests/"


def payload(net, *, containers=None, weight_g=250 * KG, receiver=None):
    receiver_org, receiver_facility = receiver or (net.plant, net.kiln)
    return {
        "shipper_uscc": net.shipper.uscc,
        "shipper_facility": net.gen.code,
        "receiver_uscc": receiver_org.uscc,
        "receiver_facility": receiver_facility.code,
        "planned_on": timezone.localdate().isoformat(),
        "emergency_measures": "泄漏时围堵",
        "lines": [
            {
                "waste_code": "900-249-08",
                "waste_name": "废矿物油",
                "physical_form": "液态",
                "packaging": "铁桶",
                "weight_g": weight_g,
                "containers": [c.code for c in (containers or net.containers)],
            }
        ],
        "carriers": [
            {
                "carrier_uscc": net.carrier.uscc,
                "vehicle_plate": net.truck.plate_number,
                "licence_number": net.licence.number,
                "origin": "滨江",
                "destination": "萧山",
            }
        ],
    }


def test_a_manifest_goes_from_creation_to_treatment_through_the_api(net):
    shipper, driver, receiver = api_client(net.alice), api_client(net.dave), api_client(net.rita)
    created = shipper.post(API, payload(net), content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    number = body["number"]
    assert body["status"] == "draft" and body["receiver_permit"] == net.permit.number
    assert body["lines"][0]["weight_g"] == 250_000 and body["lines"][0]["weight_t"] == "0.250000"
    assert body["allowed_actions"] == ["sign_shipper", "cancel"] or set(
        body["allowed_actions"]
    ) >= {"sign_shipper", "cancel"}
    steps = [
        (shipper, "sign-shipper", None, "ready"),
        (driver, "pickup", None, "in_transit"),
        (driver, "deliver", None, "arrived"),
        (
            receiver,
            "receive",
            {"decision": "accept", "lines": [{"position": 1, "received_weight_g": 250_000}]},
            "accepted",
        ),
        (
            receiver,
            "treatment",
            {"lines": [{"position": 1, "treatment_method": "D10", "treated_weight_g": 250_000}]},
            "treated",
        ),
    ]
    for client, step, data, status in steps:
        answer = client.post(f"{API}{number}/{step}", data or {}, content_type="application/json")
        assert answer.status_code == 200, (step, answer.json())
        assert answer.json()["status"] == status
    detail = receiver.get(f"{API}{number}").json()
    assert [s["action"] for s in detail["signatures"]] == [
        "sign_shipper",
        "sign_pickup",
        "sign_delivery",
        "accept",
        "record_treatment",
    ]
    last = detail["signatures"][-1]
    pdf = receiver.get(last["copy_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-SHA256"] == last["copy_sha256"]
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert number in text


def test_validation_errors_list_every_rule(net):
    shipper = api_client(net.alice)
    number = shipper.post(
        API, payload(net, weight_g=900 * KG), content_type="application/json"
    ).json()["number"]
    answer = shipper.post(f"{API}{number}/sign-shipper")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "manifest_invalid"
    assert {e["rule"] for e in body["errors"]} == {"ledger_short"}
    assert all(e["article"] and e["message"] for e in body["errors"])


def test_a_refused_step_answers_409_with_its_rule(net):
    manifest = lifecycle(net, until="pickup")
    answer = api_client(net.alice).post(f"{API}{manifest.number}/cancel", {}, "application/json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "cancel_before_pickup"
    again = api_client(net.kate).post(f"{API}{manifest.number}/pickup")
    assert again.status_code == 409 and again.json()["code"] == "already_signed"
    readonly = api_client(net.reader).post(f"{API}{manifest.number}/confirm-return")
    assert readonly.status_code == 403 and readonly.json()["code"] == "readonly_member"


def test_unknown_references_are_not_found_by_field(net):
    data = payload(net)
    data["carriers"][0]["vehicle_plate"] = "浙Z99999"
    answer = api_client(net.alice).post(API, data, content_type="application/json")
    assert answer.status_code == 404 and answer.json()["field"] == "carriers.1.vehicle"
    # a shipper cannot create for someone else's organisation
    stranger = api_client(net.rita).post(API, payload(net), content_type="application/json")
    assert stranger.status_code == 404 and stranger.json()["field"] == "shipper_uscc"


def test_revisions_through_the_api(net):
    manifest = lifecycle(net, until="pickup")
    asked = api_client(net.alice).post(
        f"{API}{manifest.number}/revisions",
        {"reason": "称重有误", "changes": {"lines": {"1": {"weight_g": 240_000}}}},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.json()
    revision = asked.json()
    assert revision["state"] == "open" and revision["after"]["lines"][0]["weight_g"] == 240_000
    decided = api_client(net.kate).post(
        f"{API}{manifest.number}/revisions/{revision['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "applied"
    detail = api_client(net.kate).get(f"{API}{manifest.number}").json()
    assert detail["version"] == 2 and detail["lines"][0]["weight_g"] == 240_000
    assert detail["revisions"][0]["before"]["lines"][0]["weight_g"] == 250_000


def test_cross_province_approvals(net):
    today = timezone.localdate()
    data = {
        "number": "浙危废跨-7",
        "shipper_uscc": net.shipper.uscc,
        "receiver_uscc": net.far_plant.uscc,
        "issued_by": "浙江省生态环境厅",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=200)).isoformat(),
        "items": [{"waste_code": "900-249-08", "approved_g": 5_000_000, "treatment_method": "D10"}],
    }
    refused = api_client(net.reg108).post(
        "/api/v1/cross-province-approvals/", data, content_type="application/json"
    )
    assert refused.status_code == 403
    made = api_client(net.reg_zj).post(
        "/api/v1/cross-province-approvals/", data, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["items"][0]["approved_t"] == "5.000000"
    mine = api_client(net.alice).get("/api/v1/cross-province-approvals/").json()
    assert [a["number"] for a in mine["results"]] == ["浙危废跨-7"]
    assert api_client(net.rita).get("/api/v1/cross-province-approvals/").json()["count"] == 0
    assert api_client(net.reg_js).get("/api/v1/cross-province-approvals/").json()["count"] == 1


# --- scoping ---------------------------------------------------------------------------------

STEP_ENDPOINTS = [
    "sign-shipper",
    "cancel",
    "pickup",
    "deliver",
    "receive",
    "treatment",
    "start-return",
    "confirm-return",
    "revisions",
]


@pytest.fixture
def shipped(net):
    """A manifest picked up, with one signature copy, and the people around it."""
    return lifecycle(net, until="deliver")


@pytest.mark.parametrize("who", ["nina", "olga", "nobody", "reg106", "carl"])
def test_outsiders_never_read_a_manifest_through_any_endpoint(net, shipped, who):
    client = api_client(getattr(net, who))
    number = shipped.number
    signature = shipped.signatures.first()
    listed = client.get(API).json()
    assert number not in [m["number"] for m in listed["results"]]
    assert client.get(f"{API}{number}").status_code == 404
    copy = client.get(f"{API}{number}/signatures/{signature.pk}/copy.pdf")
    assert copy.status_code == 404
    for step in STEP_ENDPOINTS:
        answer = client.post(f"{API}{number}/{step}", {}, content_type="application/json")
        assert answer.status_code in (404, 422), (step, answer.status_code)
        if answer.status_code == 422:  # body validation runs first; the manifest stays hidden
            assert number not in answer.content.decode()
    assert client.put(f"{API}{number}", payload(net), "application/json").status_code == 404
    decision = client.post(
        f"{API}{number}/revisions/1/decision", {"approve": True}, "application/json"
    )
    assert decision.status_code == 404
    assert client.get(f"{API}?overdue=true").json()["count"] == 0


@pytest.mark.parametrize(
    "who", ["alice", "reader", "kate", "dave", "rita", "reg108", "reg109", "reg_zj", "admin"]
)
def test_parties_and_regulators_of_either_end_read_it(net, shipped, who):
    client = api_client(getattr(net, who))
    assert shipped.number in [m["number"] for m in client.get(API).json()["results"]]
    detail = client.get(f"{API}{shipped.number}")
    assert detail.status_code == 200
    copy = client.get(detail.json()["signatures"][0]["copy_url"])
    assert copy.status_code == 200


def test_a_party_does_not_see_another_partys_manifests(net):
    from tests.registry import factories as f
    from tests.transfer.network import as_, draft, member
    from wufei.transfer import services as s

    lifecycle(net, until="sign_shipper")
    other = f.make_org(name="乙电镀", is_producer=True)
    other_gen = f.make_facility(other, code="B-GEN")
    bob = member(f.make_user("bob"), other)
    theirs = draft(net, containers=[], receiver_facility=net.far_kiln)
    theirs.shipper_facility = other_gen
    their_manifest = s.manifest_create(**as_(bob), draft=theirs)

    def numbers(user):
        return {m["number"] for m in api_client(user).get(API).json()["results"]}

    assert numbers(bob) == {their_manifest.number}
    assert their_manifest.number not in numbers(net.alice) | numbers(net.rita) | numbers(net.carl)
    assert numbers(net.nina) == {their_manifest.number}
    assert their_manifest.number in numbers(net.kate)  # its carrier
    assert their_manifest.number in numbers(net.reg108) and numbers(net.reg109) == numbers(net.rita)


def test_to_sign_tab_lists_what_waits_for_the_viewer(net):
    lifecycle(net, until="sign_shipper")
    waiting_driver = api_client(net.dave).get(f"{API}?to_sign=true").json()
    assert waiting_driver["count"] == 1
    assert api_client(net.rita).get(f"{API}?to_sign=true").json()["count"] == 0
    assert api_client(net.alice).get(f"{API}?to_sign=true").json()["count"] == 0


def test_regulators_list_overdue_and_late_receipts(net):
    from wufei.transfer.models import Manifest

    manifest = lifecycle(net, until="deliver")
    assert api_client(net.reg109).get(f"{API}?overdue=true").json()["count"] == 0
    Manifest.objects.filter(pk=manifest.pk).update(
        receipt_due_on=timezone.localdate() - timedelta(days=1)
    )
    overdue = api_client(net.reg109).get(f"{API}?overdue=true").json()
    assert [m["number"] for m in overdue["results"]] == [manifest.number]
    assert api_client(net.reg106).get(f"{API}?overdue=true").json()["count"] == 0
