"""Endpoints under /api/v1/alerts/. Thin: parse, call a selector or service, answer.

An alert the caller may not see answers 404 exactly like one that does not exist.
(No `from __future__ import annotations`: ninja reads them.)
"""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.alerts import selectors, services
from wufei.alerts.models import Alert, AlertAction
from wufei.alerts.presenters import alert_text
from wufei.alerts.schemas import AlertDetailOut, AlertFilters, AlertOut, NoteIn
from wufei.api.pagination import PageNumber

router = Router()


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _viewer(request: HttpRequest) -> Viewer:
    return viewer_for(_user(request))


def _action_out(action: AlertAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "kind": action.kind,
        "actor": action.actor.username if action.actor else None,
        "note": action.note,
        "has_attachment": bool(action.attachment),
        "at": action.at,
    }


def _alert_out(alert: Alert, *, with_actions: bool = False) -> dict[str, Any]:
    text = alert_text(alert)
    out: dict[str, Any] = {
        "id": alert.pk,
        "rule": alert.rule,
        "title": text.title,
        "source": text.source,
        "message": text.message,
        "key": alert.key,
        "severity": alert.severity,
        "status": alert.status,
        "level": alert.level,
        "level_name": alert.get_level_display(),
        "organisation": alert.organisation.uscc,
        "organisation_name": alert.organisation.name,
        "facility": alert.facility.code if alert.facility else None,
        "region": alert.region.code,
        "facts": alert.facts,
        "evidence": alert.evidence,
        "raised_at": alert.raised_at,
        "last_seen_at": alert.last_seen_at,
        "acknowledged_at": alert.acknowledged_at,
        "closed_at": alert.closed_at,
        "close_reason": alert.close_reason,
    }
    if with_actions:
        out["actions"] = [_action_out(a) for a in selectors.alert_actions(alert=alert)]
    return out


def _detail(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    alert = selectors.alert_get_visible(viewer=_viewer(request), pk=alert_id)
    return _alert_out(alert, with_actions=True)


@router.get("/", response=list[AlertOut], summary="Alerts visible to you, newest first")
@paginate(PageNumber)
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]) -> list[dict[str, Any]]:
    alerts = selectors.alert_list_visible(
        viewer=_viewer(request),
        status=filters.status or None,
        severity=filters.severity or None,
        rule=filters.rule or None,
        organisation_id=filters.organisation_id,
        region_prefix=filters.region or None,
    )
    return _LazyAlerts(alerts)  # type: ignore[return-value]


class _LazyAlerts:
    """Presents only the page the paginator slices, not the whole queryset."""

    def __init__(self, alerts: Any) -> None:
        self.alerts = alerts

    def __len__(self) -> int:
        return int(self.alerts.count())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [_alert_out(alert) for alert in self.alerts[window]]


@router.get("/{alert_id}", response=AlertDetailOut, summary="One alert with its timeline")
def get_alert(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    return _detail(request, alert_id)


@router.post("/{alert_id}/acknowledge", response=AlertDetailOut)
def acknowledge(request: HttpRequest, alert_id: int, payload: NoteIn) -> dict[str, Any]:
    services.alert_acknowledge(actor=_user(request), alert_id=alert_id, note=payload.note)
    return _detail(request, alert_id)


@router.post(
    "/{alert_id}/note",
    response=AlertDetailOut,
    summary="Add a note, optionally with a PDF/JPG/PNG attachment (multipart, ≤ 10 MB)",
)
def add_note(
    request: HttpRequest,
    alert_id: int,
    note: Form[str] = "",
    attachment: File[UploadedFile | None] = None,
) -> dict[str, Any]:
    services.alert_note_add(
        actor=_user(request), alert_id=alert_id, note=note, attachment=attachment
    )
    return _detail(request, alert_id)


@router.post("/{alert_id}/escalate", response=AlertDetailOut)
def escalate(request: HttpRequest, alert_id: int, payload: NoteIn) -> dict[str, Any]:
    services.alert_escalate(actor=_user(request), alert_id=alert_id, note=payload.note)
    return _detail(request, alert_id)


@router.post("/{alert_id}/close", response=AlertDetailOut, summary="Close (a note is required)")
def close(request: HttpRequest, alert_id: int, payload: NoteIn) -> dict[str, Any]:
    services.alert_close(actor=_user(request), alert_id=alert_id, note=payload.note)
    return _detail(request, alert_id)
