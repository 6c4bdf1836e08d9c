"""Flow fixtures: the manifest network of `tests.transfer.network`, plus a second producer."""

from __future__ import annotations

import pytest

from tests.flows.world import build_flow_world


@pytest.fixture
def fw(db):
    return build_flow_world()
