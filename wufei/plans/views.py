"""Plan pages: tasks by system, projects, a task with its progress, adding a task or a project,
the annual assessment. Thin: parse, call a selector or service, render. Invisible plans are 404;
a visible plan that the user may not manage is 403 on the pages that change it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.core.errors import DomainError, NotFound
from wufei.plans import selectors
from wufei.plans.forms import ProgressForm, ProjectForm, TaskForm
from wufei.plans.models import Plan
from wufei.plans.scoring import assessment_compute
from wufei.plans.services import progress_report_add, project_create, task_create


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
    context: dict[str, Any] = {
        "plan": plan,
        "plans": plans,
        "groups": groups,
        "today": today,
        "may_manage": selectors.may_manage(viewer=viewer, plan=plan),
    }
    return render(request, "plans/index.html", context)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of_request(request)
    plan, plans = _plan(request, viewer)
    rows = selectors.project_rows(viewer=viewer, plan=plan, today=timezone.localdate())
    context = {
        "plan": plan,
        "plans": plans,
        "rows": rows,
        "may_manage": selectors.may_manage(viewer=viewer, plan=plan),
    }
    return render(request, "plans/projects.html", context)


def _managed_plan(request: HttpRequest) -> Plan:
    """The plan asked for, if the user may add to it: invisible → 404, visible only → 403."""
    viewer = viewer_of_request(request)
    plan, _plans = _plan(request, viewer)
    if not selectors.may_manage(viewer=viewer, plan=plan):
        raise PermissionDenied("Only the region's regulators and administrators manage plans.")
    return plan


def _form_page(
    request: HttpRequest, template: str, plan: Plan, form: TaskForm | ProjectForm
) -> HttpResponse:
    context = {
        "plan": plan,
        "form": form,
        "no_departments": not selectors.plan_departments(plan=plan).exists(),
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


def _create_page(
    request: HttpRequest,
    form_class: type[TaskForm] | type[ProjectForm],
    template: str,
    create: Callable[[Plan, dict[str, Any]], Any],
    done: Callable[[Plan, Any], str],
) -> HttpResponse:
    """The add-a-task / add-a-project flow: form, service, its refusal on the form, redirect."""
    plan = _managed_plan(request)
    if request.method != "POST":
        return _form_page(request, template, plan, form_class(plan=plan))
    form = form_class(request.POST, plan=plan)
    if not form.is_valid():
        return _form_page(request, template, plan, form)
    try:
        created = create(plan, form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_page(request, template, plan, form)
    return redirect(done(plan, created))


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest) -> HttpResponse:
    def create(plan: Plan, data: dict[str, Any]) -> Any:
        return task_create(
            actor=_user(request),
            plan=plan,
            system=data["system"],
            number=data["number"],
            title=data["title"],
            content=data["content"],
            targets=data["targets"],
            lead_department=data["lead_department"],
            assisting_departments=data["assisting_departments"],
            deadline=data["deadline"],
            lead_text=data["lead_text"],
            assisting_text=data["assisting_text"],
        )

    def done(plan: Plan, task: Any) -> str:
        messages.success(request, _("Task %(number)s added.") % {"number": task.number})
        return f"{reverse('plans:index')}?plan={plan.pk}"

    return _create_page(request, TaskForm, "plans/task_form.html", create, done)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    def create(plan: Plan, data: dict[str, Any]) -> Any:
        return project_create(
            actor=_user(request),
            plan=plan,
            number=data["number"],
            name=data["name"],
            category=data["category"],
            content=data["content"],
            location=data["location"],
            investment_wan_yuan=data["investment_wan_yuan"],
            start_month=data["start_month"],
            completion_month=data["completion_month"],
            responsible_body=data["responsible_body"],
            implementing_body=data["implementing_body"],
            responsible_department=data["responsible_department"],
        )

    def done(plan: Plan, project: Any) -> str:
        messages.success(request, _("Project %(number)s added.") % {"number": project.number})
        return f"{reverse('plans:projects')}?plan={plan.pk}"

    return _create_page(request, ProjectForm, "plans/project_form.html", create, done)


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
