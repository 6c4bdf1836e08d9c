"""API tokens: created once, stored as a SHA-256 digest, looked up by digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from wufei.accounts.models import ApiToken, User

TOKEN_PREFIX = "wf_"  # noqa: S105 - a public marker that makes leaked tokens greppable


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def token_create(*, user: User, name: str = "", days: int | None = None) -> str:
    """Create a token for `user` and return its clear text (the only time it exists)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = settings.WUFEI_TOKEN_DAYS if days is None else days
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
        digest=_digest(raw),
        expires_at=timezone.now() + timedelta(days=lifetime) if lifetime else None,
    )
    return raw


def token_authenticate(*, raw_token: str) -> User | None:
    """The active user a token belongs to, or None if it is unknown, expired or revoked."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw_token), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        # Throttled so that a busy integration does not write on every request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
