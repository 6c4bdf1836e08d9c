"""The cells of an appendix-B row: staging columns, text and time formats, row errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

# Staging columns written for each row, in this order (see ImportRow).
STAGE_COLUMNS = (
    "batch_id",
    "row_number",
    "sheet",
    "kind",
    "batch_code",
    "occurred_at",
    "facility_id",
    "waste_code_id",
    "internal_name",
    "container_code",
    "container_type",
    "container_count",
    "quantity_g",
    "unit",
    "source_code",
    "treatment_method_id",
    "finished_at",
    "destination",
    "receiver_type",
    "receiver_permit_number",
    "handled_by",
    "second_handler",
)
MAX_LENGTH = {
    "batch_code": 40,
    "internal_name": 100,
    "container_code": 64,
    "container_type": 20,
    "destination": 100,
    "handled_by": 50,
    "second_handler": 50,
    "source": 40,
    "receiver_type": 30,
    "permit_number": 50,
    "export_approval": 50,
}
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
TEXT_FIELDS = ("internal_name", "container_code", "container_type", "destination")
Step = Callable[[dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class RowError:
    column: str
    value: str
    reason: str
    code: str


class CellRefused(Exception):
    """A cell that cannot be taken: which field, why (translated) and a code."""

    def __init__(self, field: str, reason: str, code: str) -> None:
        self.field, self.reason, self.code = field, reason, code


def cell_text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_text_time(field: str, text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise CellRefused(field, _("Not a time; write e.g. 2024-03-05 14:30."), "time_unreadable")


def datetime_adapter() -> Callable[[datetime], Any]:
    """What the database takes for an aware datetime: on SQLite the naive UTC text Django
    writes (`DatabaseOperations.adapt_datetimefield_value`, without its per-call checks)."""
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    return lambda moment: str(moment.astimezone(UTC).replace(tzinfo=None))
