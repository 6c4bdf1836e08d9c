"""The audit chain detects a changed, inserted or deleted entry and names the first bad one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from wufei.domain.hash_chain import (
    GENESIS,
    ChainEntry,
    canonical_json,
    content_hash,
    link_hash,
    verify_chain,
)


def build(payloads: list[dict[str, object]]) -> list[ChainEntry]:
    entries, previous = [], GENESIS
    for n, payload in enumerate(payloads, start=1):
        entry = ChainEntry(n, payload, previous, link_hash(previous, payload))
        entries.append(entry)
        previous = entry.entry_hash
    return entries


PAYLOADS: list[dict[str, object]] = [
    {"event": "sign_shipper", "manifest": "20253301000001", "weight_t": Decimal("1.250000")},
    {"event": "sign_pickup", "manifest": "20253301000001", "on": date(2025, 3, 6)},
    {"event": "accept", "manifest": "20253301000001", "weight_t": Decimal("1.248000")},
]


def test_canonical_json_is_order_independent_and_exact() -> None:
    assert canonical_json({"b": 1, "a": Decimal("0.100")}) == '{"a":"0.100","b":1}'
    assert content_hash({"x": 1, "y": 2}) == content_hash({"y": 2, "x": 1})


def test_intact_chain_verifies() -> None:
    assert verify_chain(build(PAYLOADS)) is None


def test_modified_entry_is_named() -> None:
    entries = build(PAYLOADS)
    entries[1] = replace(entries[1], payload={**entries[1].payload, "on": "2025-03-07"})
    broken = verify_chain(entries)
    assert broken is not None and broken.sequence == 2
    assert "content" in broken.reason


def test_deleted_entry_is_detected() -> None:
    entries = build(PAYLOADS)
    del entries[1]
    broken = verify_chain(entries)
    assert broken is not None and broken.sequence == 3


def test_rehashed_forgery_breaks_the_next_link() -> None:
    entries = build(PAYLOADS)
    forged_payload = {**entries[0].payload, "weight_t": Decimal("0.5")}
    entries[0] = replace(
        entries[0], payload=forged_payload, entry_hash=link_hash(GENESIS, forged_payload)
    )
    broken = verify_chain(entries)
    assert broken is not None and broken.sequence == 2
