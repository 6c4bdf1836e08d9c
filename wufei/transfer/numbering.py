"""Allocating manifest numbers without races (危险废物转移管理办法 第十五条).

A number is year + the shipper's province and city codes + a six-digit running number per city
and year. The running number lives in one `ManifestCounter` row per city and year, locked
(SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction already serialises writers) while it
is incremented, so concurrent creations get distinct, consecutive numbers.

Numbers are allocated when the draft is created, not when the shipper signs: the parties refer
to the document by its number while preparing it (the carrier books the trip, the receiver
plans the intake), and a number never changes once shown. A cancelled document keeps its
number, so a gap in the sequence is always explained by a cancelled, audited manifest.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from wufei.domain.manifest_numbers import city_key, manifest_number_format
from wufei.transfer.models import ManifestCounter

_CREATE_ATTEMPTS = 5


def _locked_counter(*, province: str, city: str, year: int) -> ManifestCounter:
    """The counter row, locked; created on first use, tolerating a concurrent creator."""
    for _attempt in range(_CREATE_ATTEMPTS):
        counter = (
            ManifestCounter.objects.select_for_update()
            .filter(province=province, city=city, year=year)
            .first()
        )
        if counter is not None:
            return counter
        try:
            with transaction.atomic():  # savepoint: a lost creation race rolls back only this
                ManifestCounter.objects.get_or_create(province=province, city=city, year=year)
        except IntegrityError:
            continue  # another transaction created it first; lock theirs
    raise RuntimeError("could not create the manifest counter row")  # pragma: no cover


def manifest_number_allocate(*, region_code: str, year: int) -> str:
    """The next manifest number of the city of `region_code` in `year`.

    Must run inside the transaction that creates the manifest, so that a rolled-back creation
    also gives its number back.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("manifest_number_allocate must run inside transaction.atomic()")
    province, city = city_key(region_code)
    counter = _locked_counter(province=province, city=city, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    number = manifest_number_format(
        year=year, region_code=region_code, sequence=counter.last_sequence
    )
    return str(number)
