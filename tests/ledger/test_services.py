"""Recording single ledger events: every HJ 1259 rule of `wufei.ledger.rules`, batch codes,
audit and who may write."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from tests.registry import factories as f
from wufei.catalog.models import CatalogEdition, HazardousCategory, HazardousCode
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import Conflict, NotPermitted, ValidationFailed
from wufei.ledger.models import Container, EventKind, LedgerEvent
from wufei.ledger.selectors import event_remaining_g

KG = lw.KG
G, SI, SO, TR, HO = (
    EventKind.GENERATE,
    EventKind.STORE_IN,
    EventKind.STORE_OUT,
    EventKind.TREAT_IN_HOUSE,
    EventKind.HAND_OVER,
)


@pytest.fixture
def w(db):
    return lw.build_world()


def refused(code: str):
    """pytest.raises for a ValidationFailed with this code."""

    class _Check:
        def __enter__(self):
            self.ctx = pytest.raises(ValidationFailed)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            result = self.ctx.__exit__(*exc)
            assert self.info.value.code == code, self.info.value.message
            return result

    return _Check()


def chain(w, grams=100 * KG):
    """Generation → store-in of all of it, ten and nine days ago."""
    gen = lw.record(w, G, quantity_g=grams, occurred_at=lw.days_ago(10))
    stored = lw.record(w, SI, source=gen, quantity_g=grams, occurred_at=lw.days_ago(9))
    return gen, stored


def test_a_batch_goes_through_every_step_with_codes_per_appendix_b(w) -> None:
    gen, stored = chain(w)
    out = lw.record(w, SO, source=stored, quantity_g=60 * KG, occurred_at=lw.days_ago(8))
    burnt = lw.record(w, TR, source=out, quantity_g=20 * KG, occurred_at=lw.days_ago(7))
    handed = lw.record(
        w, HO, source=out, quantity_g=40 * KG, occurred_at=lw.days_ago(7), treatment_method=w.r2
    )
    day = lambda e: timezone.localtime(e.occurred_at).strftime("%Y%m%d")  # noqa: E731
    assert gen.batch_code == f"HWCS{day(gen)}001"
    assert stored.batch_code == f"HWRK{day(stored)}001"
    assert out.batch_code == f"HWCK{day(out)}001"
    assert burnt.batch_code == f"HWZXCZ{day(burnt)}001"  # D10 is disposal
    assert handed.batch_code == f"HWWWLY{day(handed)}001"  # R2 is utilisation
    assert handed.receiver == w.plant
    assert handed.receiver_type == "危险废物经营许可证持有单位"
    assert handed.receiver_permit_number == w.permit.number
    assert event_remaining_g(stored) == 40 * KG
    assert event_remaining_g(out) == 0
    assert event_remaining_g(handed) == 0  # a hand-over holds nothing


def test_running_numbers_count_per_prefix_and_day(w) -> None:
    first = lw.record(w, G, occurred_at=lw.days_ago(3))
    second = lw.record(w, G, occurred_at=lw.days_ago(3, hour=15))
    other_day = lw.record(w, G, occurred_at=lw.days_ago(2))
    assert first.batch_code.endswith("001") and second.batch_code.endswith("002")
    assert other_day.batch_code.endswith("001")
    other_unit = lw.record(
        w, G, actor=w.bob, organisation=w.other, facility=w.other_gen, occurred_at=lw.days_ago(3)
    )
    assert other_unit.batch_code == first.batch_code  # unique per unit, not globally


def test_a_typed_batch_code_is_kept_and_never_reused(w) -> None:
    typed = lw.record(w, G, batch_code="HWCS20990101001", occurred_at=lw.days_ago(1))
    assert typed.batch_code == "HWCS20990101001"
    with pytest.raises(Conflict):
        lw.record(w, G, batch_code="HWCS20990101001")
    day = timezone.localtime(lw.days_ago(4)).strftime("%Y%m%d")
    lw.record(w, G, batch_code=f"HWCS{day}001", occurred_at=lw.days_ago(4))
    allocated = lw.record(w, G, occurred_at=lw.days_ago(4))
    assert allocated.batch_code == f"HWCS{day}002"  # the typed 001 is skipped


def test_each_record_is_audited(w) -> None:
    gen = lw.record(w, G)
    entry = AuditEvent.objects.get(subject_type="ledger_event", subject_id=str(gen.pk))
    assert entry.action == "ledger.event_recorded"
    assert entry.actor == w.alice and entry.organisation == w.prod
    assert entry.payload["batch_code"] == gen.batch_code
    assert entry.payload["quantity_g"] == 100 * KG


def test_only_members_who_act_for_the_unit_record(w) -> None:
    for outsider in (w.reader, w.bob, w.reg108, w.nobody):
        with pytest.raises(NotPermitted):
            lw.record(w, G, actor=outsider)
    assert not LedgerEvent.objects.exists()
    assert lw.record(w, G, actor=None).recorded_by is None  # the system (e.g. the demo)


# --- the named rules --------------------------------------------------------------------------


def test_rule_required_fields(w) -> None:
    gen = lw.record(w, G)
    with refused("required"):
        lw.record(w, SI, source=None)
    with refused("required"):
        lw.record(w, G, handled_by="  ")
    with refused("required"):
        lw.record(w, TR, source=gen, treatment_method=None)
    with refused("receiver_type_unknown"):
        lw.record(w, HO, source=gen, receiver=None, destination="某公司", receiver_type="朋友")
    with refused("receiver_permit_missing"):
        lw.record(
            w,
            HO,
            source=gen,
            receiver=None,
            destination="某公司",
            receiver_type="危险废物经营许可证持有单位",
        )
    exempt = lw.record(
        w,
        HO,
        source=gen,
        receiver=None,
        quantity_g=1 * KG,
        destination="某水泥厂",
        receiver_type="危险废物利用处置环节豁免管理单位",
        facility=w.gen,
    )
    assert exempt.receiver_permit_number == ""


def test_rule_source_kind_allowed(w) -> None:
    gen = lw.record(w, G)
    with refused("source_kind_not_allowed"):
        lw.record(w, SO, source=gen)  # B.3 names its 入库批次编码
    with refused("source_kind_not_allowed"):
        lw.record(w, G, source=gen)


def test_rule_source_is_of_the_same_unit_waste_and_earlier(w) -> None:
    gen = lw.record(w, G, occurred_at=lw.days_ago(5))
    theirs = lw.record(
        w, G, actor=w.bob, organisation=w.other, facility=w.other_gen, occurred_at=lw.days_ago(5)
    )
    with refused("source_other_organisation"):
        lw.record(w, SI, source=theirs)
    with refused("source_other_waste_code"):
        lw.record(w, SI, source=gen, waste_code=w.rags)
    with refused("before_source"):
        lw.record(w, SI, source=gen, occurred_at=lw.days_ago(6))


def test_rule_store_out_cannot_exceed_the_stock_of_its_batch(w) -> None:
    _gen, stored = chain(w, grams=100 * KG)
    lw.record(w, SO, source=stored, quantity_g=70 * KG, occurred_at=lw.days_ago(8))
    with refused("exceeds_stock") as exc:
        lw.record(w, SO, source=stored, quantity_g=30 * KG + 1, occurred_at=lw.days_ago(8))
    message = exc.value.message  # names what is asked, what is left and the batch
    assert "30.001" in message and " 30 " in message and stored.batch_code in message
    assert lw.record(w, SO, source=stored, quantity_g=30 * KG, occurred_at=lw.days_ago(8))


def test_rule_store_out_stays_at_the_store_of_its_batch(w) -> None:
    _gen, stored = chain(w)
    other_store = f.make_facility(w.prod, kind="storage", code="A-STORE-2")
    with refused("source_other_facility"):
        lw.record(w, SO, source=stored, facility=other_store, occurred_at=lw.days_ago(8))


def test_rule_quantity_positive_and_plausible(w) -> None:
    with refused("quantity_not_positive"):
        lw.record(w, G, quantity_g=0)
    with refused("quantity_not_positive"):
        lw.record(w, G, quantity_g=-5)
    with refused("quantity_implausible"):
        lw.record(w, G, quantity_g=10_000 * 1_000_000 + 1)
    assert lw.record(w, G, quantity_g=10_000 * 1_000_000)


def test_rule_time_not_in_the_future(w) -> None:
    with refused("time_in_future"):
        lw.record(w, G, occurred_at=timezone.now() + timedelta(minutes=5))


def test_rule_facility_is_the_units_and_fits_the_step(w) -> None:
    with refused("facility_not_of_organisation"):
        lw.record(w, G, facility=w.other_gen)
    with refused("facility_kind_mismatch"):
        lw.record(w, G, facility=w.store)  # generation is recorded at the generating site
    gen = lw.record(w, G)
    with refused("facility_kind_mismatch"):
        lw.record(w, SI, source=gen, facility=w.gen)  # store-in at a storage facility
    with refused("facility_kind_mismatch"):
        lw.record(w, TR, source=gen, facility=w.store)


def test_rule_code_of_the_edition_in_force(w) -> None:
    old = CatalogEdition.objects.create(
        year=2016,
        title="国家危险废物名录（2016年版）",
        effective_from=date(2016, 8, 1),
        effective_until=date(2020, 12, 31),
    )
    category = HazardousCategory.objects.create(edition=old, code="HW08", name="废矿物油")
    old_oil = HazardousCode.objects.create(
        edition=old,
        category=category,
        code="900-249-08",
        industry_source="非特定行业",
        description="2016",
        hazard_characteristics="T,I",
    )
    with refused("code_not_in_force"):
        lw.record(w, G, waste_code=old_oil)
    long_ago = timezone.make_aware(datetime(2019, 5, 6, 9))
    with refused("code_not_in_force"):
        lw.record(w, G, waste_code=w.oil, occurred_at=long_ago)
    assert lw.record(w, G, waste_code=old_oil, occurred_at=long_ago).waste_code == old_oil


def test_rule_finished_after_start(w) -> None:
    gen = lw.record(w, G, occurred_at=lw.days_ago(5))
    with refused("finished_before_start"):
        lw.record(w, TR, source=gen, occurred_at=lw.days_ago(4), finished_at=lw.days_ago(5))


def test_unknown_columns_are_refused(w) -> None:
    with refused("unknown_field"):
        lw.record(w, G, colour="red")


# --- containers -------------------------------------------------------------------------------


def _container(w, code="C-1", waste=None):
    return Container.objects.create(
        organisation=w.prod,
        code=code,
        waste_code=waste or w.oil,
        generated_on=timezone.localdate(),
        sequence=1 if code == "C-1" else 2,
        container_type="铁桶",
        volume_l=Decimal("200.0"),
    )


def test_a_hand_over_from_a_store_records_the_store_out_it_implies(w) -> None:
    drum = _container(w)
    gen = lw.record(w, G, container=drum, occurred_at=lw.days_ago(10))
    stored = lw.record(w, SI, source=gen, container=drum, occurred_at=lw.days_ago(9))
    handed = lw.record(w, HO, source=stored, container=drum, occurred_at=lw.days_ago(2))
    out = handed.source
    assert out is not None
    assert out.kind == SO and out.source == stored and out.facility == w.store
    assert out.quantity_g == handed.quantity_g and out.container == drum
    assert handed.container_code == drum.code and handed.container_type == "铁桶"
    assert event_remaining_g(stored) == 0
    assert AuditEvent.objects.filter(subject_id__in=[str(out.pk), str(handed.pk)]).count() == 2


def test_a_container_holds_its_own_waste_only(w) -> None:
    drum = _container(w, waste=w.rags)
    with refused("container_mismatch"):
        lw.record(w, G, container=drum)
