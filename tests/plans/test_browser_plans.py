"""In Chromium: a department user opens the task list, sees the overdue task's 督办, opens it and
reports progress through the form; the regulator computes the departments' scores."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser_harness import log_in, watch_errors
from tests.plans.world import World, build_world
from wufei.plans.followups import followups_raise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db: Any) -> World:
    call_command("load_catalogs", verbosity=0)
    w = build_world()
    followups_raise(today=date(2024, 7, 1))  # 21.1 was due 2024-06-30: one open 督办
    return w


def test_a_department_reports_progress_and_the_regulator_scores(
    page: Any, live_server: Any, world: World, artifacts: Path
) -> None:
    errors = watch_errors(page)
    base = live_server.url
    log_in(page, base, world.eco_user.username)

    page.goto(f"{base}/plans/")
    assert page.inner_text("main h1") == "测试方案"
    assert "监管体系" in page.inner_text("main") and "制度体系" in page.inner_text("main")
    overdue = page.locator("[data-testid='task-21.1']")
    assert "联合执法" in overdue.inner_text() and "2024-06-30" in overdue.inner_text()
    assert overdue.locator("[data-testid=overdue]").inner_text() == "已逾期"
    badge = overdue.locator("[data-testid=followup-badge]")
    assert badge.inner_text() == "督办"
    assert "超过完成时限" in (badge.get_attribute("title") or "")
    assert "督办" not in page.inner_text("[data-testid='task-18.1']")
    page.screenshot(path=str(artifacts / "plans-tasks.png"), full_page=True)

    overdue.locator("a", has_text="联合执法").click()
    page.wait_for_url(f"**/plans/tasks/{world.overdue_task.pk}/")
    assert page.inner_text("main h1") == "21.1 联合执法"
    followups = page.inner_text("[data-testid=followups]")
    assert "2024-07-01" in followups and "任务21.1超过完成时限（2024-06-30）未完成" in followups
    assert "2024-07-11" in followups  # reply due ten days on
    assert "尚未报告进展。" in page.inner_text("main")

    form = page.locator("[data-testid=report-form]")
    form.locator("input[name=reported_on]").fill("2024-07-05")
    form.locator("input[name=percent]").fill("60")
    form.locator("textarea[name=text]").fill("已开展两次联合执法检查")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/plans/tasks/{world.overdue_task.pk}/")
    assert "进展已记录。" in page.inner_text("main")
    report = page.locator("[data-testid=reports] tbody tr")
    assert report.count() == 1
    cells = report.locator("td").all_inner_texts()
    assert cells[:4] == ["2024-07-05", "60", "已开展两次联合执法检查", world.eco_user.username]
    # 60 % is not done: the task stays overdue and its 督办 open.
    assert "已逾期" in page.inner_text("[data-testid=task-status]")
    page.screenshot(path=str(artifacts / "plans-task-detail.png"), full_page=True)

    page.get_by_role("link", name="← 测试方案").click()
    page.wait_for_url("**/plans/?plan=*")
    assert "60% · 2024-07-05" in page.inner_text("[data-testid='task-21.1']")

    log_in(page, base, world.regulator.username)
    page.goto(f"{base}/plans/assessment/?plan={world.plan.pk}&year=2024")
    assert page.inner_text("main h1") == "年度考核 2024"
    assert page.locator("[data-testid=no-scores]").is_visible()
    page.click("[data-testid=recompute]")
    page.wait_for_url("**/plans/assessment/?plan=*&year=2024")
    rows = page.locator("[data-testid=assessment] tbody tr")
    assert rows.count() == 2
    eco = page.locator(f"[data-testid=score-{world.eco.pk}]").inner_text()
    dev = page.locator(f"[data-testid=score-{world.dev.pk}]").inner_text()
    assert eco.startswith("区生态环境分局") and dev.startswith("区发改局")
    assert "(1/" in eco  # the report just filed counts for 2024
    page.screenshot(path=str(artifacts / "plans-assessment.png"), full_page=True)
    assert errors == []


def test_an_open_followup_reads_not_resolved(page: Any, live_server: Any, world: World) -> None:
    base = live_server.url
    log_in(page, base, world.eco_user.username)
    page.goto(f"{base}/plans/tasks/{world.overdue_task.pk}/")
    assert "已办结" not in page.inner_text("[data-testid=followups]")


def test_the_report_date_defaults_to_today(page: Any, live_server: Any, world: World) -> None:
    base = live_server.url
    log_in(page, base, world.eco_user.username)
    page.goto(f"{base}/plans/tasks/{world.overdue_task.pk}/")
    today = page.evaluate("new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Shanghai'})")
    assert page.input_value("[data-testid=report-form] input[name=reported_on]") == today
