"""Before the shipper signs, every rule of the document type is checked and every failure is
reported at once, each naming its rule and article."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.registry import factories as f
from tests.transfer.network import KG, as_, containers_with_stock, create, draft, lifecycle
from wufei.registry.models import PermitKind
from wufei.transfer import services as s
from wufei.transfer.checks import ManifestInvalid
from wufei.transfer.models import DocType, Manifest
from wufei.transfer.rules import RULES, rules_for


def sign(net, manifest: Manifest) -> Manifest:
    return s.manifest_sign_shipper(**as_(net.alice), manifest=manifest)


def failures(net, manifest: Manifest) -> dict[str, str]:
    with pytest.raises(ManifestInvalid) as refused:
        sign(net, manifest)
    assert refused.value.code == "manifest_invalid"
    assert Manifest.objects.get(pk=manifest.pk).status == "draft"
    return {f.rule: f.message for f in refused.value.failures}


def test_a_valid_manifest_is_signed_and_names_the_receivers_licence(net):
    manifest = sign(net, create(net))
    assert manifest.status == "ready"
    assert manifest.receiver_permit == net.permit
    assert manifest.shipper_signed_at is not None


def test_every_failure_is_reported_at_once_with_its_article(net):
    net.permit.valid_until = timezone.localdate() - timedelta(days=1)
    net.permit.valid_from = net.permit.valid_until - timedelta(days=300)
    net.permit.save()
    net.licence.kind = PermitKind.HW_COLLECTION
    net.licence.save()
    net.truck.valid_until = timezone.localdate() - timedelta(days=1)
    net.truck.save()
    manifest = s.manifest_create(
        **as_(net.alice),
        draft=draft(net, containers=net.containers[:2], container_count=3),
    )
    manifest.receiver_permit = net.permit
    manifest.save()
    found = failures(net, manifest)
    assert {
        "receiver_permit_expired",
        "carrier_licence_kind",
        "vehicle_certificate_expired",
        "container_count",
        "ledger_short",
    } <= set(found)
    assert "Hazardous Waste Transfer Measures, art. 13" in found["carrier_licence_kind"] or (
        "第十三条" in found["carrier_licence_kind"]
    )


def test_the_licence_must_cover_each_code(net):
    plant_permit = f.make_permit(net.plant)  # covers nothing
    plant_permit.facility = net.kiln
    plant_permit.save()
    manifest = create(net)
    manifest.receiver_permit = plant_permit
    manifest.save()
    found = failures(net, manifest)
    assert "receiver_permit_code" in found and "900-249-08" in found["receiver_permit_code"]


def test_the_remaining_annual_capacity_counts_signed_transfers_only(net):
    net.permit.annual_capacity_t = Decimal("0.400000")  # 400 kg a year
    net.permit.save()
    first = sign(net, create(net, containers=net.containers[:1], weight_g=100 * KG))
    assert first.status == "ready"
    more = containers_with_stock(net, count=4, grams_each=100 * KG)
    # 100 kg signed, 300 kg left: 301 kg is too much, whatever drafts exist.
    create(net, containers=more[:1], weight_g=90 * KG)  # a draft does not count
    too_much = create(net, containers=more, weight_g=301 * KG)
    assert "receiver_capacity" in failures(net, too_much)
    s.manifest_cancel(**as_(net.alice), manifest=first)  # cancelled transfers free capacity
    assert sign(net, too_much).status == "ready"


def test_carriers_must_be_carriers_with_their_own_vehicle(net):
    manifest = s.manifest_create(
        **as_(net.alice),
        draft=s.DraftInput(
            shipper_facility=net.gen,
            receiver_facility=net.kiln,
            planned_on=timezone.localdate(),
            lines=draft(net).lines,
            carriers=[s.CarrierInput(net.plant, net.truck2, net.licence, "", "")],
        ),
    )
    found = failures(net, manifest)
    assert {"carrier_not_carrier", "carrier_licence_owner", "vehicle_owner"} <= set(found)


def test_containers_must_be_the_shippers_labelled_containers_of_the_code(net):
    rags = containers_with_stock(net, count=1, grams_each=10 * KG, waste=net.rags)
    manifest = create(net, containers=[*net.containers[:2], rags[0]])
    found = failures(net, manifest)
    assert "container_code" in found and "900-041-49" in found["container_code"]


def test_a_container_cannot_travel_on_two_manifests(net):
    sign(net, create(net, containers=net.containers[:1], weight_g=90 * KG))
    second = create(net, containers=net.containers[:1], weight_g=90 * KG)
    assert "container_on_other_manifest" in failures(net, second)


def test_the_shippers_ledger_must_hold_the_declared_weight(net):
    manifest = create(net, weight_g=301 * KG)  # three containers of 100 kg
    found = failures(net, manifest)
    assert "ledger_short" in found


def test_cross_province_needs_a_valid_approval_with_quantity_left(net):
    manifest = create(net, receiver_facility=net.far_kiln)
    assert "approval_missing" in failures(net, manifest)
    today = timezone.localdate()
    approval = s.cross_province_approval_create(
        **as_(net.reg_zj),
        number="浙危废跨2026-001",
        shipper=net.shipper,
        receiver=net.far_plant,
        issued_by="浙江省生态环境厅",
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=300),
        items=[s.ApprovalItemInput(net.oil, 200 * KG, net.d10)],
    )
    manifest = Manifest.objects.get(pk=manifest.pk)
    found = failures(net, manifest)  # 250 kg > 200 kg approved
    assert set(found) == {"approval_quantity"}
    assert manifest.approval is None  # the refused signature changed nothing
    small = create(
        net, receiver_facility=net.far_kiln, containers=net.containers[:2], weight_g=190 * KG
    )
    assert sign(net, small).approval == approval


def test_an_approval_never_covers_more_than_twelve_months(net):
    from wufei.transfer.models import CrossProvinceApproval

    today = timezone.localdate()
    approval = CrossProvinceApproval.objects.create(
        number="旧批复",
        shipper=net.shipper,
        receiver=net.far_plant,
        issued_by="浙江省生态环境厅",
        valid_from=today - timedelta(days=400),
        valid_until=today + timedelta(days=10),  # as recorded, beyond 12 months
    )
    approval.items.create(waste_code=net.oil, approved_g=10**9)
    manifest = create(net, receiver_facility=net.far_kiln)
    manifest.approval = approval
    manifest.save()
    assert "approval_expired" in failures(net, manifest)


def test_only_a_provincial_regulator_records_an_approval(net):
    from wufei.core.errors import NotPermitted, ValidationFailed

    today = timezone.localdate()
    kwargs = {
        "number": "X-1",
        "shipper": net.shipper,
        "receiver": net.far_plant,
        "issued_by": "浙江省生态环境厅",
        "valid_from": today,
        "valid_until": today + timedelta(days=30),
        "items": [s.ApprovalItemInput(net.oil, 1000)],
    }
    with pytest.raises(NotPermitted):
        s.cross_province_approval_create(**as_(net.reg108), **kwargs)
    with pytest.raises(NotPermitted):
        s.cross_province_approval_create(**as_(net.reg_js), **kwargs)
    with pytest.raises(ValidationFailed) as too_long:
        s.cross_province_approval_create(
            **as_(net.admin), **{**kwargs, "valid_until": today + timedelta(days=366)}
        )
    assert too_long.value.code == "validity_too_long"


def test_each_doc_type_has_its_own_rule_set():
    assert set(RULES) == set(DocType.values)
    hazardous, general = rules_for(DocType.HAZARDOUS), rules_for(DocType.GENERAL_INDUSTRIAL)
    assert hazardous.receipt_deadline_workdays == 5
    assert hazardous.carrier_licence_kind == PermitKind.ROAD_HAZMAT and hazardous.labels_required
    assert not general.labels_required and not general.receiver_permit_kinds
    assert general.receiver_must_be_treatment


def test_a_general_industrial_manifest_needs_no_labels_or_licence(net):
    manifest = s.manifest_create(
        **as_(net.alice),
        draft=draft(net, containers=[]),
        doc_type=DocType.GENERAL_INDUSTRIAL,
    )
    manifest = sign(net, manifest)
    assert manifest.status == "ready" and manifest.receiver_permit is None


def test_a_general_industrial_receiver_must_be_a_treatment_facility(net):
    from wufei.registry.models import FacilityKind

    warehouse = f.make_org(name="仓库", is_carrier=True)
    store = f.make_facility(warehouse, kind=FacilityKind.STORAGE)
    manifest = s.manifest_create(
        **as_(net.alice),
        draft=draft(net, containers=[], receiver_facility=store),
        doc_type=DocType.GENERAL_INDUSTRIAL,
    )
    assert set(failures(net, manifest)) == {"receiver_not_treatment"}


def test_the_shipper_signs_once(net):
    from wufei.core.errors import Conflict

    manifest = lifecycle(net, until="sign_shipper")
    with pytest.raises(Conflict) as again:
        sign(net, manifest)
    assert again.value.code == "already_signed"
