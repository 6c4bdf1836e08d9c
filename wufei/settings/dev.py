"""Developer and demo settings: the embedded default (SQLite unless DATABASE_URL is set)."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
