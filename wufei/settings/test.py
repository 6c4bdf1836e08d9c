"""Test settings: fast hashing, same database engine selection as everywhere else."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
WUFEI_TASKS_EAGER = True  # after-commit tasks run synchronously, so tests see their effect
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: concurrent connections (race tests) then wait on the busy timeout
    # instead of failing at once with "table is locked". xdist workers get their own file.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("WUFEI_TEST_SQLITE", str(VAR_DIR / "test-wufei.sqlite3"))
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WUFEI_WEBHOOK_ALLOW_PRIVATE = True  # the tests' receivers listen on 127.0.0.1
WUFEI_ALERT_SWEEP_SECONDS = 0.0  # tests sweep explicitly
WUFEI_DEMO_YEAR = False  # tests that need the generated year ask for it (--year-events)
