"""`wufei create_token` prints only a working token."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from wufei.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("create_token", *args, stdout=out)
    return out.getvalue()


def test_prints_only_a_token_that_authenticates():
    User.objects.create_user(username="regulator", password="x-long-passphrase")
    output = _run("regulator", "--name", "ci", "--days", "30")
    token = output.strip()
    assert output == token + "\n"  # nothing else on stdout: TOKEN=$(wufei create_token …)
    assert token.startswith("wf_")
    response = Client().get("/api/v1/registry/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["username"] == "regulator"
    stored = ApiToken.objects.get()
    assert stored.name == "ci" and stored.expires_at is not None
    assert token not in (stored.digest, stored.prefix)  # only the digest is kept


def test_days_zero_never_expires():
    User.objects.create_user(username="robot", password="x-long-passphrase")
    _run("robot", "--days", "0")
    assert ApiToken.objects.get().expires_at is None


def test_unknown_username_is_an_error():
    with pytest.raises(CommandError, match="ghost"):
        _run("ghost")
    assert not ApiToken.objects.exists()


def test_inactive_user_is_refused():
    User.objects.create_user(username="gone", password="x-long-passphrase", is_active=False)
    with pytest.raises(CommandError):
        _run("gone")


def test_revoked_token_no_longer_works():
    from wufei.accounts.tokens import token_revoke

    User.objects.create_user(username="temp", password="x-long-passphrase")
    token = _run("temp").strip()
    token_revoke(token=ApiToken.objects.get())
    response = Client().get("/api/v1/registry/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
