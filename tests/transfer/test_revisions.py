"""After signature nothing is edited: a correction is approved by every signed party, and both
versions stay visible."""

from __future__ import annotations

import pytest

from tests.transfer.network import KG, as_, create, lifecycle
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import Conflict, NotPermitted, ValidationFailed
from wufei.transfer import services as s
from wufei.transfer.models import Revision


def request(net, manifest, user, changes, reason="称重有误"):
    return s.manifest_revision_request(
        **as_(user), manifest=manifest, changes=changes, reason=reason
    )


def decide(net, revision, user, approve=True):
    return s.manifest_revision_decide(**as_(user), revision=revision, approve=approve)


def test_every_signed_party_approves_then_the_version_goes_up(net):
    manifest = lifecycle(net, until="deliver")
    revision = request(net, manifest, net.alice, {"lines": {"1": {"weight_g": 240 * KG}}})
    assert set(revision.approvers) == {net.shipper.pk, net.carrier.pk}
    assert revision.before["lines"][0]["weight_g"] == 250 * KG
    assert revision.after["lines"][0]["weight_g"] == 240 * KG
    manifest.refresh_from_db()
    assert manifest.version == 1 and manifest.lines.get().weight_g == 250 * KG
    with pytest.raises(Conflict) as twice:
        decide(net, revision, net.sam)  # the shipper approved by asking
    assert twice.value.code == "already_decided"
    decide(net, revision, net.kate)
    revision.refresh_from_db()
    manifest.refresh_from_db()
    assert revision.state == Revision.State.APPLIED
    assert manifest.version == 2 and manifest.lines.get().weight_g == 240 * KG
    # the signatures keep what was signed: version 1 and its weight
    signed = manifest.signatures.get(action="sign_shipper")
    assert signed.manifest_version == 1 and signed.content["lines"][0]["weight_g"] == 250 * KG
    applied = AuditEvent.objects.get(action="manifest.revision_applied").payload
    assert applied["from_version"] == 1 and applied["version"] == 2
    assert applied["before_hash"] != applied["content_hash"]


def test_a_rejection_closes_the_revision_and_changes_nothing(net):
    manifest = lifecycle(net, until="receive")
    revision = request(net, manifest, net.rita, {"emergency_measures": "新的措施"})
    assert set(revision.approvers) == {net.shipper.pk, net.carrier.pk, net.plant.pk}
    decide(net, revision, net.kate)
    decide(net, revision, net.alice, approve=False)
    revision.refresh_from_db()
    manifest.refresh_from_db()
    assert revision.state == Revision.State.REJECTED and manifest.version == 1
    assert manifest.emergency_measures.startswith("泄漏")
    with pytest.raises(Conflict):
        decide(net, revision, net.rudi)


def test_only_signed_parties_request_or_decide(net):
    manifest = lifecycle(net, until="sign_shipper")
    with pytest.raises(NotPermitted):
        request(net, manifest, net.kate, {"emergency_measures": "x"})  # carrier not signed yet
    with pytest.raises(NotPermitted):
        request(net, manifest, net.reader, {"emergency_measures": "x"})
    # only the shipper has signed: its own request applies at once
    revision = request(net, manifest, net.alice, {"planned_on": "2026-12-01"})
    manifest.refresh_from_db()
    assert revision.state == Revision.State.APPLIED and str(manifest.planned_on) == "2026-12-01"


def test_a_draft_is_not_revised_and_parties_or_codes_never_are(net):
    with pytest.raises(NotPermitted):
        request(net, create(net), net.alice, {"emergency_measures": "x"})
    manifest = lifecycle(net, until="pickup")
    for changes in (
        {"receiver": "someone"},
        {"lines": {"1": {"waste_code": "900-041-49"}}},
        {"lines": {"9": {"weight_g": 1}}},
        {"lines": {"1": {"weight_g": -5}}},
        {},
    ):
        with pytest.raises(ValidationFailed) as refused:
            request(net, manifest, net.alice, changes)
        assert refused.value.code == "revision_invalid"


def test_one_open_revision_at_a_time(net):
    manifest = lifecycle(net, until="pickup")
    request(net, manifest, net.alice, {"emergency_measures": "一"})
    with pytest.raises(Conflict) as refused:
        request(net, manifest, net.kate, {"emergency_measures": "二"})
    assert refused.value.code == "revision_open"


def test_a_weight_revision_after_pick_up_keeps_the_ledger_hand_over_as_signed(net):
    from wufei.ledger.models import EventKind, LedgerEvent

    manifest = lifecycle(net, until="pickup")
    revision = request(net, manifest, net.alice, {"lines": {"1": {"weight_g": 260 * KG}}})
    decide(net, revision, net.kate)
    handed = LedgerEvent.objects.filter(manifest=manifest, kind=EventKind.HAND_OVER)
    assert sum(e.quantity_g for e in handed) == 250 * KG
    pickup = manifest.signatures.get(action="sign_pickup")
    assert pickup.content["lines"][0]["weight_g"] == 250 * KG
