"""Validating an edition of the 国家危险废物名录 before anything is written.

The validators take plain row dicts (as `tables.open_table` yields them, or built in a test) and
return the clean rows and *every* error found, each with the row number a spreadsheet shows
(header = row 1), so that one report lets a person fix the whole file at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wufei.catalog.models import CHARACTERISTIC_SEPARATORS, HAZARD_CHARACTERISTICS

CODE_COLUMNS = (
    "category_code",
    "category_name",
    "industry_source",
    "waste_code",
    "waste_description",
    "hazard_characteristics",
)
CATEGORY_COLUMNS = ("category_code", "category_name")
EXEMPTION_COLUMNS = (
    "item_no",
    "waste_category_or_code",
    "hazardous_waste",
    "exempt_stage",
    "exempt_condition",
    "exempt_content",
)

# 国家危险废物名录（2021年版）第五条（三）: the code has 8 digits — industry (1-3, GB/T 4754-2017),
# sequence (4-6) and category (7-8).
CODE_RE = re.compile(r"^\d{3}-\d{3}-\d{2}$")
# 名录 第五条（一）: categories follow the Basel Convention classes, written HW01 … HW50.
CATEGORY_RE = re.compile(r"^HW\d{2}$")
# 名录 第五条（四）: the five hazard characteristics.
CHARACTERISTICS = frozenset(HAZARD_CHARACTERISTICS)
# The exemption list names one category, one or more codes separated by ";", or a text.
SUBJECT_SEPARATORS = re.compile(r"[;；、,，\s]+")


@dataclass(frozen=True)
class RowError:
    file: str
    row: int | None  # None: about the whole import (e.g. the edition year)
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class CodeRow:
    row: int
    category_code: str
    category_name: str
    industry_source: str
    code: str
    description: str
    hazard_characteristics: str
    source_page: int | None


@dataclass(frozen=True)
class CategoryRow:
    row: int
    code: str
    name: str
    expected_count: int | None


@dataclass(frozen=True)
class ExemptionRow:
    row: int
    position: int
    item_no: int
    subject: str
    waste: str
    stage: str
    condition: str
    content: str
    source_page: int | None
    codes: tuple[str, ...]
    categories: tuple[str, ...]


class _Collector:
    """Collects the errors of one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[RowError] = []

    def add(self, row: int | None, column: str, value: str, reason: str) -> None:
        self.errors.append(RowError(self.file, row, column, value, reason))

    def required(self, row: int, record: Mapping[str, str], column: str) -> str:
        value = (record.get(column) or "").strip()
        if not value:
            self.add(row, column, value, _("must not be empty"))
        return value

    def whole_number(self, row: int, record: Mapping[str, str], column: str) -> int | None:
        value = (record.get(column) or "").strip()
        if not value:
            return None
        if not value.isdigit() or int(value) == 0:
            self.add(row, column, value, _("must be a whole number greater than 0"))
            return None
        return int(value)


def _with_header(
    rows: Iterable[Mapping[str, str]], columns: Sequence[str] | None
) -> tuple[list[str], Iterator[Mapping[str, str]]]:
    iterator = iter(rows)
    if columns is not None:
        return [c.strip().lower() for c in columns], iterator
    first = next(iterator, None)
    if first is None:
        return [], iterator
    return [c.strip().lower() for c in first], chain([first], iterator)


def _missing_columns(errors: _Collector, columns: list[str], required: Sequence[str]) -> bool:
    missing = [c for c in required if c not in columns]
    for column in missing:
        errors.add(1, column, "", _("required column is missing from the header row"))
    return bool(missing)


def _numbered(rows: Iterator[Mapping[str, str]], first_row: int) -> Iterator[tuple[int, Mapping]]:
    for number, record in enumerate(rows, start=first_row):
        if any((v or "").strip() for v in record.values()):
            yield number, record


def normalise_characteristics(value: str) -> str:
    """'T，I' → 'T,I'; the separators of the official text (',' and '/') are kept."""
    return re.sub(r"\s+", "", value).replace("，", ",").replace("、", ",")


def validate_code_rows(
    rows: Iterable[Mapping[str, str]],
    *,
    columns: Sequence[str] | None = None,
    file: str = "",
    first_row: int = 2,
) -> tuple[list[CodeRow], list[RowError]]:
    """Check every row of a list in the layout of national_hazardous_waste_list_2021.csv."""
    errors = _Collector(file)
    header, iterator = _with_header(rows, columns)
    if _missing_columns(errors, header, CODE_COLUMNS):
        return [], errors.errors
    valid: list[CodeRow] = []
    names: dict[str, tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for number, record in _numbered(iterator, first_row):
        ok_before = len(errors.errors)
        category = errors.required(number, record, "category_code").upper()
        if category and not CATEGORY_RE.match(category):
            errors.add(
                number, "category_code", category, _("must look like HW08 (HW and two digits)")
            )
        name = errors.required(number, record, "category_name")
        if CATEGORY_RE.match(category) and name:
            first = names.setdefault(category, (name, number))
            if first[0] != name:
                errors.add(
                    number,
                    "category_name",
                    name,
                    _("%(category)s is named “%(name)s” in row %(row)s")
                    % {"category": category, "name": first[0], "row": first[1]},
                )
        industry = errors.required(number, record, "industry_source")
        code = errors.required(number, record, "waste_code")
        if code and not CODE_RE.match(code):
            errors.add(
                number,
                "waste_code",
                code,
                _("must have the form NNN-NNN-NN (eight digits), e.g. 900-249-08"),
            )
        elif code and CATEGORY_RE.match(category) and code[-2:] != category[2:]:
            # 名录 第五条（三）: digits 7-8 of the code are the category.
            errors.add(
                number,
                "waste_code",
                code,
                _("the last two digits must be the category number %(digits)s of %(category)s")
                % {"digits": category[2:], "category": category},
            )
        if code:
            if code in seen:
                errors.add(
                    number,
                    "waste_code",
                    code,
                    _("duplicate waste code: already in row %(row)s") % {"row": seen[code]},
                )
            else:
                seen[code] = number
        description = errors.required(number, record, "waste_description")
        characteristics = normalise_characteristics(
            errors.required(number, record, "hazard_characteristics")
        )
        parts = CHARACTERISTIC_SEPARATORS.split(characteristics) if characteristics else []
        for part in parts:
            if part not in CHARACTERISTICS:
                errors.add(
                    number,
                    "hazard_characteristics",
                    characteristics,
                    _(
                        "“%(part)s” is not a hazard characteristic: "
                        "use T, C, I, R or In, separated by “/”"
                    )
                    % {"part": part},
                )
                break
        page = errors.whole_number(number, record, "pdf_page")
        if len(errors.errors) == ok_before:
            valid.append(
                CodeRow(number, category, name, industry, code, description, characteristics, page)
            )
    if not seen and not errors.errors:
        errors.add(None, "", "", _("the list has no rows"))
    return valid, errors.errors


def validate_category_rows(
    rows: Iterable[Mapping[str, str]],
    *,
    columns: Sequence[str] | None = None,
    file: str = "",
) -> tuple[list[CategoryRow], list[RowError]]:
    """Check a category table (category_code, category_name[, num_waste_codes])."""
    errors = _Collector(file)
    header, iterator = _with_header(rows, columns)
    if _missing_columns(errors, header, CATEGORY_COLUMNS):
        return [], errors.errors
    valid: list[CategoryRow] = []
    seen: dict[str, int] = {}
    for number, record in _numbered(iterator, 2):
        ok_before = len(errors.errors)
        code = errors.required(number, record, "category_code").upper()
        if code and not CATEGORY_RE.match(code):
            errors.add(number, "category_code", code, _("must look like HW08 (HW and two digits)"))
        elif code in seen:
            errors.add(
                number,
                "category_code",
                code,
                _("duplicate category: already in row %(row)s") % {"row": seen[code]},
            )
        seen.setdefault(code, number)
        name = errors.required(number, record, "category_name")
        count = errors.whole_number(number, record, "num_waste_codes")
        if len(errors.errors) == ok_before:
            valid.append(CategoryRow(number, code, name, count))
    return valid, errors.errors


def check_categories(
    codes: Sequence[CodeRow], categories: Sequence[CategoryRow], *, file: str = ""
) -> list[RowError]:
    """Compare a category table with the categories and code counts found in the list."""
    errors = _Collector(file)
    listed = {c.code: c for c in categories}
    counts: dict[str, int] = {}
    for row in codes:
        counts[row.category_code] = counts.get(row.category_code, 0) + 1
        category = listed.get(row.category_code)
        if category is None:
            continue
        if category.name != row.category_name:
            errors.add(
                category.row,
                "category_name",
                category.name,
                _("the list names %(category)s “%(name)s” (row %(row)s)")
                % {"category": row.category_code, "name": row.category_name, "row": row.row},
            )
            listed.pop(row.category_code)  # report a name once
    for code in sorted(set(counts) - {c.code for c in categories}):
        errors.add(None, "category_code", code, _("category is missing from the categories file"))
    for category in categories:
        found = counts.get(category.code, 0)
        if category.expected_count is not None and category.expected_count != found:
            errors.add(
                category.row,
                "num_waste_codes",
                str(category.expected_count),
                _("the list has %(found)s codes in %(category)s")
                % {"found": found, "category": category.code},
            )
    return errors.errors


def categories_from_codes(codes: Sequence[CodeRow]) -> list[CategoryRow]:
    first: dict[str, CategoryRow] = {}
    for row in codes:
        first.setdefault(
            row.category_code, CategoryRow(row.row, row.category_code, row.category_name, None)
        )
    return sorted(first.values(), key=lambda c: c.code)


def validate_exemption_rows(
    rows: Iterable[Mapping[str, str]],
    *,
    codes: set[str],
    categories: set[str],
    columns: Sequence[str] | None = None,
    file: str = "",
) -> tuple[list[ExemptionRow], list[RowError]]:
    """Check a 危险废物豁免管理清单 in the layout of hw_exemption_list_2021.csv.

    The subject names a category ("HW01"), codes ("252-002-11;252-017-11") or is a text
    (生活垃圾中的危险废物); categories and codes must exist in the list being loaded.
    """
    errors = _Collector(file)
    header, iterator = _with_header(rows, columns)
    if _missing_columns(errors, header, EXEMPTION_COLUMNS):
        return [], errors.errors
    valid: list[ExemptionRow] = []
    for position, (number, record) in enumerate(_numbered(iterator, 2), start=1):
        ok_before = len(errors.errors)
        item_no = errors.whole_number(number, record, "item_no")
        if item_no is None and not (record.get("item_no") or "").strip():
            errors.add(number, "item_no", "", _("must not be empty"))
        subject = errors.required(number, record, "waste_category_or_code")
        tokens = [t for t in SUBJECT_SEPARATORS.split(subject) if t]
        linked_codes = tuple(t for t in tokens if CODE_RE.match(t))
        linked_categories = tuple(t.upper() for t in tokens if CATEGORY_RE.match(t.upper()))
        for code in linked_codes:
            if code not in codes:
                errors.add(number, "waste_category_or_code", code, _("not a code of this list"))
        for category in linked_categories:
            if category not in categories:
                errors.add(
                    number, "waste_category_or_code", category, _("not a category of this list")
                )
        waste = errors.required(number, record, "hazardous_waste")
        stage = errors.required(number, record, "exempt_stage")
        condition = errors.required(number, record, "exempt_condition")
        content = errors.required(number, record, "exempt_content")
        page = errors.whole_number(number, record, "pdf_page")
        if len(errors.errors) == ok_before and item_no is not None:
            valid.append(
                ExemptionRow(
                    number,
                    position,
                    item_no,
                    subject,
                    waste,
                    stage,
                    condition,
                    content,
                    page,
                    linked_codes,
                    linked_categories,
                )
            )
    return valid, errors.errors


def format_report(errors: Sequence[RowError]) -> str:
    """A plain, row-by-row report of every error, in the active language."""
    lines = [
        ngettext(
            "Import refused: %(count)d error found, nothing was written.",
            "Import refused: %(count)d errors found, nothing was written.",
            len(errors),
        )
        % {"count": len(errors)}
    ]
    for error in sorted(errors, key=lambda e: (e.file, e.row or 0)):
        value = error.value if len(error.value) <= 60 else error.value[:57] + "…"
        if error.row is None:
            where = error.file or _("import")
        else:
            where = _("%(file)s row %(row)s") % {"file": error.file, "row": error.row}
        if error.column.startswith("--"):
            line = _("option %(column)s = “%(value)s”: %(reason)s")
        elif error.column:
            line = _("%(where)s, column %(column)s = “%(value)s”: %(reason)s")
        else:
            line = _("%(where)s: %(reason)s")
        lines.append(
            "  "
            + line
            % {"where": where, "column": error.column, "value": value, "reason": error.reason}
        )
    return "\n".join(lines)
