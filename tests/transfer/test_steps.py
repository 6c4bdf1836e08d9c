"""Each step: who may sign it, in which order, and what a signature records."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.transfer.network import as_, create, lifecycle
from wufei.core.audit import audit_verify
from wufei.core.audit_models import AuditEvent, WebhookDelivery, WebhookEndpoint
from wufei.core.calendar import workday_calendar
from wufei.core.errors import Conflict, NotPermitted
from wufei.domain.hash_chain import content_hash
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.transfer import services as s
from wufei.transfer.content import manifest_content, manifest_load
from wufei.transfer.models import Manifest, Signature


def test_a_signature_records_signer_time_hash_of_the_content_and_a_copy(net):
    manifest = lifecycle(net, until="sign_shipper")
    signature = Signature.objects.get(manifest=manifest)
    assert signature.signer == net.alice and signature.organisation == net.shipper
    assert signature.party == "shipper" and signature.manifest_version == 1
    assert signature.content == manifest_content(manifest_load(pk=manifest.pk))
    assert signature.content_hash == content_hash(signature.content)
    pdf = bytes(signature.copy_of_record)
    assert signature.copy_sha256 == hashlib.sha256(pdf).hexdigest()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert manifest.number in text and signature.content_hash in text
    assert "甲化工" in text and "萧山处置" in text and "0.250" in text


def test_every_step_is_audited_in_the_chain_and_notified_to_the_parties(net):
    endpoint = WebhookEndpoint.objects.create(
        organisation=net.plant, url="https://plant.example/hook", secret="x" * 64
    )
    endpoint.is_active = False  # nothing is sent in the test; deliveries are still queued
    endpoint.save()
    WebhookEndpoint.objects.create(
        organisation=net.carrier,
        url="https://carrier.example/hook",
        secret="y" * 64,
        events=["manifest.sign_pickup"],
    )
    manifest = lifecycle(net)
    actions = list(
        AuditEvent.objects.filter(subject_type="manifest", subject_id=manifest.number).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "manifest.create",
        "manifest.sign_shipper",
        "manifest.sign_pickup",
        "manifest.sign_delivery",
        "manifest.accept",
        "manifest.record_treatment",
    ]
    payload = AuditEvent.objects.get(action="manifest.sign_pickup").payload
    assert payload["content_hash"] == Signature.objects.get(action="sign_pickup").content_hash
    assert audit_verify() is None
    deliveries = WebhookDelivery.objects.filter(endpoint__organisation=net.carrier)
    assert [d.event_type for d in deliveries] == ["manifest.sign_pickup"]
    assert deliveries.get().payload["number"] == manifest.number


@pytest.mark.parametrize(
    ("who", "code"),
    [("reader", "readonly_member"), ("dave", "not_a_party"), ("nobody", "not_a_party")],
)
def test_only_acting_members_of_the_shipper_sign_for_it(net, who, code):
    manifest = create(net)
    with pytest.raises(NotPermitted) as refused:
        s.manifest_sign_shipper(**as_(getattr(net, who)), manifest=manifest)
    assert refused.value.code == code
    assert Manifest.objects.get(pk=manifest.pk).status == "draft"


def test_a_driver_signs_transport_steps_only_as_its_own_carrier(net):
    manifest = lifecycle(net, until="sign_shipper")
    with pytest.raises(NotPermitted) as other_carrier:
        s.manifest_sign_pickup(**as_(net.olga), manifest=manifest)
    assert other_carrier.value.code == "not_a_party"
    manifest = s.manifest_sign_pickup(**as_(net.dave), manifest=manifest)
    manifest = s.manifest_sign_delivery(**as_(net.dan), manifest=manifest)
    assert manifest.status == "arrived"


def test_a_driver_never_signs_for_the_receiver_even_when_it_is_a_member_there(net):
    from tests.transfer.network import member
    from wufei.accounts.models import MembershipRole

    member(net.dave, net.plant, MembershipRole.DRIVER)
    manifest = lifecycle(net, until="deliver")
    with pytest.raises(NotPermitted) as refused:
        s.manifest_receive(
            **as_(net.dave),
            manifest=manifest,
            decision="accept",
            lines=[s.ReceiptLine(position=1, received_weight_g=1)],
        )
    assert refused.value.code == "driver_scope"


def test_carriers_sign_in_their_order_and_hand_over_between_them(net):
    manifest = lifecycle(net, until="sign_shipper", carriers=2)
    with pytest.raises(Conflict) as early:
        s.manifest_sign_pickup(**as_(net.carl), manifest=manifest)
    assert early.value.code == "carrier_order"
    s.manifest_sign_pickup(**as_(net.kate), manifest=manifest)
    with pytest.raises(Conflict) as not_last:
        s.manifest_sign_delivery(**as_(net.kate), manifest=manifest)
    assert not_last.value.code == "carrier_order"
    s.manifest_sign_pickup(**as_(net.carl), manifest=manifest)
    done = s.manifest_sign_delivery(**as_(net.carl), manifest=manifest)
    legs = list(done.carriers.order_by("position"))
    assert legs[0].delivered_at == legs[1].picked_up_at
    assert done.status == "arrived"
    # the hand-over left the shipper's ledger once, at the first pick-up
    handed = LedgerEvent.objects.filter(manifest=manifest, kind=EventKind.HAND_OVER)
    assert sum(e.quantity_g for e in handed) == 250_000
    assert {e.occurred_at for e in handed} == {legs[0].picked_up_at}


def test_hand_over_follows_the_containers_and_adds_up_to_the_line(net):
    manifest = lifecycle(net, until="pickup")
    handed = LedgerEvent.objects.filter(manifest=manifest, kind=EventKind.HAND_OVER)
    assert handed.count() == 3
    assert {e.container for e in handed} == set(net.containers)
    assert sorted(e.quantity_g for e in handed) == [83_333, 83_333, 83_334]
    assert all(e.receiver == net.plant for e in handed)
    assert {e.receiver_permit_number for e in handed} == {net.permit.number}


def test_cancellation_only_before_pick_up(net):
    cancelled = s.manifest_cancel(**as_(net.alice), manifest=create(net), reason="计划变更")
    assert cancelled.status == "cancelled" and cancelled.cancelled_at
    ready = lifecycle(net, until="sign_shipper")
    assert s.manifest_cancel(**as_(net.sam), manifest=ready).status == "cancelled"
    moving = lifecycle(net, until="pickup")
    with pytest.raises(Conflict) as refused:
        s.manifest_cancel(**as_(net.alice), manifest=moving)
    assert refused.value.code == "cancel_before_pickup"


def test_a_draft_is_edited_but_a_signed_manifest_is_not(net):
    from tests.transfer.network import draft

    manifest = create(net)
    edited = s.manifest_update_draft(
        **as_(net.sam), manifest=manifest, draft=draft(net, weight_g=200_000)
    )
    assert edited.lines.get().weight_g == 200_000 and edited.number == manifest.number
    s.manifest_sign_shipper(**as_(net.alice), manifest=edited)
    with pytest.raises(Conflict) as refused:
        s.manifest_update_draft(**as_(net.alice), manifest=edited, draft=draft(net))
    assert refused.value.code == "signed_is_final"


def test_delivery_sets_the_receipt_deadline_in_working_days(net):
    manifest = lifecycle(net, until="deliver")
    arrived = timezone.localdate(manifest.arrived_at)
    assert manifest.receipt_due_on == workday_calendar().add_workdays(arrived, 5)
    assert manifest.receipt_due_on - arrived >= timedelta(days=5)


def test_the_signing_user_must_be_the_viewer(net):
    manifest = create(net)
    with pytest.raises(NotPermitted) as refused:
        s.manifest_sign_shipper(viewer=as_(net.alice)["viewer"], actor=net.sam, manifest=manifest)
    assert refused.value.code == "signer_mismatch"
