"""Pages (zh first, en switch), visibility (others 404), loader and API."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from ninja.testing import TestClient

from tests.plans.world import build_world
from tests.registry.factories import make_regulator
from wufei.plans.api import router
from wufei.plans.demo import plans_demo_seed
from wufei.plans.followups import followups_raise
from wufei.plans.models import Plan, ProgressReport, Task
from wufei.plans.scoring import assessment_compute
from wufei.registry.regions import region_resolve

pytestmark = pytest.mark.django_db


def client_for(user, lang: str = "zh-hans") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


def test_the_task_list_shows_systems_lead_deadline_and_followup_badge():
    w = build_world()
    followups_raise(today=date(2024, 7, 1))
    html = client_for(w.regulator).get("/plans/").content.decode()
    assert "监管体系" in html and "制度体系" in html and "区生态环境分局" in html
    assert "2024-06-30" in html and 'data-testid="followup-badge"' in html and "督办" in html
    en_client = client_for(w.regulator)
    en_client.post("/i18n/setlang/", {"language": "en", "next": "/plans/"})
    en = en_client.get("/plans/").content.decode()
    assert "Supervision system" in en and "Follow-up" in en


def test_department_members_see_others_get_404():
    w = build_world()
    assert client_for(w.dev_user).get("/plans/").status_code == 200
    assert client_for(w.eco_user).get(f"/plans/tasks/{w.overdue_task.pk}/").status_code == 200
    for outsider in (w.stranger, w.other_user, make_regulator("reg_xh", "330106")):
        c = client_for(outsider)
        assert c.get("/plans/").status_code == 404
        assert c.get(f"/plans/tasks/{w.overdue_task.pk}/").status_code == 404
        assert c.get(f"/plans/projects/?plan={w.plan.pk}").status_code == 404
        assert c.post(f"/plans/tasks/{w.overdue_task.pk}/report/", {}).status_code == 404
    assert Client().get("/plans/").status_code == 302


def test_a_member_reports_progress_through_the_form():
    w = build_world()
    c = client_for(w.eco_user)
    page = c.get(f"/plans/tasks/{w.overdue_task.pk}/").content.decode()
    assert 'data-testid="report-form"' in page and "报告进展" in page
    r = c.post(
        f"/plans/tasks/{w.overdue_task.pk}/report/",
        {"reported_on": "2024-05-01", "percent": "60", "text": "过半"},
    )
    assert r.status_code == 302
    assert ProgressReport.objects.get(task=w.overdue_task).percent == 60
    bad = c.post(
        f"/plans/tasks/{w.overdue_task.pk}/report/",
        {"reported_on": "2024-05-01", "percent": "160", "text": "x"},
    )
    assert bad.status_code == 400
    # visible but not permitted: no form, and a POST is refused with the form's error
    page = c.get(f"/plans/tasks/{w.future_task.pk}/").content.decode()
    assert 'data-testid="report-form"' not in page
    refused = c.post(
        f"/plans/tasks/{w.future_task.pk}/report/",
        {"reported_on": "2024-05-01", "percent": "10", "text": "x"},
    )
    assert refused.status_code == 400 and not ProgressReport.objects.filter(task=w.future_task)


def test_projects_and_assessment_pages():
    w = build_world()
    c = client_for(w.regulator)
    html = c.get(f"/plans/projects/?plan={w.plan.pk}").content.decode()
    assert "收集方舱" in html and "300.00" in html and "2024-09" in html and "总投资" in html
    r = c.post("/plans/assessment/recompute/", {"plan": w.plan.pk, "year": 2024})
    assert r.status_code == 302
    html = c.get(f"/plans/assessment/?plan={w.plan.pk}&year=2024").content.decode()
    assert 'data-testid="assessment"' in html and "区发改局" in html and "年度考核" in html
    member = client_for(w.eco_user)
    assert (
        'data-testid="recompute"' not in member.get("/plans/assessment/?year=2024").content.decode()
    )
    assert (
        member.post("/plans/assessment/recompute/", {"plan": w.plan.pk, "year": 2024}).status_code
        == 404
    )


def test_a_department_without_followups_shows_no_deduction_not_minus_zero():
    w = build_world()
    followups_raise(today=date(2024, 7, 1))  # one open 督办 on eco's 21.1: 2 + 3 points off
    assessment_compute(region=region_resolve("330108"), year=2024, today=date(2025, 1, 15))
    html = client_for(w.regulator).get(f"/plans/assessment/?plan={w.plan.pk}&year=2024")

    def deduction_cell(department_pk: int) -> str:
        row = re.search(
            rf'data-testid="score-{department_pk}">(.*?)</tr>', html.content.decode(), re.S
        )
        assert row is not None
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
        return cells[6]

    assert deduction_cell(w.eco.pk) == "−5.00"
    assert deduction_cell(w.dev.pk) == "0.00"


def test_load_plans_transcribes_the_four_systems_from_seed_002():
    call_command("load_plans", verbosity=0)
    call_command("load_plans", verbosity=0)  # idempotent
    plan = Plan.objects.get()
    assert plan.tasks.count() == 12 and plan.projects.count() == 0
    assert set(plan.tasks.values_list("system", flat=True)) == {
        "institutional",
        "technical",
        "market",
        "supervision",
    }
    t = Task.objects.get(plan=plan, number="20.3")
    assert t.lead_department.name == "区税务局" and t.lead_text == "区税务局、区财政局"
    assert [d.name for d in t.assisting_departments.all()] == ["区财政局"]


def test_demo_seed_is_marked_demo():
    plan = plans_demo_seed(year=2024)
    assert plan.is_demo and "演示" in plan.name and plan.projects.count() == 2
    plans_demo_seed(year=2024)
    assert Plan.objects.filter(is_demo=True).count() == 1


def test_api_reads_follow_visibility():
    w = build_world()
    client = TestClient(router)
    ok = client.get(f"/{w.plan.pk}/tasks/", user=w.eco_user)
    assert ok.status_code == 200 and {t["number"] for t in ok.json()} == {"21.1", "18.1"}
    assert client.get("/", user=w.stranger).json() == []
    assert (
        client.get(f"/{w.plan.pk}/projects/", user=w.regulator).json()[0]["completion_month"]
        == "2024-09"
    )
