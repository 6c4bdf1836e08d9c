"""`wufei create_token <username>`: print a new API token, and nothing else, on stdout.

So that scripts can write `TOKEN=$(wufei create_token regulator)`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.accounts.models import User
from wufei.accounts.tokens import token_create


class Command(BaseCommand):
    help = "Create an API bearer token for a user and print it (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="lifetime in days (default: WUFEI_TOKEN_DAYS; 0 = never expires)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {user.username!r} is inactive.")
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days cannot be negative.")
        self.stdout.write(token_create(user=user, name=options["name"], days=options["days"]))
