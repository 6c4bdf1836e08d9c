"""The back office shows the audit log but cannot add, change or delete an event."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.registry import factories as f
from wufei.accounts.viewer import viewer_for
from wufei.core.audit import audit_append
from wufei.core.audit_models import AuditEvent, CalendarDay, CalendarYear
from wufei.core.calendar import workday_calendar
from wufei.core.webhooks import webhook_endpoint_create, webhook_notify

pytestmark = pytest.mark.django_db

MODELS = [
    "core_auditevent",
    "core_auditchainhead",
    "core_webhookendpoint",
    "core_webhookdelivery",
    "core_calendaryear",
    "core_calendarday",
]


@pytest.fixture
def staff():
    client = Client()
    client.force_login(f.make_user(superuser=True))
    return client


@pytest.fixture
def event():
    with transaction.atomic():
        return audit_append(
            actor=None,
            organisation=None,
            action="manifest.signed",
            subject_type="manifest",
            subject_id="M1",
            payload={"step": "shipper"},
        )


@pytest.mark.parametrize("model", MODELS)
def test_changelists_open(staff, event, model):
    assert staff.get(reverse(f"admin:{model}_changelist"), {"q": "2025"}).status_code == 200


def test_audit_event_is_view_only(staff, event):
    page = staff.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert staff.get(reverse("admin:core_auditevent_add")).status_code == 403
    response = staff.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = staff.post(
        reverse("admin:core_auditevent_change", args=[event.pk]), {"action": "forged"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "manifest.signed"


def test_endpoint_page_hides_the_secret(staff):
    org, user = f.make_org(), f.make_user()
    f.make_member(user, org)
    endpoint, secret = webhook_endpoint_create(
        viewer=viewer_for(user), organisation=org, url="https://erp.example.com/h", events=[]
    )
    webhook_notify(organisation_ids=[org.pk], event_type="manifest.signed", payload={})
    page = staff.get(reverse("admin:core_webhookendpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert secret not in page.content.decode()
    assert "manifest.signed" in page.content.decode()


def test_editing_a_day_in_the_admin_reaches_the_cached_calendar(staff):
    assert not workday_calendar().is_workday(date(2026, 10, 7))
    response = staff.post(
        reverse("admin:core_calendarday_change", args=["2026-10-07"]),
        {"day": "2026-10-07", "kind": "workday", "name": "测试", "source": "correction"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(day=date(2026, 10, 7)).kind == "workday"
    assert workday_calendar().is_workday(date(2026, 10, 7))
    assert CalendarYear.objects.filter(year=2026).exists()
