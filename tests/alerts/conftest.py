"""A throwaway rule whose findings each test sets, and a small network of parties."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

import pytest
from django.utils.translation import gettext, gettext_lazy

from tests.registry.factories import make_member, make_org, make_regulator, make_user
from wufei.accounts.models import MembershipRole, User
from wufei.alerts.rulebook import RULES, Evidence, Finding, Rule, register, unregister
from wufei.registry.models import Organisation

FAKE = "test_fake"


class FakeRule(Rule):
    """Finds whatever the test put in `found`; remembers what it was asked."""

    code = FAKE
    title = gettext_lazy("Alerts")  # any translated msgid of the app will do
    source = "《测试办法》第一条"
    defaults: ClassVar[Mapping[str, int | str]] = {"days": 5, "unit": "t"}
    triggers = frozenset({"manifest.changed"})

    def __init__(self) -> None:
        self.found: list[Finding] = []
        self.calls: list[dict[str, object]] = []
        self.fail = False

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        self.calls.append(
            {"now": now, "thresholds": dict(thresholds), "organisation_ids": organisation_ids}
        )
        if self.fail:
            raise RuntimeError("rule bug")
        return [
            f
            for f in self.found
            if organisation_ids is None or f.organisation_id in organisation_ids
        ]

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return gettext("Note") + f" {facts.get('number', '')}"


@pytest.fixture
def fake_rule() -> Iterator[FakeRule]:
    register(FakeRule)
    rule = RULES[FAKE]
    assert isinstance(rule, FakeRule)
    yield rule
    unregister(FAKE)


def finding(org: Organisation, key: str = "manifest:1", **extra: object) -> Finding:
    values: dict[str, object] = {
        "key": key,
        "organisation_id": org.pk,
        "region_code": org.region.code,
        "severity": "high",
        "facts": {"number": key},
        "evidence": (Evidence(kind="manifest", id="1", label=key, url="/manifests/X/"),),
    }
    values.update(extra)
    return Finding(**values)  # type: ignore[arg-type]


@dataclass
class Parties:
    org: Organisation
    other_org: Organisation
    beijing_org: Organisation
    admin: User  # the organisation's administrator
    member: User
    driver: User
    readonly: User
    outsider: User  # administrator of another organisation in the same district
    regulator: User  # 330108
    regulator_city: User  # 330100
    regulator_beijing: User  # 110101
    superuser: User


@pytest.fixture
def parties(db: object) -> Parties:
    org = make_org(is_producer=True)
    other = make_org(is_producer=True)
    beijing = make_org(region_code="110101", is_producer=True)
    users = {}
    for role in (MembershipRole.ADMIN, MembershipRole.MEMBER, MembershipRole.DRIVER):
        users[role] = make_user()
        make_member(users[role], org, role)
    readonly = make_user()
    make_member(readonly, org, MembershipRole.READONLY)
    outsider = make_user()
    make_member(outsider, other, MembershipRole.ADMIN)
    return Parties(
        org=org,
        other_org=other,
        beijing_org=beijing,
        admin=users[MembershipRole.ADMIN],
        member=users[MembershipRole.MEMBER],
        driver=users[MembershipRole.DRIVER],
        readonly=readonly,
        outsider=outsider,
        regulator=make_regulator("reg_binjiang", "330108"),
        regulator_city=make_regulator("reg_hangzhou", "330100"),
        regulator_beijing=make_regulator("reg_dongcheng", "110101"),
        superuser=make_user(superuser=True),
    )
