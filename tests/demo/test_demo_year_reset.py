"""Seeding a year is reproducible, a reset removes it whole, and its raw writes are exact.

Same seed, same year: after `--reset` and a new seed, the manifests carry the same numbers,
weights and steps, the ledger the same events, the plans the same tasks, progress and 督办, and
the audit chain verifies — a reset discards the demo's log and gives the manifest numbers back.
A log that holds someone else's entries is never cut: the reset is refused.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client

from wufei.accounts.models import User
from wufei.core.audit import audit_append, audit_verify
from wufei.demo.models import DemoDistrict
from wufei.demo.year_copy import demo_copy_pdf
from wufei.demo.year_insert import db_date, db_datetime
from wufei.ledger.models import Container, LedgerEvent
from wufei.plans.models import FollowUp, Plan, ProgressReport, Project, Task
from wufei.transfer.models import Manifest, ManifestCounter, Signature

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--seed", "2024", "--scale", "0.02", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple[list[Any], ...]:
    return (
        list(Manifest.objects.order_by("number").values_list("number", "status", "version")),
        list(
            Manifest.objects.order_by("number", "lines__position").values_list(
                "lines__weight_g", "lines__received_weight_g"
            )
        ),
        list(
            LedgerEvent.objects.order_by("organisation__uscc", "kind", "batch_code").values_list(
                "organisation__uscc", "kind", "batch_code", "quantity_g", "occurred_at"
            )
        ),
        sorted(Container.objects.values_list("code", flat=True)),
        sorted(Signature.objects.values_list("action", "content_hash")),
        sorted(Task.objects.values_list("plan__name", "number", "status")),
        sorted(Project.objects.values_list("plan__name", "number", "status")),
        sorted(ProgressReport.objects.values_list("reported_on", "percent", "text")),
        sorted(FollowUp.objects.values_list("reason", "raised_on", "resolved_on")),
    )


def test_same_seed_gives_the_same_year_after_a_reset():
    seed("--year-events")
    first = snapshot()
    assert len(first[0]) > 100 and len(first[2]) > 5000
    seed("--reset", "--year-events")
    assert snapshot() == first
    assert audit_verify() is None
    counter = ManifestCounter.objects.get(province="33", city="01", year=2024)
    assert counter.last_sequence == Manifest.objects.count()  # numbered from 1 again
    demo_plans_are_shown()


def demo_plans_are_shown() -> None:
    """The shipped plan of seed 002 and the illustrative one with projects; one task is past its
    deadline at the end of the demo year, and its 督办 is open."""
    assert Task.objects.filter(plan__is_demo=False).count() == 12  # seed 002's tasks
    assert Project.objects.count() == 2 and ProgressReport.objects.count() >= 5
    (followup,) = FollowUp.objects.filter(resolved_on__isnull=True)
    assert followup.task is not None and followup.raised_on == date(2024, 12, 31)
    assert followup.task.deadline < followup.raised_on and followup.task.status != "done"
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(User.objects.get(username="regulator"))
    demo = Plan.objects.get(is_demo=True)
    html = c.get(f"/plans/?plan={demo.pk}").content.decode()
    assert 'data-testid="followup-badge"' in html and "督办" in html
    projects = c.get(f"/plans/projects/?plan={demo.pk}").content.decode()
    assert "（演示）小微企业危废收集贮存方舱" in projects


def test_without_year_events_the_district_is_seeded_alone():
    seed("--no-year-events")
    assert DemoDistrict.objects.exists()
    assert not LedgerEvent.objects.exists() and not Manifest.objects.exists()


def test_a_reset_never_cuts_an_audit_log_it_did_not_start():
    with transaction.atomic():
        audit_append(
            actor=None,
            organisation=None,
            action="test.before_demo",
            subject_type="test",
            subject_id="1",
            payload={},
        )
    seed("--year-events")
    with pytest.raises(CommandError, match=r"审计日志|audit log"):
        seed("--reset", "--year-events")
    assert audit_verify() is None


def test_raw_values_are_what_the_backend_would_store():
    moment = datetime(2024, 3, 5, 9, 30, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
    ops = connection.ops
    assert db_datetime(moment) == ops.adapt_datetimefield_value(moment)
    assert db_datetime(moment.astimezone(UTC)) == ops.adapt_datetimefield_value(moment)
    assert db_date(date(2024, 3, 5)) == ops.adapt_datefield_value(date(2024, 3, 5))
    assert db_datetime(None) is None


def test_copies_escape_what_pdf_would_read_as_syntax():
    awkward = "上小（）\\() 里"  # UTF-16 halves 0x0A, 0x5C, 0x28, 0x29 and ASCII syntax
    content = {
        "number": "20243301000001",
        "doc_type": "hazardous",
        "version": 1,
        "status": "ready",
        "planned_on": "2024-03-05",
        "receipt_due_on": None,
        "shipper": {
            "name": awkward,
            "uscc": "x",
            "facility": "TS001",
            "facility_name": "库",
            "region": "330108",
        },
        "receiver": {
            "name": "接受",
            "uscc": "y",
            "facility": "TR001",
            "facility_name": "厂",
            "region": "330109",
            "permit": None,
        },
        "approval": None,
        "carriers": [],
        "lines": [],
    }
    pdf = demo_copy_pdf(content, signatures=[], content_hash="f" * 64)
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert awkward in text
