"""Shared fixtures: the national catalogs are loaded once into the test database.

Tests run inside a transaction that is rolled back, so the catalogs loaded at session start
stay for every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

# Browser fixtures live in one plugin so that every browser test shares one Chromium.
pytest_plugins = ["tests.browser_harness"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        call_command("load_catalogs", verbosity=0)
    yield
