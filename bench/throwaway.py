"""Run a benchmark's measuring half in a child process against a throwaway database.

Each benchmark times its work in a fresh process (clean caches, its own DATABASE_URL) and prints
its result as the last line of JSON; the parent collects the figures and prints the ratios.
PostgreSQL runs get a database created for the run and dropped after it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_child(script: str, args: list[str], url: str, **env: str) -> dict[str, Any]:
    """Run `script --child args…` with DATABASE_URL=url and return its last JSON line."""
    child_env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT), **env}
    out = subprocess.run(
        [sys.executable, script, *args, "--child"],
        env=child_env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def on_throwaway_postgres(
    prefix: str, base_url: str, run: Callable[[str], dict[str, Any]]
) -> dict[str, Any]:
    """Create `<prefix>_<pid>` on the server of `base_url`, call run(url), drop it again."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    server = base_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return run(f"{server}/{name}")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
