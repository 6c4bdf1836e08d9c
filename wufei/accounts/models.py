"""Who may act: users, their memberships of organisations, regulators' regions, API tokens.

Modelled on Trackdéchets' company/role model: a user belongs to organisations with a role,
and what an organisation may do (produce, carry, receive…) is a property of the organisation,
not of the user. A regulator is a user scoped to an administrative region.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")
    DRIVER = "driver", _("Driver")
    READONLY = "readonly", _("Read-only")


class Membership(models.Model):
    """A user's role in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class RegulatorScope(models.Model):
    """A regulator's jurisdiction: one region and everything under it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="regulator_scopes")
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    authority = models.CharField(_("authority"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="one_scope_per_region")
        ]
        verbose_name = _("regulator scope")
        verbose_name_plural = _("regulator scopes")

    def __str__(self) -> str:
        return f"{self.user} → {self.region}"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the clear text is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
