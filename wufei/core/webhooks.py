"""Outgoing webhooks: the parties' own systems hear about state changes.

`webhook_notify` is an outbox: it writes one `WebhookDelivery` per subscribed endpoint in the
caller's transaction, so a change that rolls back notifies nobody, and asks for delivery after
commit (`wufei.core.tasks.run_after_commit`). Sending, signing and retrying live in
`wufei.core.webhook_delivery`; `wufei deliver_webhooks` retries what is still due.

An endpoint belongs to one organisation: its members see it and its deliveries, its
administrators (and platform administrators) create and disable it; the signing secret is shown
once, at creation. Any http(s) URL is accepted, including private addresses, since a party's
receiving system often sits on an internal network; a deployment that must not reach its own
network should filter egress at the firewall.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import MembershipRole, User
from wufei.accounts.viewer import Viewer
from wufei.core.audit import audit_append
from wufei.core.audit_models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from wufei.core.errors import NotFound, NotPermitted, ValidationFailed
from wufei.core.tasks import run_after_commit
from wufei.core.webhook_targets import webhook_target_refusal
from wufei.domain.hash_chain import canonical_json
from wufei.registry.models import Organisation

EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
MAX_EVENT_TYPES = 50
MAX_URL_LENGTH = 200


def _json_safe(payload: Mapping[str, Any]) -> dict[str, Any]:
    value = json.loads(canonical_json(payload))
    assert isinstance(value, dict)
    return value


def webhook_notify(
    *, organisation_ids: Iterable[int], event_type: str, payload: Mapping[str, Any]
) -> int:
    """Queue `event_type` for every active endpoint of these organisations that subscribed to
    it (an endpoint with no event list gets everything); return how many deliveries."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            organisation_id__in=set(organisation_ids), is_active=True
        )
        if not endpoint.events or event_type in endpoint.events
    ]
    if not endpoints:
        return 0
    now = timezone.now()
    data = _json_safe(payload)
    ids = [
        WebhookDelivery.objects.create(
            endpoint=endpoint, event_type=event_type, payload=data, next_attempt_at=now
        ).pk
        for endpoint in endpoints
    ]

    def deliver() -> None:
        from wufei.core.webhook_delivery import webhook_deliver_ids

        webhook_deliver_ids(ids)

    run_after_commit(deliver)
    return len(ids)


def _may_administer(viewer: Viewer, organisation_id: int) -> bool:
    return viewer.is_admin or viewer.role_in(organisation_id) == MembershipRole.ADMIN


def _clean_url(url: str) -> str:
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise ValidationFailed(
            _("The URL is longer than %(n)s characters.") % {"n": MAX_URL_LENGTH}, field="url"
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationFailed(
            _("Enter an http:// or https:// URL that your system listens on."), field="url"
        ) from exc
    refusal = webhook_target_refusal(url, resolve=False)
    if refusal is not None:
        raise ValidationFailed(
            _(
                "Webhooks are only posted to public internet addresses (%(reason)s): an "
                "address inside our network could be reached through them."
            )
            % {"reason": refusal},
            code="webhook_target_refused",
            field="url",
        )
    return url


def _clean_events(events: Iterable[str]) -> list[str]:
    cleaned = sorted({e.strip() for e in events if e.strip()})
    if len(cleaned) > MAX_EVENT_TYPES:
        raise ValidationFailed(
            _("Subscribe to at most %(n)s event types.") % {"n": MAX_EVENT_TYPES}, field="events"
        )
    for event in cleaned:
        if len(event) > 64 or not EVENT_TYPE.match(event):
            raise ValidationFailed(
                _("“%(event)s” is not an event type (e.g. manifest.signed).") % {"event": event},
                field="events",
            )
    return cleaned


def _actor(viewer: Viewer) -> User | None:
    return User.objects.filter(pk=viewer.user_id).first() if viewer.user_id else None


@transaction.atomic
def webhook_endpoint_create(
    *, viewer: Viewer, organisation: Organisation, url: str, events: Iterable[str]
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; return it with its signing secret, which is never shown again."""
    if not _may_administer(viewer, organisation.pk):
        raise NotPermitted(
            _("Only the organisation's administrators may manage its webhooks."),
            code="not_org_admin",
        )
    secret = secrets.token_hex(32)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url=_clean_url(url), secret=secret, events=_clean_events(events)
    )
    audit_append(
        actor=_actor(viewer),
        organisation=organisation,
        action="webhook.endpoint_created",
        subject_type="webhook_endpoint",
        subject_id=str(endpoint.pk),
        payload={"url": endpoint.url, "events": endpoint.events},
    )
    return endpoint, secret


def webhook_endpoint_disable_locked(
    endpoint: WebhookEndpoint, *, actor: User | None, reason: str
) -> None:
    """Disable a (locked) endpoint and give up its pending deliveries; caller holds the lock."""
    now = timezone.now()
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.save(update_fields=["is_active", "disabled_at", "consecutive_failures"])
    pending = endpoint.deliveries.filter(status=DeliveryStatus.PENDING)
    pending.filter(last_error="").update(last_error=reason)  # keep a real error where there is one
    pending.update(status=DeliveryStatus.FAILED)
    audit_append(
        actor=actor,
        organisation=endpoint.organisation,
        action="webhook.endpoint_disabled",
        subject_type="webhook_endpoint",
        subject_id=str(endpoint.pk),
        payload={"url": endpoint.url, "reason": reason},
    )


@transaction.atomic
def webhook_endpoint_disable(*, viewer: Viewer, endpoint_id: int) -> WebhookEndpoint:
    """Stop posting to an endpoint (its pending deliveries are given up)."""
    endpoint = webhook_endpoint_get_visible(viewer=viewer, endpoint_id=endpoint_id)
    if not _may_administer(viewer, endpoint.organisation_id):
        raise NotPermitted(
            _("Only the organisation's administrators may manage its webhooks."),
            code="not_org_admin",
        )
    endpoint = (
        WebhookEndpoint.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=endpoint.pk)
    )
    if endpoint.is_active:
        webhook_endpoint_disable_locked(
            endpoint, actor=_actor(viewer), reason="disabled by an administrator"
        )
    return endpoint


def webhook_endpoint_list_visible(*, viewer: Viewer) -> QuerySet[WebhookEndpoint]:
    """Endpoints of the viewer's organisations (every endpoint for a platform administrator)."""
    endpoints = WebhookEndpoint.objects.select_related("organisation").order_by("-created_at")
    if viewer.is_admin:
        return endpoints
    return endpoints.filter(organisation_id__in=viewer.organisation_ids)


def webhook_endpoint_get_visible(*, viewer: Viewer, endpoint_id: int) -> WebhookEndpoint:
    endpoint = webhook_endpoint_list_visible(viewer=viewer).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(_("No webhook endpoint %(id)s is visible to you.") % {"id": endpoint_id})
    return endpoint


def webhook_delivery_list_visible(*, viewer: Viewer, endpoint_id: int) -> QuerySet[WebhookDelivery]:
    """An endpoint's deliveries, newest first, for its organisation's members."""
    endpoint = webhook_endpoint_get_visible(viewer=viewer, endpoint_id=endpoint_id)
    return endpoint.deliveries.order_by("-created_at", "-pk")
