"""The `wufei` console script: the project's management commands under one name.

`wufei migrate`, `wufei seed_demo --scale 1 --seed 7`, `wufei runserver`, … are exactly
`django-admin <command>` with Wufei's settings selected (dev unless DJANGO_SETTINGS_MODULE says
otherwise).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wufei.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wufei", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
