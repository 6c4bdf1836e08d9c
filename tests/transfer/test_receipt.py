"""The receiver's step: weights, discrepancies (第十八条), decisions, the return path, lateness,
and the treatment record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.transfer.network import KG, as_, lifecycle
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import Conflict, ValidationFailed
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.transfer import services as s
from wufei.transfer.models import Manifest


def receive(net, manifest, decision, *lines, user=None):
    return s.manifest_receive(
        **as_(user or net.rita), manifest=manifest, decision=decision, lines=list(lines)
    )


def test_acceptance_within_tolerance_records_no_discrepancy(net):
    manifest = lifecycle(net, until="deliver")
    done = receive(net, manifest, "accept", s.ReceiptLine(1, received_weight_g=245 * KG))
    assert done.status == "accepted" and not done.has_discrepancy
    line = done.lines.get()
    assert line.received_weight_g == line.accepted_weight_g == 245 * KG
    receipt = LedgerEvent.objects.get(manifest=manifest, kind=EventKind.RECEIVE)
    assert receipt.organisation == net.plant and receipt.quantity_g == 245 * KG


def test_each_differing_field_is_a_discrepancy_and_flags_the_manifest(net):
    manifest = lifecycle(net, until="deliver")
    done = receive(
        net,
        manifest,
        "accept",
        s.ReceiptLine(
            1,
            received_weight_g=200 * KG,  # 20 % less than declared
            observed_name="废乳化液",
            observed_characteristics="I,T",  # same set as "T,I": no discrepancy
            observed_form="半固态",
            observed_packaging="吨袋",
            note="桶身破损",
        ),
    )
    assert done.has_discrepancy
    found = {d.field: (d.declared, d.observed) for d in done.discrepancies.all()}
    assert set(found) == {"name", "quantity", "form", "packaging"}
    assert found["quantity"] == ("250000", "200000")
    payload = AuditEvent.objects.get(action="manifest.accept").payload
    assert {d["field"] for d in payload["discrepancies"]} == set(found)


def test_partial_acceptance_splits_the_weight_and_opens_the_return_path(net):
    manifest = lifecycle(net, until="deliver")
    done = receive(
        net,
        manifest,
        "partial",
        s.ReceiptLine(1, received_weight_g=250 * KG, accepted_weight_g=150 * KG),
    )
    assert done.status == "partially_accepted" and done.return_status == "pending"
    line = done.lines.get()
    assert line.accepted_weight_g + 100 * KG == line.received_weight_g
    s.manifest_record_treatment(
        **as_(net.rita), manifest=done, lines=[s.TreatmentLine(1, net.d10, 150 * KG)]
    )
    s.manifest_start_return(**as_(net.dave), manifest=done)
    back = s.manifest_confirm_return(**as_(net.alice), manifest=done)
    assert back.status == "treated" and back.return_status == "returned"
    returned = LedgerEvent.objects.get(
        manifest=manifest, kind=EventKind.RECEIVE, organisation=net.shipper
    )
    assert returned.quantity_g == 100 * KG and returned.facility == net.store


def test_refusal_accepts_nothing_and_the_waste_goes_back(net):
    manifest = lifecycle(net, until="deliver")
    refused = receive(net, manifest, "refuse", s.ReceiptLine(1, received_weight_g=250 * KG))
    assert refused.status == "refused" and refused.lines.get().accepted_weight_g == 0
    assert not LedgerEvent.objects.filter(manifest=manifest, organisation=net.plant).exists()
    with pytest.raises(Conflict):
        s.manifest_confirm_return(**as_(net.alice), manifest=refused)  # not on its way yet
    s.manifest_start_return(**as_(net.dave), manifest=refused)
    assert s.manifest_confirm_return(**as_(net.alice), manifest=refused).return_status == "returned"


@pytest.mark.parametrize(
    ("decision", "accepted"),
    [("accept", 100 * KG), ("refuse", 100 * KG), ("partial", 250 * KG), ("partial", 0)],
)
def test_the_decision_must_match_the_accepted_weight(net, decision, accepted):
    manifest = lifecycle(net, until="deliver")
    with pytest.raises(ValidationFailed) as refused:
        receive(
            net,
            manifest,
            decision,
            s.ReceiptLine(1, received_weight_g=250 * KG, accepted_weight_g=accepted),
        )
    assert refused.value.code == "decision_inconsistent"
    assert Manifest.objects.get(pk=manifest.pk).status == "arrived"


def test_a_late_receipt_is_allowed_but_recorded_as_late(net):
    manifest = lifecycle(net, until="deliver")
    Manifest.objects.filter(pk=manifest.pk).update(
        receipt_due_on=timezone.localdate() - timedelta(days=1)
    )
    done = receive(net, manifest, "accept", s.ReceiptLine(1, received_weight_g=250 * KG))
    assert done.received_late and done.status == "accepted"
    assert AuditEvent.objects.get(action="manifest.accept").payload["late"] is True


def test_the_receiver_decides_only_after_arrival(net):
    manifest = lifecycle(net, until="pickup")
    with pytest.raises(Conflict) as early:
        receive(net, manifest, "accept", s.ReceiptLine(1, received_weight_g=1))
    assert early.value.code == "state"


def test_treatment_method_must_be_on_the_receivers_licence(net):
    manifest = lifecycle(net, until="receive")
    with pytest.raises(ValidationFailed) as refused:
        s.manifest_record_treatment(
            **as_(net.rita), manifest=manifest, lines=[s.TreatmentLine(1, net.d1, 250 * KG)]
        )
    assert refused.value.code == "treatment_method_not_licensed"
    with pytest.raises(ValidationFailed) as too_much:
        s.manifest_record_treatment(
            **as_(net.rita), manifest=manifest, lines=[s.TreatmentLine(1, net.d10, 251 * KG)]
        )
    assert too_much.value.code == "treated_weight_invalid"
    done = s.manifest_record_treatment(
        **as_(net.rita), manifest=manifest, lines=[s.TreatmentLine(1, net.r9, 250 * KG)]
    )
    assert done.status == "treated" and done.lines.get().treatment_method == net.r9


def test_every_line_must_be_weighed(net):
    manifest = lifecycle(net, until="deliver")
    with pytest.raises(ValidationFailed) as refused:
        receive(net, manifest, "accept")
    assert refused.value.code == "line_missing"
    with pytest.raises(ValidationFailed) as unknown:
        receive(net, manifest, "accept", s.ReceiptLine(2, received_weight_g=1))
    assert unknown.value.code == "unknown_line"
