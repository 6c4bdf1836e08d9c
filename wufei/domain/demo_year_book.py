"""The growing record of a demo year while it is planned: refs, batch codes, sequences, stock.

Planning is a simulation in time order per shipper; `YearBook` hands out the indices (`ref`)
of containers, events and manifests, the appendix-B batch codes (HJ 1259-2022: prefix + date +
running number per organisation, prefix and day, e.g. HWCS20240105001), the per-day container
sequence of HJ 1276-2022, and keeps each store's shippable lots.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from wufei.domain.demo_year_records import (
    CST,
    ContainerPlan,
    EventPlan,
    ManifestPlan,
)
from wufei.domain.ledger_batch_codes import (
    DISPOSAL,
    UTILISATION,
    batch_code_format,
    batch_prefix,
)


def batch_kind_prefix(kind: str, method: str | None) -> str:
    """The HJ 1259 initials of an event (`ledger_batch_codes`): utilisation methods are R…"""
    treatment_kind = UTILISATION if (method or "").startswith("R") else DISPOSAL
    return batch_prefix(kind, treatment_kind=treatment_kind)


def at(day: date, minutes: int) -> datetime:
    """`day` at `minutes` past midnight, China Standard Time."""
    return datetime.combine(day, time(), CST) + timedelta(minutes=minutes)


@dataclass(frozen=True, slots=True)
class Lot:
    """Waste in a store that can be shipped: the store-in event holding it."""

    event: int  # ref of the store-in
    owner: str
    code: str
    quantity_g: int
    ready_at: datetime
    receiver: str  # where it is routed next
    method: str  # HJ 1259 treatment method at the plant it ends in
    containers: tuple[int, ...]
    container_count: int
    container_type: str
    physical_form: str
    medical: bool


class YearBook:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.containers: list[ContainerPlan] = []
        self.events: list[EventPlan] = []
        self.manifests: list[ManifestPlan] = []
        self.lots: dict[str, list[Lot]] = defaultdict(list)  # store owner → lots in stock
        self._batches: dict[tuple[str, str, date], int] = defaultdict(int)
        self._sequences: dict[tuple[str, str, date], int] = defaultdict(int)
        self._first_codes: dict[tuple[str, date], str] = {}

    def container(
        self, *, owner: str, code: str, day: date, container_type: str, volume_l: int
    ) -> int:
        self._sequences[owner, code, day] += 1
        ref = len(self.containers)
        self.containers.append(
            ContainerPlan(
                ref, owner, code, day, self._sequences[owner, code, day], container_type, volume_l
            )
        )
        return ref

    def event(
        self,
        *,
        owner: str,
        facility: str,
        kind: str,
        at: datetime,
        code: str,
        quantity_g: int,
        handled_by: str,
        source: int | None = None,
        container: int | None = None,
        container_type: str = "",
        container_count: int = 0,
        manifest: int | None = None,
        method: str | None = None,
        receiver: str | None = None,
        finished_at: datetime | None = None,
        destination: str = "",
        second_handler: str = "",
    ) -> int:
        """Record an event; its batch code is the next of its owner, kind and day."""
        day = at.date()
        prefix = batch_kind_prefix(kind, method)
        self._batches[owner, prefix, day] += 1
        first = self._first_codes.get((prefix, day))
        if first is None:  # formatting a date is slow; do it once per prefix and day
            first = self._first_codes[prefix, day] = batch_code_format(prefix, day, 1)
        batch = f"{first[:-3]}{self._batches[owner, prefix, day]:03d}"
        ref = len(self.events)
        self.events.append(
            EventPlan(
                ref=ref,
                owner=owner,
                facility=facility,
                kind=kind,
                batch_code=batch,
                at=at,
                code=code,
                quantity_g=quantity_g,
                handled_by=handled_by,
                source=source,
                container=container,
                container_type=container_type,
                container_count=container_count,
                manifest=manifest,
                method=method,
                receiver=receiver,
                finished_at=finished_at,
                destination=destination,
                second_handler=second_handler,
            )
        )
        return ref

    def link_manifest(self, event: int, manifest: int) -> None:
        self.events[event] = replace(self.events[event], manifest=manifest)

    def peek(self, owner: str, receiver: str, until: datetime, medical: bool) -> list[Lot]:
        """The lots `take` would return, left in stock."""
        return [
            lot
            for lot in self.lots[owner]
            if lot.receiver == receiver and lot.ready_at < until and lot.medical == medical
        ]

    def take(self, owner: str, receiver: str, until: datetime, medical: bool) -> list[Lot]:
        """Remove and return, oldest first, the lots of `owner` routed to `receiver` by `until`."""
        taken: list[Lot] = []
        kept: list[Lot] = []
        for lot in self.lots[owner]:
            ready = lot.receiver == receiver and lot.ready_at < until and lot.medical == medical
            (taken if ready else kept).append(lot)
        self.lots[owner] = kept
        return taken
