"""Each producer's tier derived from its ledger, facilities and licences (HJ 1259-2022 4.2)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from tests.registry import factories as f
from tests.registry.factories import api_client
from wufei.accounts.viewer import viewer_for
from wufei.domain.supervision_tier import Basis, FilingKind, Reason, Tier
from wufei.ledger.models import EventKind, SupervisionBasis
from wufei.ledger.supervision import supervision_list, supervision_of

T = 1_000_000


@pytest.fixture
def w(db):
    return lw.build_world()


def _in_year(year: int) -> datetime:
    return timezone.make_aware(datetime(year, 6, 1, 9))


def test_tiers_follow_quantities_facilities_and_licences(w) -> None:
    last = timezone.localdate().year - 1
    SupervisionBasis.objects.create(organisation=w.other, operating_since=date(last - 5, 1, 1))
    lw.record(
        w,
        EventKind.GENERATE,
        actor=w.bob,
        organisation=w.other,
        facility=w.other_gen,
        quantity_g=20 * T,
        occurred_at=_in_year(last),
    )
    licensed = f.make_org(name="丁回收", is_producer=True)
    f.make_permit(licensed)
    small = f.make_org(name="戊商店", is_producer=True)
    SupervisionBasis.objects.create(
        organisation=small,
        operating_since=timezone.localdate(),
        declared_annual_g=120 * T,
        declared_source="环评批复",
    )
    tiers = {p.organisation: p for p in supervision_list(viewer=viewer_for(w.reg108))}
    assert tiers[w.prod].tier == Tier.KEY
    assert tiers[w.prod].decision.reasons == (Reason.IN_HOUSE_FACILITY,)  # A-KILN
    other = tiers[w.other]
    assert (other.tier, other.decision.annual.grams, other.decision.annual.basis) == (
        Tier.SIMPLIFIED,
        20 * T,
        Basis.LAST_THREE_YEARS,
    )
    assert other.upcoming[0].kind in (FilingKind.QUARTERLY, FilingKind.ANNUAL)
    assert tiers[licensed].decision.reasons == (Reason.OPERATING_LICENCE,)
    assert tiers[small].decision.reasons == (Reason.ANNUAL_100T,)  # declared for its first year
    assert w.west not in tiers and w.plant not in tiers  # another district; not a producer
    assert {
        p.organisation for p in supervision_list(viewer=viewer_for(w.reg108), tier="simplified")
    } == {w.other}


def test_a_producer_sees_its_own_tier_only(w) -> None:
    mine = supervision_list(viewer=viewer_for(w.wendy))
    assert [p.organisation for p in mine] == [w.west]
    assert mine[0].tier == Tier.REGISTERED
    assert mine[0].decision.annual.basis == Basis.PROVISIONAL  # no ledger, nothing declared
    assert [x.kind for x in mine[0].upcoming][:2] == [FilingKind.ANNUAL, FilingKind.MANAGEMENT_PLAN]
    own = supervision_of(viewer=viewer_for(w.wendy), organisation=w.west)
    assert own.tier == Tier.REGISTERED


def test_the_tier_through_the_api(w) -> None:
    lw.record(w, EventKind.GENERATE, quantity_g=3 * T, occurred_at=lw.days_ago(2))
    body = api_client(w.alice).get(f"/api/v1/ledger/organisations/{w.prod.uscc}/supervision").json()
    assert body["tier"] == "key" and body["reasons"] == ["in_house_facility"]
    assert body["yearly_g"] == {str(timezone.localdate(lw.days_ago(2)).year): 3 * T}
    assert body["upcoming"][0]["kind"] in ("monthly", "annual", "management_plan")


def test_a_member_declares_the_basis_and_the_tier_follows(w) -> None:
    from wufei.core.audit_models import AuditEvent

    client = lw.browser(w.wendy)
    url = f"/ledger/{w.west.uscc}/tier/"
    refused = client.post(url, {"declared_t": "150", "operating_since": "2020-01-01"})
    assert refused.status_code == 200  # no document named
    assert not SupervisionBasis.objects.exists()
    today = timezone.localdate().isoformat()
    response = client.post(
        url, {"declared_t": "150.5", "declared_source": "环评批复", "operating_since": today}
    )
    assert response.status_code == 302
    basis = SupervisionBasis.objects.get(organisation=w.west)
    assert basis.declared_annual_g == 150_500_000
    assert supervision_of(viewer=viewer_for(w.wendy), organisation=w.west).tier == Tier.KEY
    assert AuditEvent.objects.filter(action="ledger.supervision_basis_updated").count() == 1
    assert lw.browser(w.reg106).post(url, {"declared_t": "1"}).status_code == 404
    assert b"basis-form" not in lw.browser(w.reg106).get(url).content  # regulators only read
