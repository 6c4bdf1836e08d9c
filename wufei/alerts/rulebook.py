"""The contract between the warning engine and the rules it runs.

A rule is a named piece of code citing the article it enforces. It looks at the records and
yields `Finding`s — one per situation that deserves a warning, identified by a stable `key` —
and the engine turns findings into `Alert` rows (raise, refresh, auto-resolve). Rules never
write; they only read, so the engine can run them on a schedule or after an event, any number
of times, with the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # django-stubs is a dev dependency; annotations are not evaluated
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Evidence:
    """A record that shows why the warning was raised, linked from the alert page."""

    kind: str  # "manifest" | "ledger_event" | "container" | "facility" | "permit" | ...
    id: str  # pk or number
    label: str  # e.g. the manifest number
    url: str  # absolute path to the record page ("" if none)


@dataclass(frozen=True)
class Finding:
    """One situation a rule found; `key` identifies it within the rule across runs."""

    key: str
    organisation_id: int
    region_code: str
    facility_id: int | None = None
    severity: str = "medium"
    facts: Mapping[str, str | int] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()


class Rule:
    """Base class of every warning rule; subclass it and decorate with `@register`."""

    code: ClassVar[str]
    title: ClassVar[StrOrPromise]
    source: ClassVar[StrOrPromise]
    defaults: ClassVar[Mapping[str, int | str]] = {}
    triggers: ClassVar[frozenset[str]] = frozenset()

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        """The situations found now; `organisation_ids` None means the whole network."""
        raise NotImplementedError

    def describe(self, facts: Mapping[str, str | int]) -> str:
        """A translated sentence built from the facts of one finding."""
        return str(self.title)


RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Add one instance of the rule class to RULES under its code (codes are unique)."""
    code = cls.code
    if len(code) > 40:
        raise ValueError(f"rule code {code!r} is longer than 40 characters")
    existing = RULES.get(code)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(f"two rules share the code {code!r}")
    RULES[code] = cls()
    return cls


def unregister(code: str) -> None:
    """Remove a rule (tests register throwaway rules and remove them afterwards)."""
    RULES.pop(code, None)
