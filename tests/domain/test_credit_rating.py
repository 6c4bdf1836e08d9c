"""Credit rating deductions against hand-computed values (docs/credit-rating.md)."""

from __future__ import annotations

from datetime import date

from wufei.domain.credit_rating import (
    CaseFact,
    CreditLevel,
    CreditScheme,
    FindingFact,
    WarningFact,
    credit_rating,
    level_of,
)

END = date(2024, 12, 31)


def test_clean_record_is_trustworthy() -> None:
    r = credit_rating(year=2024, warnings=[], findings=[], cases=[], as_of=END)
    assert (r.score, r.level, r.deductions) == (100, CreditLevel.TRUSTWORTHY, ())


def test_bands() -> None:
    assert level_of(90) == CreditLevel.TRUSTWORTHY
    assert level_of(89) == CreditLevel.GOOD
    assert level_of(75) == CreditLevel.GOOD
    assert level_of(74) == CreditLevel.WARNING
    assert level_of(60) == CreditLevel.WARNING
    assert level_of(59) == CreditLevel.POOR


def test_warnings_on_time_late_and_open() -> None:
    warnings = [
        # medium closed after 10 days: on time → 2
        WarningFact(1, "medium", date(2024, 3, 1), date(2024, 3, 11)),
        # high closed after 20 days: late → 4 × 2 = 8
        WarningFact(2, "high", date(2024, 3, 1), date(2024, 3, 21)),
        # critical still open at year end: late → 8 × 2 = 16
        WarningFact(3, "critical", date(2024, 6, 1), None),
        # low raised 5 days before year end, open: still within time → 1
        WarningFact(4, "low", date(2024, 12, 26), None),
    ]
    r = credit_rating(year=2024, warnings=warnings, findings=[], cases=[], as_of=END)
    assert [(d.ref_id, d.points, d.reason) for d in r.deductions] == [
        (1, 2, "on_time"),
        (2, 8, "late"),
        (3, 16, "open"),
        (4, 1, "on_time"),
    ]
    # 100 − 27 = 73 → 一般(警示)
    assert (r.score, r.level) == (73, CreditLevel.WARNING)


def test_findings_and_cases() -> None:
    findings = [
        FindingFact(1, "minor", date(2024, 5, 1), date(2024, 4, 28)),  # on time → 2
        FindingFact(2, "major", date(2024, 5, 1), date(2024, 5, 9)),  # late → 10
    ]
    cases = [CaseFact(7, "rectification", date(2024, 6, 1)), CaseFact(8, "none", date(2024, 7, 1))]
    r = credit_rating(year=2024, warnings=[], findings=findings, cases=cases, as_of=END)
    # 100 − (2 + 10 + 8) = 80 → 良好; the case with outcome "none" deducts nothing
    assert (r.score, r.level) == (80, CreditLevel.GOOD)
    assert [d.kind for d in r.deductions] == ["finding", "finding", "case"]


def test_suspension_vetoes_and_score_floor() -> None:
    cases = [CaseFact(i, "suspension", date(2024, 6, 1)) for i in range(4)]
    r = credit_rating(year=2024, warnings=[], findings=[], cases=cases[:1], as_of=END)
    assert (r.score, r.level, r.vetoed) == (70, CreditLevel.POOR, True)
    r = credit_rating(year=2024, warnings=[], findings=[], cases=cases, as_of=END)
    assert r.score == 0


def test_scheme_is_configurable() -> None:
    lenient = CreditScheme(late_multiplier=1, veto_outcomes=frozenset())
    cases = [CaseFact(1, "suspension", date(2024, 6, 1))]
    r = credit_rating(year=2024, warnings=[], findings=[], cases=cases, as_of=END, scheme=lenient)
    assert (r.score, r.level) == (70, CreditLevel.WARNING)
