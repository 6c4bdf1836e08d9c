"""The annual bulletin (固体废物污染环境防治信息公告) of a region: a frozen snapshot of the
inventory's per-stream figures, its editable text, and the published documents.

The inventory itself has no model: it is computed from the spine and the entered statistics.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Bulletin(models.Model):
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="bulletins"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=12, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    figures = models.JSONField(_("figures"), default=dict)  # wufei.domain.bulletin_snapshot
    sections = models.JSONField(_("text sections"), default=dict)  # {"intro": …, "notes": …}
    figures_computed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_late = models.BooleanField(default=False)
    docx = models.BinaryField(null=True, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-year", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=models.Q(status="published"),
                name="bulletin_one_published_per_region_year",
            ),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=~models.Q(status="published"),
                name="bulletin_one_open_per_region_year",
            ),
        ]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"
