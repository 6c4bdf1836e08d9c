"""Transfer fixtures: the network of `tests.transfer.network`."""

from __future__ import annotations

import pytest

from tests.transfer.network import build_network


@pytest.fixture
def net(db):
    return build_network()
