from __future__ import annotations

import pytest

from tests.iot.world import build_iot_world


@pytest.fixture
def iw(db):
    return build_iot_world()
