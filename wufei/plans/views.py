"""Plan pages: tasks by system, projects, a task with its progress, the annual assessment.
Thin: parse, call a selector or service, render. Invisible plans are 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.core.errors import DomainError, NotFound
from wufei.plans import selectors
from wufei.plans.forms import ProgressForm
from wufei.plans.models import Plan
from wufei.plans.scoring import assessment_compute
from wufei.plans.services import progress_report_add


def _plan(request: HttpRequest, viewer: Viewer) -> tuple[Plan, list[Plan]]:
    plans = list(selectors.plans_visible(viewer=viewer).select_related("region"))
    if not plans:
        raise Http404("No plan")
    wanted = request.GET.get("plan") or request.POST.get("plan")
    if wanted is None:
        return plans[0], plans
    chosen = next((p for p in plans if str(p.pk) == wanted), None)
    if chosen is None:
        raise Http404("No plan")
    return chosen, plans


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def plan_index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of_request(request)
    plan, plans = _plan(request, viewer)
    today = timezone.localdate()
    groups = selectors.task_groups(viewer=viewer, plan=plan, today=today)
    context: dict[str, Any] = {"plan": plan, "plans": plans, "groups": groups, "today": today}
    return render(request, "plans/index.html", context)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of_request(request)
    plan, plans = _plan(request, viewer)
    rows = selectors.project_rows(viewer=viewer, plan=plan, today=timezone.localdate())
    return render(request, "plans/projects.html", {"plan": plan, "plans": plans, "rows": rows})


def _task_page(request: HttpRequest, pk: int, form: ProgressForm | None = None) -> HttpResponse:
    viewer = viewer_of_request(request)
    try:
        task = selectors.task_get(viewer=viewer, pk=pk)
    except NotFound:
        raise Http404("No task") from None
    may_report = selectors.may_report_task(viewer=viewer, task=task)
    context = {
        "task": task,
        "plan": task.plan,
        "overdue": selectors.task_is_overdue(task, today=timezone.localdate()),
        "reports": selectors.task_reports(viewer=viewer, task=task),
        "followups": selectors.task_followups(viewer=viewer, task=task),
        "assisting": task.assisting_departments.all(),
        "may_report": may_report,
        "form": form or ProgressForm(initial={"reported_on": timezone.localdate()}),
    }
    return render(request, "plans/task_detail.html", context, status=400 if form else 200)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, pk)


@login_required
@require_POST
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of_request(request)
    try:
        task = selectors.task_get(viewer=viewer, pk=pk)
    except NotFound:
        raise Http404("No task") from None
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        return _task_page(request, pk, form)
    try:
        progress_report_add(
            actor=_user(request),
            task=task,
            evidence=form.cleaned_data["evidence"],
            reported_on=form.cleaned_data["reported_on"],
            percent=form.cleaned_data["percent"],
            text=form.cleaned_data["text"],
        )
    except NotFound:
        raise Http404("No task") from None
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _task_page(request, pk, form)
    messages.success(request, _("Progress recorded."))
    return redirect(reverse("plans:task", args=[pk]))


def _year(text: str | None) -> int:
    try:
        return int(text) if text else timezone.localdate().year
    except ValueError:
        return timezone.localdate().year


@login_required
def assessment_index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of_request(request)
    plan, plans = _plan(request, viewer)
    year = _year(request.GET.get("year"))
    context = {
        "plan": plan,
        "plans": plans,
        "year": year,
        "rows": selectors.assessments_visible(viewer=viewer, plan=plan, year=year),
        "may_compute": selectors.may_manage(viewer=viewer, plan=plan),
    }
    return render(request, "plans/assessment.html", context)


@login_required
@require_POST
def assessment_recompute(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of_request(request)
    plan, _plans = _plan(request, viewer)
    year = _year(request.POST.get("year"))
    if not selectors.may_manage(viewer=viewer, plan=plan):
        raise Http404("No plan")
    assessment_compute(region=plan.region, year=year, actor=_user(request))
    messages.success(request, _("Scores recomputed."))
    return redirect(f"{reverse('plans:assessment')}?plan={plan.pk}&year={year}")
