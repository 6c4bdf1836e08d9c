"""Log-in throttling (django-axes, AXES_FAILURE_LIMIT = 5): the sixth try is refused even
with the right password, and other users are unaffected."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from wufei.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-passphrase"


@pytest.fixture
def user():
    return User.objects.create_user(username="clerk", password=PASSWORD)


def _login(client: Client, username: str, password: str):
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_locks_after_five_failures(user):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _attempt in range(5):
        response = _login(client, "clerk", "wrong")
        assert response.status_code in (200, 429)  # the form again, with its error
    response = _login(client, "clerk", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "登录失败次数过多" in page or "Too many failed log-in attempts" in page


def test_four_failures_then_success_logs_in(user):
    client = Client()
    for _attempt in range(4):
        assert _login(client, "clerk", "wrong").status_code == 200
    response = _login(client, "clerk", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_lockout_is_per_username(user):
    User.objects.create_user(username="other", password=PASSWORD)
    client = Client()
    for _attempt in range(5):
        _login(client, "clerk", "wrong")
    assert _login(client, "other", PASSWORD).status_code == 302
