"""Webhook endpoints under /api/v1/webhooks/. Thin: parse, call a selector or service, answer.

An organisation's members see its endpoints and their deliveries; its administrators create
and disable them. Anything else answers 404. (No `from __future__ import annotations`:
django-ninja reads the annotations at runtime.)
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.api.pagination import PageNumber
from wufei.core import webhooks
from wufei.core.audit_models import WebhookDelivery, WebhookEndpoint
from wufei.core.schemas import (
    WebhookDeliveryOut,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointOut,
)
from wufei.registry.selectors import organisation_get_visible

router = Router()


def _viewer(request: HttpRequest) -> Viewer:
    assert isinstance(request.user, User)  # the global auth guarantees a signed-in user
    return viewer_for(request.user)


@router.get("", response=list[WebhookEndpointOut], summary="Your organisations' endpoints")
@paginate(PageNumber)
def list_endpoints(request: HttpRequest) -> QuerySet[WebhookEndpoint]:
    return webhooks.webhook_endpoint_list_visible(viewer=_viewer(request))


@router.post("", response={201: WebhookEndpointCreated}, summary="Register an endpoint")
def create_endpoint(request: HttpRequest, payload: WebhookEndpointIn) -> Status[WebhookEndpoint]:
    """Answers the signing secret once; no other answer contains it (disable and re-create)."""
    viewer = _viewer(request)
    organisation = organisation_get_visible(viewer=viewer, uscc=payload.organisation)
    endpoint, _secret = webhooks.webhook_endpoint_create(
        viewer=viewer, organisation=organisation, url=payload.url, events=payload.events
    )
    return Status(201, endpoint)  # WebhookEndpointCreated reads the secret from it


@router.get("/{endpoint_id}", response=WebhookEndpointOut)
def get_endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    return webhooks.webhook_endpoint_get_visible(viewer=_viewer(request), endpoint_id=endpoint_id)


@router.delete("/{endpoint_id}", response=WebhookEndpointOut, summary="Disable an endpoint")
def disable_endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    return webhooks.webhook_endpoint_disable(viewer=_viewer(request), endpoint_id=endpoint_id)


@router.get("/{endpoint_id}/deliveries", response=list[WebhookDeliveryOut])
@paginate(PageNumber)
def list_deliveries(request: HttpRequest, endpoint_id: int) -> QuerySet[WebhookDelivery]:
    return webhooks.webhook_delivery_list_visible(viewer=_viewer(request), endpoint_id=endpoint_id)
