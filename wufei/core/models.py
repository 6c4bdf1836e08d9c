"""Base model pieces shared by every app."""

from __future__ import annotations

from django.db import models

from wufei.core.audit_models import (  # noqa: F401 - registered with the core app
    AuditChainHead,
    AuditEvent,
    CalendarDay,
    CalendarYear,
    WebhookDelivery,
    WebhookEndpoint,
)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
