"""Fixtures of the catalog tests: a signed-in user, an API token, the shipped reference files."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from wufei.accounts.models import User
from wufei.accounts.tokens import token_create
from wufei.catalog.loading import DATA_DIR


@pytest.fixture
def user(db: Any) -> User:
    return User.objects.create_user(username="reader", password="pw-reader-2024")


@pytest.fixture
def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


@pytest.fixture(scope="session")
def shipped_categories() -> list[dict[str, str]]:
    with (DATA_DIR / "hw_categories_2021.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def shipped_list_path() -> Path:
    return DATA_DIR / "national_hazardous_waste_list_2021.csv"
