"""Sending webhook deliveries: signed POSTs, retries with back-off, failing endpoints disabled.

Each attempt POSTs the JSON body with

    X-Wufei-Event, X-Wufei-Delivery (id), X-Wufei-Timestamp (Unix seconds),
    X-Wufei-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>

so the receiver checks authenticity with its secret and rejects replays by the timestamp
(`webhook_signature` is the reference computation). A 2xx answer is success; anything else —
another status, a redirect (not followed), a timeout (5 s) — is a failure, retried after 1 min,
5 min, 30 min, 2 h, 6 h, 12 h and then daily, at most `MAX_ATTEMPTS` times. After
`DISABLE_AFTER` consecutive failures the endpoint is disabled and its pending deliveries fail;
one success resets the count.

A due delivery is first leased (its next attempt moved `LEASE` ahead, with SKIP LOCKED on
PostgreSQL), so the after-commit thread and `wufei deliver_webhooks` never post it twice at once;
no transaction is held open during the HTTP request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from wufei.core.audit_models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from wufei.core.webhook_targets import webhook_target_refusal
from wufei.core.webhooks import webhook_endpoint_disable_locked

TIMEOUT_S = 5
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
MAX_ATTEMPTS = 15  # 1 min … then daily: about a week of trying
DISABLE_AFTER = 10
LEASE = timedelta(minutes=2)
USER_AGENT = "Wufei-Webhooks/1"


def webhook_backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1-based), capped at a day."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def webhook_signature(secret: str, timestamp: str, body: str) -> str:
    """The X-Wufei-Signature value a receiver recomputes to check a delivery."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def webhook_body(delivery: WebhookDelivery) -> str:
    return json.dumps(
        {
            "id": delivery.pk,
            "event": delivery.event_type,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def webhook_headers(delivery: WebhookDelivery, *, body: str, now: datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Wufei-Event": delivery.event_type,
        "X-Wufei-Delivery": str(delivery.pk),
        "X-Wufei-Timestamp": timestamp,
        "X-Wufei-Signature": webhook_signature(delivery.endpoint.secret, timestamp, body),
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not success: the receiver must give its real URL."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: str, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST and return (status code or None, error text — empty on 2xx)."""
    if not url.startswith(("http://", "https://")):
        return None, "only http and https URLs are posted to"
    refusal = webhook_target_refusal(url)
    if refusal is not None:
        return None, f"refused: {refusal}"[:500]
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=body.encode("utf-8"), headers=headers, method="POST"
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_S) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code} {exc.reason}"[:500]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(exc).__name__}: {reason}"[:500]
    if 200 <= status < 300:
        return status, ""
    return status, f"HTTP {status}"


@transaction.atomic
def _record(delivery_id: int, *, status: int | None, error: str, now: datetime) -> bool:
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    endpoint = (
        WebhookEndpoint.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=delivery.endpoint_id)
    )
    delivery.attempts += 1  # the row is locked (SQLite: the write transaction is exclusive)
    delivery.last_status_code = status
    delivery.last_error = error
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.save()
        if endpoint.consecutive_failures:
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["consecutive_failures"])
        return True
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + webhook_backoff(delivery.attempts)
    delivery.save()
    endpoint.consecutive_failures += 1
    endpoint.save(update_fields=["consecutive_failures"])
    if endpoint.is_active and endpoint.consecutive_failures >= DISABLE_AFTER:
        webhook_endpoint_disable_locked(
            endpoint,
            actor=None,
            reason=f"disabled after {endpoint.consecutive_failures} consecutive failures",
        )
    return False


def webhook_attempt(delivery: WebhookDelivery, *, now: datetime | None = None) -> bool:
    """Post one delivery once and record the outcome; True when the receiver answered 2xx."""
    now = now or timezone.now()
    body = webhook_body(delivery)
    headers = webhook_headers(delivery, body=body, now=now)
    status, error = _post(delivery.endpoint.url, body, headers)
    return _record(delivery.pk, status=status, error=error, now=now)


def _lease_due(*, now: datetime, limit: int, ids: Iterable[int] | None = None) -> list[int]:
    """Claim up to `limit` due deliveries by moving their next attempt a lease ahead."""
    with transaction.atomic():
        due = WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
        ).order_by("next_attempt_at", "pk")
        if ids is not None:
            due = due.filter(pk__in=list(ids))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed = list(due.values_list("pk", flat=True)[:limit])
        WebhookDelivery.objects.filter(pk__in=claimed).update(next_attempt_at=now + LEASE)
    return claimed


def _send(claimed: list[int], now: datetime | None) -> int:
    delivered = 0
    for delivery in WebhookDelivery.objects.filter(pk__in=claimed).select_related("endpoint"):
        if webhook_attempt(delivery, now=now):
            delivered += 1
    return delivered


def webhook_deliver_batch(*, now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Attempt up to `limit` due deliveries; return (attempted, delivered)."""
    claimed = _lease_due(now=now or timezone.now(), limit=limit)
    return len(claimed), _send(claimed, now)


def webhook_deliver_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Attempt up to `limit` deliveries whose time has come; return how many succeeded."""
    return webhook_deliver_batch(now=now, limit=limit)[1]


def webhook_deliver_ids(ids: Iterable[int]) -> int:
    """Attempt these deliveries now, if still due (the after-commit path of webhook_notify)."""
    ids = list(ids)
    if not ids:
        return 0
    return _send(_lease_due(now=timezone.now(), limit=len(ids), ids=ids), None)
