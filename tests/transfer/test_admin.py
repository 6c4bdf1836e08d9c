"""The back office reads signed records but can never add, change or delete them."""

from __future__ import annotations

import pytest
from django.test import Client

from wufei.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNED = ["manifest", "signature", "discrepancy", "revision"]


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x-long-pass"))
    return client


@pytest.mark.parametrize("model", [*SIGNED, "crossprovinceapproval"])
def test_lists_open(admin_client: Client, model: str) -> None:
    assert admin_client.get(f"/admin/transfer/{model}/").status_code == 200


@pytest.mark.parametrize("model", SIGNED)
def test_signed_records_cannot_be_added(admin_client: Client, model: str) -> None:
    assert admin_client.get(f"/admin/transfer/{model}/add/").status_code == 403


def test_demo_incidents_are_listed(admin_client: Client) -> None:
    assert admin_client.get("/admin/demo/demoincident/").status_code == 200
