"""API shapes of the webhooks. The signing secret appears only in the answer to a create."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from wufei.core.audit_models import WebhookEndpoint


class WebhookEndpointIn(Schema):
    organisation: str = Field(..., description="USCC of the organisation the endpoint serves")
    url: str = Field(..., description="http(s) URL your system receives POSTs on")
    events: list[str] = Field(
        default_factory=list, description="event types, e.g. manifest.signed; empty = every event"
    )


class WebhookEndpointOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    url: str
    events: list[str]
    is_active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_organisation(obj: WebhookEndpoint) -> str:
        return obj.organisation.uscc

    @staticmethod
    def resolve_organisation_name(obj: WebhookEndpoint) -> str:
        return obj.organisation.name


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str = Field(
        ...,
        description=(
            "HMAC-SHA256 key for X-Wufei-Signature: sha256=hex(HMAC(secret, "
            '"<X-Wufei-Timestamp>.<body>")). Shown only now; store it.'
        ),
    )


class WebhookDeliveryOut(Schema):
    id: int
    event_type: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None
    created_at: datetime
