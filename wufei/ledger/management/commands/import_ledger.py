"""`wufei import_ledger <file> --organisation <uscc> --table B.1 --user <username>`

Imports a file in the layout of HJ 1259-2022 appendix B into a unit's ledger, now, in this
process. A file with any error writes nothing: the command prints each problem with its row
and column (the first 1,000; all are counted) and exits with status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.accounts.models import User
from wufei.core.errors import DomainError
from wufei.domain.ledger_units import tonnes_text
from wufei.ledger.importing import ledger_import_file
from wufei.registry.models import Organisation


class Command(BaseCommand):
    help = "Import a ledger file (.csv or .xlsx, HJ 1259-2022 appendix B) into a unit's ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="USCC of the unit")
        parser.add_argument(
            "--table", default="", help="B.1 … B.5 (required for CSV; XLSX: every B.x sheet)"
        )
        parser.add_argument("--user", required=True, help="the member importing (username)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        organisation = Organisation.objects.filter(uscc=options["organisation"].upper()).first()
        if organisation is None:
            raise CommandError(f"no organisation with USCC {options['organisation']}")
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']}")
        try:
            batch = ledger_import_file(
                actor=user, organisation=organisation, path=path, table=options["table"] or None
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if batch.status == "succeeded":
            self.stdout.write(f"imported {batch.rows_done} rows from {path.name}")
            for kind, total in batch.totals.items():
                tonnes = tonnes_text(total["grams"])
                self.stdout.write(f"  {kind}: {total['rows']} rows, {tonnes} t")
            return
        for error in batch.errors:
            where = f"{error['sheet']} " if error["sheet"] else ""
            self.stderr.write(
                f"{where}row {error['row']} {error['column']} “{error['value']}”: {error['reason']}"
            )
        if batch.error_count > len(batch.errors):
            self.stderr.write(f"… and {batch.error_count - len(batch.errors)} more")
        raise CommandError(f"rejected: {batch.error_count} problems; nothing was imported")
