"""Hash chain for the append-only audit log.

Each entry's hash covers the previous entry's hash and the entry's canonical content, so
changing, inserting or deleting any entry breaks every later link. Canonical JSON (sorted keys,
no whitespace, UTF-8, decimals and dates as strings) makes the hash independent of the database
and of Python's dict order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


def _default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"cannot canonicalise {type(value).__name__}")


def canonical_json(payload: Mapping[str, Any]) -> str:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def content_hash(payload: Mapping[str, Any]) -> str:
    """The SHA-256 of a payload's canonical JSON: what a signature commits to."""
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def link_hash(previous_hash: str, payload: Mapping[str, Any]) -> str:
    return hashlib.sha256((previous_hash + canonical_json(payload)).encode()).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    sequence: int
    payload: Mapping[str, Any]
    previous_hash: str
    entry_hash: str


@dataclass(frozen=True)
class BrokenLink:
    sequence: int
    reason: str


def verify_chain(entries: Iterable[ChainEntry]) -> BrokenLink | None:
    """The first broken link in sequence order, or None when the whole chain holds."""
    expected_previous = GENESIS
    expected_sequence: int | None = None
    for entry in entries:
        if expected_sequence is not None and entry.sequence != expected_sequence:
            return BrokenLink(entry.sequence, f"sequence gap: expected {expected_sequence}")
        if entry.previous_hash != expected_previous:
            return BrokenLink(entry.sequence, "previous hash does not match the prior entry")
        if link_hash(entry.previous_hash, entry.payload) != entry.entry_hash:
            return BrokenLink(entry.sequence, "content does not match its hash")
        expected_previous = entry.entry_hash
        expected_sequence = entry.sequence + 1
    return None
