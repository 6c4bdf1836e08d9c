"""Registering containers: the HJ 1276 code, consecutive sequences, permissions, audit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.ledger.labels_world import build_world
from wufei.catalog.models import CatalogEdition, HazardousCode
from wufei.core.audit import audit_verify
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import NotPermitted, ValidationFailed
from wufei.domain.hw_identification import identification_code_parse
from wufei.ledger.containers import (
    container_label_printed,
    container_register,
    container_register_batch,
)
from wufei.ledger.models import Container


@pytest.fixture
def world(db):
    return build_world()


def register(w, *, actor=None, day=None, code=None, count=1, volume="200", **kw):
    return container_register_batch(
        actor=actor or w.alice,
        organisation=kw.pop("organisation", w.producer),
        waste_code=code or w.oil,
        container_type=kw.pop("container_type", "铁桶"),
        volume_l=Decimal(volume),
        generated_on=day or w.today,
        count=count,
        **kw,
    )


def test_the_code_is_built_from_unit_waste_code_date_and_sequence(world):
    drum = world.drum
    assert drum.code == f"{world.producer.uscc}90024908{world.today:%Y%m%d}001"
    assert identification_code_parse(drum.code).sequence == drum.sequence == 1
    assert drum.internal_code == "T-07"
    assert drum.volume_l == Decimal("200.0")


def test_sequences_run_per_unit_waste_code_and_day(world):
    more = register(world, count=3)
    assert [c.sequence for c in more] == [2, 3, 4]
    assert [c.code[-3:] for c in more] == ["002", "003", "004"]
    yesterday = register(world, day=world.today - timedelta(days=1))
    assert yesterday[0].sequence == 1
    other_code = HazardousCode.objects.get(edition=world.oil.edition, code="900-041-49")
    assert register(world, code=other_code)[0].sequence == 1
    f_other = register(world, actor=world.bob, organisation=world.other)
    assert f_other[0].sequence == 1
    assert f_other[0].code.startswith(world.other.uscc)


def test_every_container_is_audited_in_the_chain(world):
    batch = register(world, count=2)
    events = AuditEvent.objects.filter(action="container.registered")
    assert sorted(events.values_list("subject_id", flat=True)) == sorted(
        [world.drum.code, *(c.code for c in batch)]
    )
    event = events.get(subject_id=batch[1].code)
    assert event.actor_id == world.alice.pk
    assert event.organisation_id == world.producer.pk
    assert event.payload["sequence"] == 3
    assert audit_verify() is None


@pytest.mark.parametrize("who", ["bob", "reader", "kate", "reg108", "nobody"])
def test_only_those_who_act_for_the_unit_register_its_containers(world, who):
    before = Container.objects.count()
    with pytest.raises(NotPermitted):
        register(world, actor=getattr(world, who))
    assert Container.objects.count() == before


def test_a_platform_administrator_may_register(world):
    assert register(world, actor=world.admin)[0].sequence == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"volume": "0"}, "volume_l"),
        ({"volume": "-5"}, "volume_l"),
        ({"container_type": "  "}, "container_type"),
        ({"count": 0}, "count"),
        ({"count": 201}, "count"),
        ({"internal_codes": ["a", "b"]}, "internal_code"),
    ],
)
def test_invalid_registrations_change_nothing(world, kwargs, field):
    before = Container.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        register(world, **kwargs)
    assert refused.value.field == field
    assert Container.objects.count() == before


def test_a_future_generation_date_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        register(world, day=date.today() + timedelta(days=1))
    assert refused.value.code == "date_in_future"


def test_a_code_of_a_list_not_in_force_on_the_generation_date_is_refused(world):
    later = CatalogEdition.objects.create(
        year=2030, title="国家危险废物名录（2030年版）", effective_from=date(2030, 1, 1)
    )
    category = later.categories.create(code="HW08", name="废矿物油与含矿物油废物")
    future_code = HazardousCode.objects.create(
        edition=later,
        category=category,
        code="900-249-08",
        industry_source="非特定行业",
        description="—",
        hazard_characteristics="T,I",
    )
    with pytest.raises(ValidationFailed) as refused:
        register(world, code=future_code, day=date(2023, 5, 1))  # the 2021 list was in force
    assert refused.value.code == "code_not_in_force"
    assert "2030" in refused.value.message


def test_the_sequence_segment_ends_at_999(world):
    last = register(world, day=world.today - timedelta(days=2))[0]
    Container.objects.filter(pk=last.pk).update(sequence=998)
    assert register(world, day=last.generated_on)[0].code.endswith("999")
    with pytest.raises(ValidationFailed) as refused:
        register(world, day=last.generated_on)
    assert refused.value.code == "sequence_exhausted"
    assert "HJ 1276-2022" in refused.value.message


def test_the_single_register_function_matches_the_interface(world):
    c = container_register(
        actor=world.alice,
        organisation=world.producer,
        waste_code=world.oil,
        container_type="吨袋",
        volume_l=Decimal("1000"),
        generated_on=world.today,
    )
    assert (c.sequence, c.internal_code, c.container_type) == (2, "", "吨袋")


def test_printing_is_recorded_once(world):
    assert container_label_printed(actor=world.alice, containers=[world.drum]) == 1
    world.drum.refresh_from_db()
    first = world.drum.label_printed_at
    assert first is not None
    assert container_label_printed(actor=world.alice, containers=[world.drum]) == 0
    world.drum.refresh_from_db()
    assert world.drum.label_printed_at == first
    assert AuditEvent.objects.filter(action="container.label_printed").count() == 1


def test_printing_needs_someone_who_acts_for_the_unit(world):
    with pytest.raises(NotPermitted):
        container_label_printed(actor=world.reader, containers=[world.drum])
