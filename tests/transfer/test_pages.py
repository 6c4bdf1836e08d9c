"""The manifest pages: create, list, detail with history, and signing each step on the phone
page — each person sees only the steps that are theirs, and outsiders see nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.transfer.network import KG, lifecycle
from wufei.transfer.models import Manifest


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    return client


def form_data(net, *, weight_kg="250"):
    data = {
        "doc_type": "hazardous",
        "shipper_facility": net.gen.pk,
        "receiver_facility": net.kiln.pk,
        "receiver_permit": "",
        "planned_on": timezone.localdate().isoformat(),
        "emergency_measures": "泄漏时围堵",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-waste_code": "900-249-08",
        "lines-0-waste_name": "废矿物油",
        "lines-0-physical_form": "液态",
        "lines-0-packaging": "铁桶",
        "lines-0-weight": weight_kg,
        "lines-0-containers": [c.pk for c in net.containers],
        "carriers-TOTAL_FORMS": "2",
        "carriers-INITIAL_FORMS": "0",
        "carriers-0-carrier": net.carrier.pk,
        "carriers-0-vehicle_plate": net.truck.plate_number,
        "carriers-0-licence": net.licence.pk,
        "carriers-0-origin": "滨江",
        "carriers-0-destination": "萧山",
    }
    for n in (1, 2):
        data[f"lines-{n}-physical_form"] = ""  # a select always posts its (empty) value
    return data


def test_a_shipper_creates_and_signs_a_manifest_on_the_pages(net):
    page = browser(net.alice)
    assert page.get("/manifests/new/").status_code == 200
    answer = page.post("/manifests/new/", form_data(net))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    manifest = Manifest.objects.get()
    assert answer["Location"] == f"/manifests/{manifest.number}/"
    assert manifest.lines.get().weight_g == 250 * KG
    detail = page.get(answer["Location"]).content.decode()
    assert "废矿物油" in detail and "草稿" in detail
    sign = page.get(f"/manifests/{manifest.number}/sign/").content.decode()
    assert 'data-testid="step-sign_shipper"' in sign and "step-sign_pickup" not in sign
    done = page.post(f"/manifests/{manifest.number}/sign/", {"step": "sign_shipper"}, follow=True)
    assert "移出人已签" in done.content.decode() or "已签" in done.content.decode()
    assert Manifest.objects.get().status == "ready"


def test_weights_in_kg_with_more_than_three_decimals_are_refused(net):
    answer = browser(net.alice).post("/manifests/new/", form_data(net, weight_kg="1.0001"))
    assert answer.status_code == 200 and not Manifest.objects.exists()


def test_a_driver_sees_only_the_transport_step_and_signs_it(net):
    manifest = lifecycle(net, until="sign_shipper")
    phone = browser(net.dave)
    page = phone.get(f"/manifests/{manifest.number}/sign/").content.decode()
    assert "step-sign_pickup" in page
    assert "step-accept" not in page and "step-cancel" not in page
    phone.post(f"/manifests/{manifest.number}/sign/", {"step": "sign_pickup"})
    assert Manifest.objects.get().status == "in_transit"


def test_the_receiver_weighs_and_refuses_in_part_with_discrepancies(net):
    manifest = lifecycle(net, until="deliver")
    phone = browser(net.rita)
    page = phone.get(f"/manifests/{manifest.number}/sign/").content.decode()
    assert 'data-testid="receive-form"' in page
    phone.post(
        f"/manifests/{manifest.number}/sign/",
        {
            "step": "partial",
            "received_1": "200",
            "accepted_1": "150.5",
            "name_1": "废矿物油",
            "characteristics_1": "T,I",
            "form_1": "液态",
            "packaging_1": "吨袋",
            "note_1": "包装不符",
        },
    )
    manifest.refresh_from_db()
    line = manifest.lines.get()
    assert manifest.status == "partially_accepted" and manifest.has_discrepancy
    assert (line.received_weight_g, line.accepted_weight_g) == (200 * KG, 150_500)
    detail = phone.get(f"/manifests/{manifest.number}/").content.decode()
    assert 'data-testid="discrepancies"' in detail and "吨袋" in detail


def test_a_refused_step_shows_its_rule(net):
    manifest = lifecycle(net, until="pickup")
    page = browser(net.alice).post(f"/manifests/{manifest.number}/sign/", {"step": "cancel"})
    assert 'data-testid="sign-errors"' in page.content.decode()
    assert Manifest.objects.get().status == "in_transit"


def test_detail_shows_the_signature_timeline_with_hashes_and_copies(net):
    manifest = lifecycle(net)
    page = browser(net.kate).get(f"/manifests/{manifest.number}/").content.decode()
    for signature in manifest.signatures.all():
        assert signature.content_hash in page
    first = manifest.signatures.earliest("pk")
    copy = browser(net.kate).get(f"/manifests/{manifest.number}/signatures/{first.pk}/copy.pdf")
    assert copy.status_code == 200 and copy.content.startswith(b"%PDF")


def test_revision_request_and_approval_on_the_pages(net):
    manifest = lifecycle(net, until="pickup")
    browser(net.alice).post(
        f"/manifests/{manifest.number}/revisions/",
        {"reason": "称重有误", "line": "1", "weight": "240"},
    )
    revision = manifest.revisions.get()
    page = browser(net.kate).get(f"/manifests/{manifest.number}/").content.decode()
    assert 'data-testid="approve-revision"' in page and "240000" in page
    browser(net.kate).post(
        f"/manifests/{manifest.number}/revisions/{revision.pk}/decision/", {"approve": "1"}
    )
    manifest.refresh_from_db()
    assert manifest.version == 2 and manifest.lines.get().weight_g == 240 * KG


def test_list_tabs(net):
    manifest = lifecycle(net, until="sign_shipper")
    waiting = browser(net.dave).get("/manifests/?tab=to_sign").content.decode()
    assert manifest.number in waiting
    assert manifest.number not in browser(net.rita).get("/manifests/?tab=to_sign").content.decode()
    assert manifest.number in browser(net.rita).get("/manifests/?tab=all").content.decode()
    assert "tab-overdue" in browser(net.reg108).get("/manifests/").content.decode()


@pytest.mark.parametrize("who", ["nina", "olga", "nobody", "reg106"])
def test_outsiders_get_404_on_every_page(net, who):
    manifest = lifecycle(net, until="pickup")
    first = manifest.signatures.earliest("pk")
    page = browser(getattr(net, who))
    for url in (
        f"/manifests/{manifest.number}/",
        f"/manifests/{manifest.number}/sign/",
        f"/manifests/{manifest.number}/signatures/{first.pk}/copy.pdf",
    ):
        assert page.get(url).status_code == 404, url
    assert page.post(f"/manifests/{manifest.number}/sign/", {"step": "cancel"}).status_code == 404
    assert manifest.number not in page.get("/manifests/?tab=all").content.decode()
