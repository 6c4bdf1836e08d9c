from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture
def indicators(db: Any) -> None:
    call_command("load_indicators", verbosity=0)
