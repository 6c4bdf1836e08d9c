"""The waste inventory (废物清单) tables of a "无废城市" plan, built from aggregated figures.

Layouts follow annex 3 of seed 002 (《滨江区“无废城市”建设废物清单（2023年）》):
表1 一般工业固体废物, 表2 生活垃圾, 表3 建筑垃圾, 表4 危险废物 (HW categories, top ten by
quantity generated, then 其他),
表5 农业固体废物, 表6 其他废物. Quantities are integer grams; `None` means the figure is missing —
never shown as 0. Text columns (利用方式, 处置方式, 去向) are left blank here. Tonnes formatting is
left to presenters.

Totals: a mass column's 合计 is the sum of its rows when every row has the figure; an entered
total (e.g. the statistic 一般工业固体废物产生量) takes precedence; otherwise the total is missing.
Rates are computed from the row's own quantities (percent, 2 decimals, half up) and missing when
a term is missing or the denominator is zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

GRAMS_PER_TONNE = 1_000_000
HW_TOP = 10  # 表4 lists the ten categories with the largest quantity generated, then 其他
OTHER_KEY = "other"

Cell = int | Decimal | str | None


@dataclass(frozen=True)
class Column:
    key: str
    kind: str  # "mass" | "text" | "rate"


@dataclass(frozen=True)
class HeaderGroup:
    title: str
    children: tuple[str, ...] = ()  # empty: the heading spans both header rows


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str


@dataclass(frozen=True)
class TableSpec:
    code: str
    number: int
    title: str  # as printed, e.g. "一般工业固体废物"
    stream: str  # the merged first body column
    headers: tuple[HeaderGroup, ...]  # after the two-column 种类 heading
    columns: tuple[Column, ...]
    rows: tuple[RowSpec, ...]
    rate: tuple[tuple[str, ...], str] | None  # (numerator columns, denominator column)
    unit: str = "吨"

    @property
    def sheet_name(self) -> str:
        return f"表{self.number} {self.title}"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: dict[str, Cell]


@dataclass(frozen=True)
class InventoryTable:
    spec: TableSpec
    rows: list[Row]
    total: Row
    source: str  # "ledger" | "entered"
    extras: dict[str, int | None] = field(default_factory=dict)  # figures outside the layout


def _mass(key: str) -> Column:
    return Column(key, "mass")


_STREAM_HEADERS = (
    HeaderGroup("{first}"),
    HeaderGroup("综合利用情况", ("利用量", "利用方式")),
    HeaderGroup("处置情况", ("处置量", "处置方式")),
)
_STREAM_COLUMNS = (
    _mass("generated"),
    _mass("utilised"),
    Column("utilise_method", "text"),
    _mass("disposed"),
    Column("dispose_method", "text"),
)


def _stream_spec(
    code: str,
    number: int,
    title: str,
    rows: Sequence[tuple[str, str]],
    *,
    first: str,
    rate_title: str,
    stored: bool,
    rate: tuple[tuple[str, ...], str],
) -> TableSpec:
    headers = [HeaderGroup(first) if h.title == "{first}" else h for h in _STREAM_HEADERS]
    columns = list(_STREAM_COLUMNS)
    if stored:
        headers.append(HeaderGroup("贮存量"))
        columns.append(_mass("stored"))
    headers += [HeaderGroup(rate_title), HeaderGroup("去向")]
    columns += [Column("rate", "rate"), Column("destination", "text")]
    return TableSpec(
        code=code,
        number=number,
        title=title,
        stream=title,
        headers=tuple(headers),
        columns=tuple(columns),
        rows=tuple(RowSpec(k, label) for k, label in rows),
        rate=rate,
    )


UTILISED_RATE = (("utilised",), "generated")

GENERAL_INDUSTRIAL = _stream_spec(
    "general_industrial",
    1,
    "一般工业固体废物",
    [
        ("slag", "炉渣"),
        ("sludge", "污泥"),
        ("recyclable", "可再生类废物"),
        ("other_industrial", "其他工业固体废物"),
        ("other", "其他废物"),
    ],
    first="产生量",
    rate_title="综合利用率",
    stored=True,
    rate=UTILISED_RATE,
)
HOUSEHOLD = _stream_spec(
    "household",
    2,
    "生活垃圾",
    [
        ("recyclable", "可回收物"),
        ("kitchen", "厨余垃圾"),
        ("residual", "其他垃圾"),
        ("hazardous", "有害垃圾"),
    ],
    first="清运量/回收量",
    rate_title="回收利用率",
    stored=False,
    rate=UTILISED_RATE,
)
CONSTRUCTION = _stream_spec(
    "construction",
    3,
    "建筑垃圾",
    [
        ("spoil", "工程渣土"),
        ("construction", "施工垃圾"),
        ("demolition", "拆除垃圾"),
        ("decoration", "装修垃圾"),
    ],
    first="产生量",
    rate_title="资源化利用率",
    stored=True,
    rate=UTILISED_RATE,
)
AGRICULTURAL = _stream_spec(
    "agricultural",
    5,
    "农业固体废物",
    [
        ("straw", "秸秆"),
        ("manure", "畜禽粪污"),
        ("film", "废旧农膜"),
        ("pesticide_packaging", "农药包装废弃物"),
    ],
    first="产生量（回收量）",
    rate_title="综合利用率/回收率",
    stored=False,
    rate=UTILISED_RATE,
)
OTHER_WASTE = _stream_spec(
    "other",
    6,
    "其他废物",
    [("municipal_sludge", "市政污泥"), ("green_waste", "园林绿化垃圾")],
    first="产生量",
    rate_title="无害化处置率",
    stored=False,
    rate=(("utilised", "disposed"), "generated"),
)

HW_COLUMNS = (
    "generated",
    "self_utilised",
    "self_disposed",
    "in_utilised",
    "in_disposed",
    "in_collected",
    "out_utilised",
    "out_disposed",
    "out_collected",
)
HAZARDOUS = TableSpec(
    code="hazardous",
    number=4,
    title="危险废物",
    stream="危险废物（产生量前十位）",
    headers=(
        HeaderGroup("产生量"),
        HeaderGroup("自行利用处置情况", ("自行利用量", "自行处置量")),
        HeaderGroup(
            "委托外单位利用处置",
            ("省内利用量", "省内处置量", "省内收集量", "外省利用量", "外省处置量", "外省收集量"),
        ),
        HeaderGroup("综合利用率"),
        HeaderGroup("当前贮存量"),
    ),
    columns=(*(_mass(k) for k in HW_COLUMNS), Column("rate", "rate"), _mass("stored")),
    rows=(),  # one per HW category, decided by the data
    rate=(("self_utilised", "in_utilised", "out_utilised"), "generated"),
)

ENTERED_SPECS: tuple[TableSpec, ...] = (
    GENERAL_INDUSTRIAL,
    HOUSEHOLD,
    CONSTRUCTION,
    AGRICULTURAL,
    OTHER_WASTE,
)
ALL_SPECS: tuple[TableSpec, ...] = (
    GENERAL_INDUSTRIAL,
    HOUSEHOLD,
    CONSTRUCTION,
    HAZARDOUS,
    AGRICULTURAL,
    OTHER_WASTE,
)

# Statistical-input keys: "inventory:<table>:<row>:<column>" for a row; the indicator keys of
# wufei.domain.indicator_inputs for the totals and rows they already name.
ENTERED_MEASURES = ("generated", "utilised", "disposed", "stored")
KNOWN_KEYS: dict[tuple[str, str, str], str] = {
    ("general_industrial", "total", "generated"): "gi_sw_generated_t",
    ("general_industrial", "total", "utilised"): "gi_sw_utilised_t",
    ("household", "total", "generated"): "hh_waste_collected_t",
    ("construction", "total", "generated"): "construction_waste_generated_t",
    ("construction", "total", "utilised"): "construction_waste_utilised_t",
    ("agricultural", "straw", "generated"): "straw_collectable_t",
    ("agricultural", "straw", "utilised"): "straw_utilised_t",
    ("agricultural", "manure", "generated"): "manure_generated_t",
    ("agricultural", "manure", "utilised"): "manure_utilised_t",
    ("agricultural", "film", "generated"): "film_used_t",
    ("agricultural", "film", "utilised"): "film_recovered_t",
}


def entered_key(table: str, row: str, column: str) -> str:
    """The statistical-input key a figure of an entered table is read from."""
    return KNOWN_KEYS.get((table, row, column), f"inventory:{table}:{row}:{column}")


def grams_from_tonnes(tonnes: Decimal) -> int:
    """Exact tonnes as whole grams (half up below a gram)."""
    return int((tonnes * GRAMS_PER_TONNE).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rate_percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, 2 decimals half up; None for a zero denominator."""
    if denominator == 0:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rate(spec: TableSpec, cells: Mapping[str, Cell]) -> Decimal | None:
    if spec.rate is None:
        return None
    numerators, denominator = spec.rate
    terms = [cells.get(k) for k in (*numerators, denominator)]
    if any(not isinstance(t, int) for t in terms):
        return None
    parts = [int(t) for t in terms]  # type: ignore[arg-type]
    return rate_percent(sum(parts[:-1]), parts[-1])


def _mass_keys(spec: TableSpec) -> list[str]:
    return [c.key for c in spec.columns if c.kind == "mass"]


def _row(spec: TableSpec, key: str, label: str, values: Mapping[str, int | None]) -> Row:
    cells: dict[str, Cell] = {c.key: "" for c in spec.columns if c.kind == "text"}
    for name in _mass_keys(spec):
        cells[name] = values.get(name)
    cells["rate"] = _rate(spec, cells)
    return Row(key, label, cells)


def column_total(values: Sequence[int | None]) -> int | None:
    """The sum when every value is known and there is at least one; else missing."""
    if not values or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _total(spec: TableSpec, rows: list[Row], given: Mapping[str, int | None]) -> Row:
    totals: dict[str, int | None] = {}
    for name in _mass_keys(spec):
        entered = given.get(name)
        if entered is not None:
            totals[name] = entered
        else:
            totals[name] = column_total([r.cells[name] for r in rows])  # type: ignore[misc]
    return _row(spec, "total", "合计", totals)


def entered_table(
    spec: TableSpec,
    values: Mapping[str, Mapping[str, int | None]],
    totals: Mapping[str, int | None] | None = None,
) -> InventoryTable:
    """An entered-statistics table: `values[row key][column]` grams, `totals` entered totals."""
    rows = [_row(spec, r.key, r.label, values.get(r.key, {})) for r in spec.rows]
    return InventoryTable(spec, rows, _total(spec, rows, totals or {}), source="entered")


@dataclass(frozen=True)
class HazardousFigures:
    """One HW category's figures from the ledger, grams (0 where the ledger has none)."""

    category: str  # "HW08"
    name: str  # "废矿物油与含矿物油废物"
    generated: int = 0
    self_utilised: int = 0
    self_disposed: int = 0
    self_other: int = 0  # in-house treatment by neither an R nor a D method (C codes)
    in_utilised: int = 0
    in_disposed: int = 0
    in_collected: int = 0
    out_utilised: int = 0
    out_disposed: int = 0
    out_collected: int = 0
    stored: int = 0

    def as_values(self) -> dict[str, int | None]:
        names = (*HW_COLUMNS, "stored")
        return {n: getattr(self, n) for n in names}


def _merge(name: str, parts: Sequence[HazardousFigures]) -> HazardousFigures:
    numbers = {n: sum(getattr(p, n) for p in parts) for n in (*HW_COLUMNS, "self_other", "stored")}
    return HazardousFigures(category=OTHER_KEY, name=name, **numbers)


def hazardous_table(figures: Sequence[HazardousFigures], *, top: int = HW_TOP) -> InventoryTable:
    """表4: the `top` categories by quantity generated (ties by code), the rest as 其他, 合计.

    Without any figure (no ledger record in the region and year) the total row is missing.
    """
    ordered = sorted(figures, key=lambda f: (-f.generated, f.category))
    shown, rest = list(ordered[:top]), list(ordered[top:])
    rows = [_row(HAZARDOUS, f.category, f"{f.category}{f.name}", f.as_values()) for f in shown]
    if rest:
        rows.append(_row(HAZARDOUS, OTHER_KEY, "其他", _merge("其他", rest).as_values()))
    if figures:
        whole = _merge("合计", figures)
        total = _row(HAZARDOUS, "total", "合计", whole.as_values())
        extras: dict[str, int | None] = {"self_other": whole.self_other}
    else:
        total = _row(HAZARDOUS, "total", "合计", {})
        extras = {"self_other": None}
    return InventoryTable(HAZARDOUS, rows, total, source="ledger", extras=extras)


@dataclass(frozen=True)
class StreamSummary:
    """A bulletin line for one stream, read off the inventory table's 合计 row."""

    code: str
    title: str
    source: str
    generated: int | None
    utilised: int | None
    disposed: int | None
    stored: int | None


def stream_summary(table: InventoryTable) -> StreamSummary:
    """Generated / utilised / disposed / stored of a table's total, so that the bulletin's
    figures are the inventory's by construction. 表4 adds in-house and entrusted terms."""
    cells = table.total.cells

    def add(*names: str) -> int | None:
        values = [cells.get(n) for n in names]
        return column_total([v if isinstance(v, int) else None for v in values])

    if table.spec.code == HAZARDOUS.code:
        utilised = add("self_utilised", "in_utilised", "out_utilised")
        disposed = add("self_disposed", "in_disposed", "out_disposed")
    else:
        utilised, disposed = add("utilised"), add("disposed")
    stored = add("stored") if "stored" in cells else None
    return StreamSummary(
        code=table.spec.code,
        title=table.spec.title,
        source=table.source,
        generated=add("generated"),
        utilised=utilised,
        disposed=disposed,
        stored=stored,
    )
