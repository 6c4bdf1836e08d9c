"""Plans of the zero-waste city work (无废城市建设方案) and what follows them up.

Layouts follow the annexes of seed 002: 附件1 四大体系建设任务清单 (序号, 任务清单, 牵头单位,
协办单位, 完成时限) and 附件2 项目清单 (序号, 项目名称, 工程建设内容, 总投资（万元）,
（拟）开工时间, 拟建成时间, 建设地点, 责任主体, 实施主体).
Overdue is derived (deadline passed, not done), never stored.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A government department or unit that leads or assists tasks (区生态环境分局 …)."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="plan_departments"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="plans_department_unique")
        ]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class DepartmentMember(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="members")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="plans_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.department_id}"


class Plan(models.Model):
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="plans")
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    source = models.CharField(_("source document"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end_year", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name


class System(models.TextChoices):
    """The four systems (四大体系) of seed 002, 附件1."""

    INSTITUTIONAL = "institutional", _("Institutional system")
    TECHNICAL = "technical", _("Technical system")
    MARKET = "market", _("Market system")
    SUPERVISION = "supervision", _("Supervision system")


class WorkStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    system = models.CharField(_("work system"), max_length=16, choices=System.choices)
    number = models.CharField(_("number"), max_length=12)
    title = models.CharField(_("task"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    targets = models.TextField(_("targets"), blank=True)
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="led_tasks"
    )
    lead_text = models.CharField(_("lead units as written"), max_length=200, blank=True)
    assisting_departments = models.ManyToManyField(
        Department, blank=True, related_name="assisted_tasks"
    )
    assisting_text = models.CharField(_("assisting units as written"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "system", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_task_number_unique")
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Project(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects")
    number = models.CharField(_("number"), max_length=12)
    name = models.CharField(_("project name"), max_length=200)
    category = models.CharField(_("project category"), max_length=50, blank=True)
    content = models.TextField(_("construction content"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    investment_wan_yuan = models.DecimalField(
        _("total investment (10,000 yuan)"), max_digits=12, decimal_places=2, default=0
    )
    start_month = models.DateField(_("(planned) start"), help_text="first day of the month")
    completion_month = models.DateField(_("planned completion"), help_text="first day of the month")
    responsible_body = models.CharField(_("responsible body"), max_length=200, blank=True)
    implementing_body = models.CharField(_("implementing body"), max_length=200, blank=True)
    responsible_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_project_number_unique")
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ProgressReport(models.Model):
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reported_on = models.DateField(_("reported on"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("progress"))
    evidence = models.FileField(_("evidence"), upload_to="plans/%Y/%m/", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False, project__isnull=True)
                | Q(task__isnull=True, project__isnull=False),
                name="plans_report_one_subject",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="plans_report_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.percent}%"


class FollowUp(models.Model):
    """督办: raised for a task or project that is past its deadline (seed 002, 保障措施（三）)."""

    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="followups"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="followups"
    )
    raised_on = models.DateField(_("raised on"))
    reason = models.CharField(_("follow-up reason"), max_length=300)
    due_on = models.DateField(_("reply due"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False, project__isnull=True)
                | Q(task__isnull=True, project__isnull=False),
                name="plans_followup_one_subject",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(resolved_on__isnull=True, task__isnull=False),
                name="plans_followup_one_open_per_task",
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(resolved_on__isnull=True, project__isnull=False),
                name="plans_followup_one_open_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.raised_on} {self.reason}"


class Assessment(models.Model):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["-year", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="plans_assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}: {self.score}"

    @property
    def deduction_shown(self) -> str:
        """The follow-up deduction as points off the score, "−5.00"; "0.00" when none was taken,
        since a minus before zero reads as a penalty."""
        points = Decimal(self.breakdown.get("deduction") or 0).quantize(Decimal("0.01"))
        return f"−{points}" if points > 0 else f"{abs(points)}"
