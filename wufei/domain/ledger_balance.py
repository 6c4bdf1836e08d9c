"""The mass balance of the management ledger, in integer grams.

Per facility and waste code, over a period [start, end):

    opening + generated + received + moved_in = treated + handed_over + moved_out + closing

`moved_in`/`moved_out` are movements between facilities of the same unit (generation site →
storage → in-house treatment); over a whole unit they cancel, leaving the balance of the
design: 期初 + 产生 + 接收 = 自行利用处置 + 委外 + 期末. Opening and closing are the stock held
at `start` and `end`, computed from what each event still holds — never as the difference of
the flows — so a row that does not close reveals a broken ledger instead of hiding it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
G = TypeVar("G", bound=Hashable)


@dataclass(frozen=True)
class BalanceRow(Generic[K]):
    key: K
    opening: int = 0
    generated: int = 0
    received: int = 0
    moved_in: int = 0
    treated: int = 0
    handed_over: int = 0
    moved_out: int = 0
    closing: int = 0

    @property
    def inflow(self) -> int:
        """期初 + 产生 + 接收 (+ moved in from another facility of the unit)."""
        return self.opening + self.generated + self.received + self.moved_in

    @property
    def outflow(self) -> int:
        """自行利用处置 + 委外 + 期末 (+ moved out to another facility of the unit)."""
        return self.treated + self.handed_over + self.moved_out + self.closing

    @property
    def closing_by_flows(self) -> int:
        """What the closing stock must be if every gram is accounted for."""
        return (
            self.opening
            + self.generated
            + self.received
            + self.moved_in
            - self.treated
            - self.handed_over
            - self.moved_out
        )

    @property
    def closes(self) -> bool:
        return self.inflow == self.outflow

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) == 0 for f in fields(self) if f.name != "key")


TERMS = ("opening", "generated", "received", "moved_in", "treated", "handed_over", "moved_out")


def balance_rows(
    *,
    opening: Mapping[K, int],
    closing: Mapping[K, int],
    generated: Mapping[K, int],
    received: Mapping[K, int],
    moved_in: Mapping[K, int],
    treated: Mapping[K, int],
    handed_over: Mapping[K, int],
    moved_out: Mapping[K, int],
    order: Callable[[K], Any] | None = None,
) -> list[BalanceRow[K]]:
    """One row per key present in any term; rows that are zero throughout are left out."""
    terms: dict[str, Mapping[K, int]] = {
        "opening": opening,
        "generated": generated,
        "received": received,
        "moved_in": moved_in,
        "treated": treated,
        "handed_over": handed_over,
        "moved_out": moved_out,
        "closing": closing,
    }
    keys: set[K] = set()
    for values in terms.values():
        keys.update(values)
    rows = [
        BalanceRow(key=key, **{name: int(values.get(key, 0)) for name, values in terms.items()})
        for key in keys
    ]
    rows = [row for row in rows if not row.is_empty]
    sort_key: Callable[[K], Any] = order or str
    rows.sort(key=lambda row: sort_key(row.key))
    return rows


def balance_group(rows: Iterable[BalanceRow[K]], group: Callable[[K], G]) -> list[BalanceRow[G]]:
    """Rows added up by `group(key)` (e.g. a whole unit per waste code): moves then cancel."""
    sums: dict[G, dict[str, int]] = {}
    for row in rows:
        acc = sums.setdefault(group(row.key), {})
        for name in (*TERMS, "closing"):
            acc[name] = acc.get(name, 0) + getattr(row, name)
    return [BalanceRow(key=key, **values) for key, values in sums.items()]


def stock_from(held: Mapping[K, int], taken: Mapping[K, int]) -> dict[K, int]:
    """Stock per key: what events placed there minus what later events took from them.

    Zero stock is left out. A negative value means more was taken than ever held — a ledger the
    rules should have refused — and is kept so that it shows.
    """
    stock: dict[K, int] = {}
    for key in set(held) | set(taken):
        value = held.get(key, 0) - taken.get(key, 0)
        if value:
            stock[key] = value
    return stock
