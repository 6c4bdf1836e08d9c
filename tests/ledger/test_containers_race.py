"""Concurrent registrations for the same unit, code and day get distinct, gapless sequences."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from tests.core.sqlite_locks import retry_when_table_locked
from tests.registry import factories as f
from wufei.catalog.models import CatalogEdition, HazardousCode
from wufei.core.audit import audit_verify
from wufei.ledger.containers import container_register, container_register_batch
from wufei.ledger.models import Container
from wufei.registry.regions import region_load_shipped

WRITERS = 6
EACH = 3


def _catalog_code() -> HazardousCode:
    """A transactional test may run after another flushed the catalogs: make sure of one code."""
    edition, _ = CatalogEdition.objects.get_or_create(
        year=2021,
        defaults={"title": "国家危险废物名录（2021年版）", "effective_from": date(2021, 1, 1)},
    )
    category, _ = edition.categories.get_or_create(
        code="HW08", defaults={"name": "废矿物油与含矿物油废物"}
    )
    code, _ = HazardousCode.objects.get_or_create(
        edition=edition,
        code="900-249-08",
        defaults={
            "category": category,
            "industry_source": "非特定行业",
            "description": "废矿物油",
            "hazard_characteristics": "T,I",
        },
    )
    return code


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_consecutive_sequences():
    region_load_shipped()
    code = _catalog_code()
    producer = f.make_org(is_producer=True)
    users = [f.make_user() for _ in range(WRITERS)]
    for user in users:
        f.make_member(user, producer)
    day = date.today()
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            barrier.wait()
            for n in range(EACH):
                if n == 1:
                    retry_when_table_locked(
                        lambda: container_register_batch(
                            actor=users[index],
                            organisation=producer,
                            waste_code=code,
                            container_type="桶",
                            volume_l=Decimal("20"),
                            generated_on=day,
                            count=2,
                        )
                    )
                else:
                    retry_when_table_locked(
                        lambda: container_register(
                            actor=users[index],
                            organisation=producer,
                            waste_code=code,
                            container_type="桶",
                            volume_l=Decimal("20"),
                            generated_on=day,
                        )
                    )
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = WRITERS * (EACH + 1)
    sequences = sorted(
        Container.objects.filter(organisation=producer).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, total + 1))
    codes = set(Container.objects.values_list("code", flat=True))
    assert len(codes) == total
    assert audit_verify() is None
