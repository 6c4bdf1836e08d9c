"""Adding a task or a project through the pages: who may (the region's regulators and the
administrators), who is refused (403 when the plan is visible, 404 when not) with nothing
written, and invalid input shown on the form with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from tests.plans.world import World, build_world
from tests.registry.factories import make_member, make_org, make_regulator, make_user
from wufei.accounts.models import User
from wufei.core.audit_models import AuditEvent
from wufei.plans.models import Project, Task

pytestmark = pytest.mark.django_db


def client_for(user: User, lang: str = "zh-hans") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


def task_data(w: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "plan": w.plan.pk,
        "system": "market",
        "number": "20.4",
        "title": "设立无废城市专项资金",
        "content": "统筹安排专项资金支持无废细胞建设。",
        "lead_department": w.dev.pk,
        "assisting_departments": [w.eco.pk],
        "deadline": "2025-12-31",
    }
    data.update(changes)
    return data


def project_data(w: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "plan": w.plan.pk,
        "number": "2",
        "name": "建筑垃圾资源化利用中心",
        "content": "年处理建筑垃圾30万吨",
        "investment_wan_yuan": "1250.5",
        "start_month": "2025-03",
        "completion_month": "2026-06",
        "location": "浦沿街道",
        "responsible_body": "区发改局",
        "implementing_body": "某建材公司",
        "responsible_department": w.dev.pk,
    }
    data.update(changes)
    return data


def counts() -> tuple[int, int, int]:
    return Task.objects.count(), Project.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(
    "who",
    [
        lambda w: w.regulator,
        lambda w: make_regulator("reg_city", "330100"),
        lambda w: make_user(superuser=True),
    ],
    ids=["district regulator", "city regulator", "administrator"],
)
def test_a_manager_adds_a_task_and_it_is_listed(who: Callable[[World], User]):
    w = build_world()
    c = client_for(who(w))
    index = c.get(f"/plans/?plan={w.plan.pk}").content.decode()
    assert 'data-testid="add-task"' in index and "新增任务" in index
    page = c.get(f"/plans/tasks/new/?plan={w.plan.pk}")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="task-form"' in html
    assert "区发改局" in html and "西湖区生态环境分局" not in html  # only the region's units
    r = c.post(f"/plans/tasks/new/?plan={w.plan.pk}", task_data(w))
    assert r.status_code == 302 and r["Location"] == f"/plans/?plan={w.plan.pk}"
    task = Task.objects.get(plan=w.plan, number="20.4")
    assert task.lead_department == w.dev and list(task.assisting_departments.all()) == [w.eco]
    assert task.deadline == date(2025, 12, 31) and task.system == "market"
    listed = c.get(r["Location"]).content.decode()
    assert 'data-testid="task-20.4"' in listed and "设立无废城市专项资金" in listed
    assert "已新增任务20.4" in listed  # the message
    row = listed.split('data-testid="task-20.4"')[1].split("</tr>")[0]
    assert "区生态环境分局" in row and "2025-12-31" in row  # assisting units from departments


def test_a_regulator_adds_a_project_and_it_is_listed():
    w = build_world()
    c = client_for(w.regulator)
    projects = c.get(f"/plans/projects/?plan={w.plan.pk}").content.decode()
    assert 'data-testid="add-project"' in projects and "新增项目" in projects
    page = c.get(f"/plans/projects/new/?plan={w.plan.pk}")
    assert page.status_code == 200 and 'type="month"' in page.content.decode()
    r = c.post(f"/plans/projects/new/?plan={w.plan.pk}", project_data(w))
    assert r.status_code == 302 and r["Location"] == f"/plans/projects/?plan={w.plan.pk}"
    project = Project.objects.get(plan=w.plan, number="2")
    assert project.start_month == date(2025, 3, 1) and project.completion_month == date(2026, 6, 1)
    assert project.investment_wan_yuan == Decimal("1250.50")
    assert project.responsible_department == w.dev
    listed = c.get(r["Location"]).content.decode()
    row = listed.split('data-testid="project-2"')[1].split("</tr>")[0]
    shown = ("建筑垃圾资源化利用中心", "1250.50", "2025-03", "2026-06", "浦沿街道", "某建材公司")
    assert all(text in row for text in shown), row
    # investment left blank is 0, as in an annex row not yet costed
    r = c.post(
        f"/plans/projects/new/?plan={w.plan.pk}",
        project_data(w, number="3", investment_wan_yuan=""),
    )
    assert r.status_code == 302
    assert Project.objects.get(plan=w.plan, number="3").investment_wan_yuan == 0


def _enterprise_member(w: World) -> User:
    user = make_user()
    make_member(user, make_org(region_code="330108"))
    return user


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (lambda w: w.eco_user, 403),  # sees the plan, may report, may not add
        (lambda w: w.other_user, 404),  # another region's department
        (lambda w: make_regulator("reg_xihu", "330106"), 404),  # another region's regulator
        (_enterprise_member, 404),
        (lambda w: w.stranger, 404),
    ],
    ids=["department member", "other department", "other regulator", "enterprise", "stranger"],
)
def test_who_may_not_add_is_refused_and_nothing_is_written(
    who: Callable[[World], User], status: int
):
    w = build_world()
    user = who(w)
    before = counts()
    c = client_for(user)
    for url, data in (
        (f"/plans/tasks/new/?plan={w.plan.pk}", task_data(w)),
        (f"/plans/projects/new/?plan={w.plan.pk}", project_data(w)),
    ):
        assert c.get(url).status_code == status
        assert c.post(url, data).status_code == status
    assert counts() == before
    if status == 403:  # the lists are visible to them, without the links
        assert 'data-testid="add-task"' not in c.get("/plans/").content.decode()
        projects = c.get(f"/plans/projects/?plan={w.plan.pk}").content.decode()
        assert 'data-testid="add-project"' not in projects
    assert Client().get("/plans/tasks/new/").status_code == 302  # to the login page


def test_invalid_task_input_shows_the_reason_and_writes_nothing():
    w = build_world()
    c = client_for(w.regulator)
    before = counts()
    url = f"/plans/tasks/new/?plan={w.plan.pk}"
    for data, field, reason in (
        (task_data(w, deadline=""), "deadline", "此项为必填项。"),
        (task_data(w, number="21.1"), "number", "该序号在本方案中已被使用。"),
        (task_data(w, lead_department=w.other.pk), "lead_department", "选择一个有效的选项"),
        (task_data(w, system="cosmic"), "system", "选择一个有效的选项"),
    ):
        r = c.post(url, data)
        assert r.status_code == 400, field
        assert reason in r.content.decode() and field in r.context["form"].errors
    assert counts() == before


def test_invalid_project_input_shows_the_reason_and_writes_nothing():
    w = build_world()
    c = client_for(w.regulator)
    before = counts()
    url = f"/plans/projects/new/?plan={w.plan.pk}"
    for data, field, reason in (
        (project_data(w, investment_wan_yuan="-5"), "investment_wan_yuan", "投资额不能为负数。"),
        (project_data(w, completion_month="2024-12"), "completion_month", "拟建成时间早于开工"),
        (project_data(w, number="1"), "number", "该序号在本方案中已被使用。"),
        (project_data(w, start_month="soon"), "start_month", "输入一个有效的日期。"),
        (project_data(w, name=""), "name", "此项为必填项。"),
    ):
        r = c.post(url, data)
        assert r.status_code == 400, field
        assert reason in r.content.decode() and field in r.context["form"].errors
    assert counts() == before
    english = client_for(w.regulator)
    english.post("/i18n/setlang/", {"language": "en", "next": "/plans/"})
    r = english.post(url, project_data(w, investment_wan_yuan="-5"))
    assert "Investment cannot be negative." in r.content.decode()
