"""`seed_demo` writes a year of ledger events and manifests that the platform itself accepts.

The year is seeded once for the module at scale 0.1 (inside a transaction rolled back at the
end), and checked the way the platform reads it: the audit chain verifies, the ledger's own mass
balance closes for every producer (and an independent SQL sum agrees), every manifest's
signatures replay through the state machine to its status, each signature's hash is the hash of
the content it stores and its copy of record is that content, and the seeded problems are there.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q, Sum

from wufei.accounts.models import Membership
from wufei.accounts.viewer import Viewer
from wufei.core.audit import audit_verify
from wufei.core.audit_models import AuditEvent
from wufei.demo.models import DemoDistrict, DemoIncident, DemoWasteProfile
from wufei.domain.demo_year_records import INCIDENT_KINDS
from wufei.domain.hash_chain import content_hash
from wufei.domain.hw_identification import identification_code_parse
from wufei.domain.manifest_flow import Action, Actor, Party, Snapshot, Status, transition
from wufei.domain.manifest_receipt import weight_differs
from wufei.ledger.models import Container, EventKind, LedgerEvent
from wufei.ledger.selectors import mass_balance
from wufei.registry.models import Organisation
from wufei.transfer.content import manifest_content, manifest_load
from wufei.transfer.models import Discrepancy, Manifest, Revision, Signature

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
SCALE = "0.1"


@dataclass(frozen=True)
class Seeded:
    district: DemoDistrict
    output: str


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker) -> Iterator[Seeded]:
    """One seeded year for the module, rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command(
                "seed_demo",
                "--scale",
                SCALE,
                "--seed",
                "2024",
                "--reset",
                "--year-events",
                stdout=out,
            )
            yield Seeded(DemoDistrict.objects.get(), out.getvalue())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def year_bounds(district: DemoDistrict) -> tuple[datetime, datetime]:
    return datetime(district.year, 1, 1, tzinfo=CST), datetime(district.year + 1, 1, 1, tzinfo=CST)


def test_the_command_reports_the_year(seeded):
    assert "ledger and manifests of 2024" in seeded.output
    for word in ("containers", "ledger events", "transfer manifests", "signatures"):
        assert word in seeded.output


def test_the_audit_chain_verifies(seeded):
    assert audit_verify() is None
    out = StringIO()
    call_command("verify_chain", stdout=out)
    assert "intact" in out.getvalue()
    counts = Counter(AuditEvent.objects.values_list("action", flat=True))
    assert counts["ledger.event_recorded"] == LedgerEvent.objects.count()
    assert counts["container.registered"] == Container.objects.count()
    assert counts["manifest.create"] == Manifest.objects.count()
    assert sum(v for k, v in counts.items() if k.startswith("manifest.sign_")) > 0
    signed = Signature.objects.count()
    steps = sum(
        v
        for k, v in counts.items()
        if k.startswith("manifest.") and k.split(".")[1] in {a.value for a in Action}
    )
    assert steps == signed


def test_the_ledger_mass_balance_closes_for_every_producer(seeded):
    start, end = year_bounds(seeded.district)
    admin = Viewer(user_id=0, is_admin=True)
    producers = Organisation.objects.filter(demo__district=seeded.district, is_producer=True)
    checked = 0
    for org in producers.filter(ledger_events__isnull=False).distinct():
        balance = mass_balance(viewer=admin, organisation=org, start=start, end=end)
        assert balance.closes, org.name
        for row in balance.totals:
            assert row.closes
        checked += 1
    assert checked > 40


def test_an_independent_sum_closes_the_balance_per_unit_and_code(seeded):
    """Opening + generated + received = treated + handed over + closing, with stock computed
    in SQL as what each holding event has left (quantity minus what its consumers took)."""
    start, end = year_bounds(seeded.district)

    def stock(before: datetime) -> dict[tuple[int, int], int]:
        held: dict[tuple[int, int], int] = defaultdict(int)
        holding = LedgerEvent.objects.filter(occurred_at__lt=before).exclude(
            kind__in=(EventKind.HAND_OVER, EventKind.TREAT_IN_HOUSE)
        )
        for o, w, q in holding.values_list("organisation", "waste_code").annotate(
            q=Sum("quantity_g")
        ):
            held[o, w] += q
        taken = LedgerEvent.objects.filter(occurred_at__lt=before, source__isnull=False)
        for o, w, q in taken.values_list("organisation", "waste_code").annotate(
            q=Sum("quantity_g")
        ):
            held[o, w] -= q
        return held

    opening, closing = stock(start), stock(end)
    flows: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    period = LedgerEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    for o, w, kind, q in period.values_list("organisation", "waste_code", "kind").annotate(
        q=Sum("quantity_g")
    ):
        flows[o, w][kind] += q
    keys = set(opening) | set(closing) | set(flows)
    assert len(keys) > 100
    for key in keys:
        f = flows[key]
        inflow = opening.get(key, 0) + f["generate"] + f["receive"]
        outflow = f["treat_in_house"] + f["hand_over"] + closing.get(key, 0)
        assert inflow == outflow, key
        assert closing.get(key, 0) >= 0


def test_generated_grams_are_the_profiles_to_the_gram(seeded):
    start, end = year_bounds(seeded.district)
    profiles = DemoWasteProfile.objects.filter(
        district=seeded.district, hazardous_code__isnull=False
    )
    for stream in ("hazardous", "medical"):
        expected = sum((p.annual_t for p in profiles.filter(stream=stream)), Decimal(0)) * 1_000_000
        generated = LedgerEvent.objects.filter(
            kind=EventKind.GENERATE,
            occurred_at__gte=start,
            occurred_at__lt=end,
            organisation__demo_waste_profiles__stream=stream,
            waste_code__in=profiles.filter(stream=stream).values("hazardous_code"),
        ).distinct()
        assert generated.aggregate(g=Sum("quantity_g"))["g"] == expected
    lines = set(profiles.values_list("organisation", "hazardous_code"))
    recorded = set(
        LedgerEvent.objects.filter(kind=EventKind.GENERATE).values_list(
            "organisation", "waste_code"
        )
    )
    assert lines == recorded  # every producer line, and nothing else, was generated


def test_signatures_replay_to_every_status_and_hash_what_they_store(seeded):
    roles = {(m.user_id, m.organisation_id): m.role for m in Membership.objects.all()}
    signatures = defaultdict(list)
    for s in Signature.objects.order_by("signed_at", "id").defer("copy_of_record"):
        signatures[s.manifest_id].append(s)
    for m in Manifest.objects.prefetch_related("carriers"):
        state = Snapshot(Status.DRAFT, carriers_total=len(m.carriers.all()))
        for s in signatures[m.pk]:
            role = roles[s.signer_id, s.organisation_id]
            assert role in ("member", "driver")  # a member of the party that signs
            actor = Actor(Party(s.party), s.carrier_position, is_driver=role == "driver")
            state = transition(state, Action(s.action), actor)
            assert s.content["status"] == state.status.value
            assert s.content["version"] == s.manifest_version
            assert s.content_hash == content_hash(s.content)
        assert (state.status.value, state.return_status.value) == (m.status, m.return_status)


def test_the_last_signature_signed_the_manifest_as_it_stands(seeded):
    manifests = Manifest.objects.order_by("pk")
    sample = list(manifests[::25]) + [
        i.manifest for i in DemoIncident.objects.filter(manifest__isnull=False)
    ]
    for m in sample:
        assert m is not None
        last = m.signatures.order_by("-signed_at", "-id").first()
        assert last is not None
        assert last.content == manifest_content(manifest_load(pk=m.pk)), m.number


def test_copies_of_record_are_pdfs_of_what_was_signed(seeded):
    for s in Signature.objects.select_related("manifest").order_by("id")[::200]:
        pdf = bytes(s.copy_of_record)
        assert hashlib.sha256(pdf).hexdigest() == s.copy_sha256
        text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        assert s.manifest.number in text
        assert s.content_hash in text.replace("\n", "")
        assert s.content["shipper"]["name"] in text.replace("\n", "")


def test_every_received_code_is_covered_by_the_receivers_licence(seeded):
    for m in Manifest.objects.select_related("receiver_permit").prefetch_related(
        "lines__waste_code", "receiver_permit__codes", "receiver_permit__categories"
    ):
        permit = m.receiver_permit
        assert permit is not None, m.number
        codes = {c.pk for c in permit.codes.all()}
        categories = {c.pk for c in permit.categories.all()}
        for line in m.lines.all():
            assert line.waste_code_id in codes or line.waste_code.category_id in categories
        assert permit.valid_from <= m.planned_on <= permit.valid_until


def test_ledger_rows_carry_what_the_standards_ask(seeded):
    for container in Container.objects.all()[:500]:
        parsed = identification_code_parse(container.code)
        assert parsed.generated_on == container.generated_on
        assert parsed.sequence == container.sequence
    hand_overs = LedgerEvent.objects.filter(kind=EventKind.HAND_OVER)
    assert not hand_overs.filter(Q(receiver_type="") | Q(receiver_permit_number="")).exists()
    assert not hand_overs.filter(manifest__isnull=True).exists()
    assert not LedgerEvent.objects.filter(
        kind=EventKind.TREAT_IN_HOUSE, treatment_method__isnull=True
    ).exists()


def test_every_seeded_problem_is_there_and_true(seeded):
    incidents = DemoIncident.objects.filter(district=seeded.district).select_related("manifest")
    assert {i.kind for i in incidents} == set(INCIDENT_KINDS)
    for incident in incidents:
        m = incident.manifest
        if incident.kind == "late_receipt":
            assert m is not None and m.received_late
            assert m.received_at is not None and m.receipt_due_on is not None
            assert m.received_at.astimezone(CST).date() > m.receipt_due_on
        elif incident.kind == "weight_discrepancy":
            assert m is not None and m.has_discrepancy
            assert any(
                weight_differs(line.weight_g, line.received_weight_g or 0, Decimal("0.05"))
                for line in m.lines.all()
            )
            assert Discrepancy.objects.filter(manifest=m, field="quantity").exists()
        elif incident.kind == "overdue_storage":
            event = incident.ledger_event
            assert event is not None and event.kind == EventKind.STORE_IN
            assert event.occurred_at.year == seeded.district.year - 1
            assert not event.consumers.exists()
        elif incident.kind == "refused_returned":
            assert m is not None and (m.status, m.return_status) == ("refused", "returned")
            assert LedgerEvent.objects.filter(
                manifest=m, organisation=m.shipper, kind=EventKind.RECEIVE
            ).exists()
        elif incident.kind == "partial_acceptance":
            assert m is not None and m.status == "treated" and m.return_status == "returned"
        elif incident.kind == "revision":
            assert m is not None and m.version == 2
            revision = Revision.objects.get(manifest=m)
            assert revision.state == "applied" and revision.before != revision.after
            signers = set(m.signatures.values_list("organisation", flat=True))
            assert set(revision.approvals.values_list("organisation", flat=True)) == signers
        elif incident.kind == "cancelled":
            assert m is not None and m.status == "cancelled" and m.picked_up_at is None
