"""The layouts of HJ 1259-2022 appendix B (tables B.1–B.5): column headers and their fields.

Headers are the standard's column names exactly, with the two-level headings joined by "-"
(危险废物名称-行业俗称/单位内部名称). Import and export both read these tuples, so a file we
export imports unchanged. Fields starting with "_" are shown on export but derived on import
(the list name and category follow from the code; the storage type from the facility).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from wufei.ledger.models import EventKind

_NAMES = (
    ("危险废物名称-行业俗称/单位内部名称", "internal_name"),
    ("危险废物名称-国家危险废物名录名称", "_list_name"),
    ("危险废物类别", "_category"),
    ("危险废物代码", "waste_code"),
)
_CONTAINER = (
    ("容器/包装编码", "container_code"),
    ("容器/包装类型", "container_type"),
    ("容器/包装数量", "container_count"),
)


@dataclass(frozen=True)
class Table:
    id: str  # "B.1"
    kind: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (header, field)

    @cached_property
    def headers(self) -> tuple[str, ...]:
        return tuple(header for header, _field in self.columns)

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(field for _header, field in self.columns)

    def header_of(self, field: str) -> str:
        for header, name in self.columns:
            if name == field:
                return header
        return ""

    @property
    def sheet_title(self) -> str:
        """Excel forbids "/" in sheet names; the full-width solidus reads the same."""
        return f"{self.id} {self.title}".replace("/", "／")[:31]


TABLES: dict[str, Table] = {
    t.id: t
    for t in (
        Table(
            "B.1",
            EventKind.GENERATE,
            "危险废物产生环节记录表",
            (
                ("序号", "_seq"),
                ("产生批次编码", "batch_code"),
                ("产生时间", "occurred_at"),
                *_NAMES,
                ("产生量", "quantity"),
                ("计量单位", "unit"),
                *_CONTAINER,
                ("产生危险废物设施编码", "facility"),
                ("产生部门经办人", "handled_by"),
                ("去向", "destination"),
            ),
        ),
        Table(
            "B.2",
            EventKind.STORE_IN,
            "危险废物入库环节记录表",
            (
                ("序号", "_seq"),
                ("入库批次编码", "batch_code"),
                ("入库时间", "occurred_at"),
                *_CONTAINER,
                *_NAMES,
                ("入库量", "quantity"),
                ("计量单位", "unit"),
                ("贮存设施编码", "facility"),
                ("贮存设施类型", "_facility_type"),
                ("运送部门经办人", "second_handler"),
                ("贮存部门经办人", "handled_by"),
                ("产生批次编码", "source"),
            ),
        ),
        Table(
            "B.3",
            EventKind.STORE_OUT,
            "危险废物出库环节记录表",
            (
                ("序号", "_seq"),
                ("出库批次编码", "batch_code"),
                ("出库时间", "occurred_at"),
                *_CONTAINER,
                *_NAMES,
                ("出库量", "quantity"),
                ("计量单位", "unit"),
                ("贮存设施编码", "facility"),
                ("贮存设施类型", "_facility_type"),
                ("出库部门经办人", "handled_by"),
                ("运送部门经办人", "second_handler"),
                ("入库批次编码", "source"),
                ("去向", "destination"),
            ),
        ),
        Table(
            "B.4",
            EventKind.TREAT_IN_HOUSE,
            "危险废物自行利用/处置环节记录表",
            (
                ("序号", "_seq"),
                ("自行利用/处置批次编码", "batch_code"),
                ("自行利用/处置时间", "occurred_at"),
                *_CONTAINER,
                *_NAMES,
                ("自行利用/处置量", "quantity"),
                ("计量单位", "unit"),
                ("自行利用/处置设施编码", "facility"),
                ("自行利用/处置方式", "treatment_method"),
                ("自行利用/处置完毕时间", "finished_at"),
                ("自行利用/处置部门经办人", "handled_by"),
                ("产生批次编码/出库批次编码", "source"),
            ),
        ),
        Table(
            "B.5",
            EventKind.HAND_OVER,
            "危险废物委外利用/处置记录表",
            (
                ("序号", "_seq"),
                ("委外利用/处置批次编码", "batch_code"),
                ("出厂时间", "occurred_at"),
                *_CONTAINER,
                *_NAMES,
                ("委外利用/处置量", "quantity"),
                ("计量单位", "unit"),
                ("利用/处置方式", "treatment_method"),
                ("接收单位类型", "receiver_type"),
                ("危险废物经营许可证持有单位-单位名称", "receiver_licensed"),
                ("危险废物经营许可证持有单位-许可证编码", "permit_number"),
                ("危险废物利用处置环节豁免管理单位-单位名称", "receiver_exempt"),
                ("境外利用处置单位-单位名称", "receiver_abroad"),
                ("境外利用处置单位-出口核准通知单编号", "export_approval"),
                ("产生批次编码/出库批次编码", "source"),
            ),
        ),
    )
}
TABLE_OF_KIND = {t.kind: t for t in TABLES.values()}
# The order in which tables are written, so that every link points at a batch already there.
TABLE_ORDER = ("B.1", "B.2", "B.3", "B.4", "B.5")


def table_for_sheet(title: str) -> Table | None:
    """The table a worksheet holds, by its title starting with "B.1 " … "B.5 " (or exactly)."""
    head = title.strip().split(" ", 1)[0].replace("．", ".").upper()
    return TABLES.get(head)
