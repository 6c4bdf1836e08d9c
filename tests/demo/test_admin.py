"""The demo records are browsable in the back office."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from wufei.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    ["demodistrict", "demoorganisation", "demowasteprofile", "demofacilitycapacity"],
)
def test_changelist_and_first_record_open(model):
    call_command("seed_demo", "--scale", "0.1", "--seed", "7", stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    page = client.get(f"/admin/demo/{model}/")
    assert page.status_code == 200
    first = page.context["cl"].result_list[0]
    assert client.get(f"/admin/demo/{model}/{first.pk}/change/").status_code == 200
