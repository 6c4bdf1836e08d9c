"""Race tests on the in-memory SQLite test database.

Threads share the in-memory database through SQLite's shared cache, where a writer that meets
another's lock gets "database table is locked" at once instead of waiting for the busy timeout
as it does on a file database (WAL + BEGIN IMMEDIATE, the embedded default). The race tests
therefore retry such a transaction from the start — what the busy timeout does in production.
PostgreSQL blocks on row locks and never needs it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError

T = TypeVar("T")


def retry_when_table_locked(fn: Callable[[], T], *, attempts: int = 2000) -> T:
    for _ in range(attempts - 1):
        try:
            return fn()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(random.uniform(0.0005, 0.005))
    return fn()
