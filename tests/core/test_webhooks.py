"""Webhooks: signed POSTs after commit, back-off, endpoints disabled after repeated failures."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.core.receiver import running_receiver
from tests.registry import factories as f
from wufei.accounts.viewer import viewer_for
from wufei.core.audit_models import AuditEvent, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from wufei.core.webhook_delivery import (
    DISABLE_AFTER,
    webhook_attempt,
    webhook_backoff,
    webhook_deliver_due,
)
from wufei.core.webhooks import webhook_endpoint_create, webhook_notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    with running_receiver() as running:
        yield running


@pytest.fixture
def org_admin():
    org = f.make_org()
    user = f.make_user()
    f.make_member(user, org)
    return org, user


def _endpoint(org, user, url, events=()):
    return webhook_endpoint_create(
        viewer=viewer_for(user), organisation=org, url=url, events=list(events)
    )


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"


def test_a_committed_change_is_posted_signed(
    receiver, org_admin, django_capture_on_commit_callbacks
):
    org, user = org_admin
    endpoint, secret = _endpoint(org, user, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        queued = webhook_notify(
            organisation_ids=[org.pk],
            event_type="manifest.signed",
            payload={"number": "2025330100000001", "weight_g": 1500},
        )
    assert queued == 1
    (request,) = receiver.received
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["content-type"] == "application/json"
    assert headers["x-wufei-event"] == "manifest.signed"
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert headers["x-wufei-delivery"] == str(delivery.pk)
    # What a receiver does: recompute the HMAC over "<timestamp>.<body>" with its secret.
    expected = hmac.new(
        secret.encode(), f"{headers['x-wufei-timestamp']}.{request.body}".encode(), hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["x-wufei-signature"], f"sha256={expected}")
    body = json.loads(request.body)
    assert body["event"] == "manifest.signed"
    assert body["data"] == {"number": "2025330100000001", "weight_g": 1500}
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 1


def test_a_forged_body_does_not_verify(receiver, org_admin, django_capture_on_commit_callbacks):
    org, user = org_admin
    _endpoint_obj, secret = _endpoint(org, user, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        webhook_notify(organisation_ids=[org.pk], event_type="a.b", payload={"weight_g": 1})
    (request,) = receiver.received
    forged = request.body.replace('"weight_g":1', '"weight_g":9')
    timestamp = request.headers["X-Wufei-Timestamp"]
    mac = hmac.new(secret.encode(), f"{timestamp}.{forged}".encode(), hashlib.sha256)
    assert request.headers["X-Wufei-Signature"] != f"sha256={mac.hexdigest()}"


def test_a_rolled_back_change_notifies_nobody(
    receiver, org_admin, django_capture_on_commit_callbacks
):
    org, user = org_admin
    _endpoint(org, user, receiver.url)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        webhook_notify(organisation_ids=[org.pk], event_type="manifest.signed", payload={})
        raise RuntimeError("the signature was refused")
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


def test_only_subscribed_active_endpoints_of_the_named_organisations(receiver, org_admin):
    org, user = org_admin
    signed_only, _ = _endpoint(org, user, receiver.url, ["manifest.signed"])
    everything, _ = _endpoint(org, user, receiver.url)
    disabled, _ = _endpoint(org, user, receiver.url)
    WebhookEndpoint.objects.filter(pk=disabled.pk).update(is_active=False)
    other_org, other_user = f.make_org(), f.make_user()
    f.make_member(other_user, other_org)
    _endpoint(other_org, other_user, receiver.url)

    ids = [org.pk]
    assert webhook_notify(organisation_ids=ids, event_type="manifest.signed", payload={}) == 2
    assert webhook_notify(organisation_ids=ids, event_type="manifest.cancelled", payload={}) == 1
    assert set(WebhookDelivery.objects.values_list("endpoint_id", flat=True)) == {
        signed_only.pk,
        everything.pk,
    }


def test_failures_back_off_1_5_30_minutes_then_hours_then_daily(receiver, org_admin):
    org, user = org_admin
    receiver.status = 500
    _endpoint(org, user, receiver.url)
    webhook_notify(organisation_ids=[org.pk], event_type="manifest.signed", payload={})
    now = timezone.now()
    waits = []
    for _ in range(8):
        assert webhook_deliver_due(now=now) == 0
        delivery = WebhookDelivery.objects.get()
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at
    minutes = [int(w.total_seconds() // 60) for w in waits]
    assert minutes == [1, 5, 30, 120, 360, 720, 1440, 1440]
    assert delivery.attempts == 8
    assert delivery.last_status_code == 500
    assert "HTTP 500" in delivery.last_error
    assert webhook_deliver_due(now=now - timedelta(seconds=1)) == 0  # not yet due
    assert WebhookDelivery.objects.get().attempts == 8
    assert webhook_backoff(100) == timedelta(hours=24)


def test_endpoint_disabled_after_ten_consecutive_failures(org_admin):
    org, user = org_admin
    endpoint, _ = _endpoint(org, user, _closed_port_url())
    for n in range(DISABLE_AFTER - 1):
        webhook_notify(organisation_ids=[org.pk], event_type="e.x", payload={"n": n})
        assert webhook_deliver_due() == 0
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.consecutive_failures == DISABLE_AFTER - 1
    webhook_notify(organisation_ids=[org.pk], event_type="e.x", payload={"n": "last"})
    assert webhook_deliver_due() == 0
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert endpoint.consecutive_failures == DISABLE_AFTER
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert "refused" in WebhookDelivery.objects.get(payload={"n": "last"}).last_error
    audit = AuditEvent.objects.filter(action="webhook.endpoint_disabled").get()
    assert "10 consecutive failures" in audit.payload["reason"]
    assert webhook_notify(organisation_ids=[org.pk], event_type="e.x", payload={}) == 0


def test_pending_deliveries_fail_with_the_endpoint(receiver, org_admin):
    org, user = org_admin
    receiver.status = 503
    endpoint, _ = _endpoint(org, user, receiver.url)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=DISABLE_AFTER - 1)
    webhook_notify(organisation_ids=[org.pk], event_type="e.x", payload={"first": True})
    webhook_notify(organisation_ids=[org.pk], event_type="e.x", payload={"second": True})
    first = WebhookDelivery.objects.order_by("pk").first()
    assert first is not None
    assert not webhook_attempt(first)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert len(receiver.received) == 1


def test_a_success_resets_the_failure_count(receiver, org_admin):
    org, user = org_admin
    endpoint, _ = _endpoint(org, user, receiver.url)
    receiver.status = 502
    webhook_notify(organisation_ids=[org.pk], event_type="e.x", payload={})
    now = timezone.now()
    for _ in range(3):
        webhook_deliver_due(now=now)
        now = WebhookDelivery.objects.get().next_attempt_at
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 3
    receiver.status = 204
    assert webhook_deliver_due(now=now) == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_redirect_is_not_followed(receiver, org_admin):
    org, user = org_admin
    receiver.status = 302
    _endpoint(org, user, receiver.url)
    webhook_notify(organisation_ids=[org.pk], event_type="e.x", payload={})
    assert webhook_deliver_due() == 0
    assert WebhookDelivery.objects.get().last_status_code == 302


def test_deliver_webhooks_command(receiver, org_admin, capsys):
    from django.core.management import call_command

    org, user = org_admin
    _endpoint(org, user, receiver.url)
    webhook_notify(organisation_ids=[org.pk], event_type="e.x", payload={})
    webhook_notify(organisation_ids=[org.pk], event_type="e.y", payload={})
    call_command("deliver_webhooks", "--limit", "1")
    assert "2 of 2" in capsys.readouterr().out
    assert len(receiver.received) == 2
