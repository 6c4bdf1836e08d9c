"""Endpoints under /api/v1/iot/. (No `from __future__ import annotations`: ninja reads them.)

`POST /readings` is for devices, not people: it authenticates with the headers
`X-Device-Serial` and `X-Device-Secret` (wufei/iot/PROTOCOL.md) and ignores bearer tokens and
sessions. The read endpoints are for people and use the API's usual bearer token.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.domain.iot_message import MessageInvalid, payload_decode
from wufei.iot import selectors
from wufei.iot.devices import device_authenticate
from wufei.iot.services import MAX_BATCH, DeviceMessage, readings_ingest_many

router = Router()


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "field": None}, status=status)


@router.post(
    "/readings",
    auth=None,
    url_name="iot_readings",
    summary="Devices post readings (one message or a list of up to 1000)",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": "X-Device-Serial",
                "required": True,
                "schema": {"type": "string"},
            },
            {
                "in": "header",
                "name": "X-Device-Secret",
                "required": True,
                "schema": {"type": "string"},
            },
        ]
    },
)
def readings_post(request: HttpRequest) -> HttpResponse:
    device = device_authenticate(
        serial=request.headers.get("X-Device-Serial", ""),
        secret=request.headers.get("X-Device-Secret", ""),
    )
    if device is None:
        return _error(401, "unauthenticated", _("Unknown device or wrong secret."))
    try:
        body = payload_decode(request.body)
    except MessageInvalid as exc:
        return _error(400, exc.code, exc.reason)
    batch = body if isinstance(body, list) else [body]
    if len(batch) > MAX_BATCH:
        return _error(400, "too_many", _("At most %(n)s messages per request.") % {"n": MAX_BATCH})
    results = readings_ingest_many(messages=[DeviceMessage(device, m) for m in batch])
    counts = {
        s: sum(1 for r in results if r.status == s) for s in ("created", "duplicate", "rejected")
    }
    return JsonResponse({**counts, "results": [r.as_dict() for r in results]})


class DeviceOut(Schema):
    serial: str
    kind: str
    name: str
    organisation: str
    facility: str | None
    vehicle: str | None
    is_active: bool
    last_seen_at: datetime | None


class ReadingOut(Schema):
    id: str
    measured_at: datetime
    received_at: datetime
    payload: dict[str, Any]


def _viewer(request: HttpRequest) -> Any:
    assert isinstance(request.user, User)  # the global auth guarantees a signed-in user
    return viewer_for(request.user)


@router.get("/devices/", response=list[DeviceOut], summary="Devices the caller may see")
def devices_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "serial": d.serial,
            "kind": d.kind,
            "name": d.name,
            "organisation": d.organisation.uscc,
            "facility": d.facility.code if d.facility else None,
            "vehicle": d.vehicle.plate_number if d.vehicle else None,
            "is_active": d.is_active,
            "last_seen_at": d.last_seen_at,
        }
        for d in selectors.device_list_visible(viewer=_viewer(request))[:1000]
    ]


@router.get(
    "/devices/{serial}/readings", response=list[ReadingOut], summary="A device's last readings"
)
def device_readings(request: HttpRequest, serial: str) -> list[dict[str, Any]]:
    viewer = _viewer(request)
    device = selectors.device_get_visible(viewer=viewer, serial=serial)
    return [
        {
            "id": r.message_id,
            "measured_at": r.measured_at,
            "received_at": r.received_at,
            "payload": r.payload,
        }
        for r in selectors.readings_recent(viewer=viewer, device=device, limit=200)
    ]
