"""The back office lists and opens every registry and accounts model."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

MODELS = [
    "registry_region",
    "registry_park",
    "registry_organisation",
    "registry_facility",
    "registry_permit",
    "registry_vehicle",
    "accounts_user",
    "accounts_membership",
    "accounts_regulatorscope",
    "accounts_apitoken",
]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_search(world, model):
    client = Client()
    client.force_login(world.admin)
    response = client.get(reverse(f"admin:{model}_changelist"), {"q": "3301"})
    assert response.status_code == 200


def test_change_pages_with_inlines(world):
    client = Client()
    client.force_login(world.admin)
    org_page = client.get(reverse("admin:registry_organisation_change", args=[world.prod_a.pk]))
    assert org_page.status_code == 200
    assert "A-GEN" in org_page.content.decode()  # facility inline
    user_page = client.get(reverse("admin:accounts_user_change", args=[world.reg108.pk]))
    assert user_page.status_code == 200
    assert "生态环境局" in user_page.content.decode()  # regulator scope inline
