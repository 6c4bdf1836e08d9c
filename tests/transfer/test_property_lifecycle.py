"""Random people try random steps on a manifest, through the services: no illegal state is ever
reached, and the records stay true after every attempt.

Each hypothesis example runs in a savepoint that is rolled back afterwards, on the network the
`net` fixture built once for the test.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db import transaction
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tests.transfer.network import KG, as_, containers_with_stock, draft
from wufei.core.audit import audit_verify
from wufei.core.errors import DomainError
from wufei.domain.manifest_flow import Status
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.transfer import services as s
from wufei.transfer.models import Manifest, Revision, Signature

PEOPLE = ["alice", "reader", "dave", "kate", "carl", "olga", "rita", "nobody", "reg108"]


def people(*lawful: str) -> st.SearchStrategy[str]:
    """Half the time someone who may take the step, else anyone: deep paths get explored."""
    return st.one_of(st.sampled_from(lawful), st.sampled_from(PEOPLE))


ORDER = ["draft", "ready", "in_transit", "arrived", "accepted", "partially_accepted", "refused"]
DECLARED = ("waste_name", "hazard_characteristics", "physical_form", "packaging", "weight_g")


def declared(manifest: Manifest) -> list[tuple[Any, ...]]:
    return [
        tuple(getattr(line, f) for f in DECLARED) for line in manifest.lines.order_by("position")
    ]


class ManifestMachine(RuleBasedStateMachine):
    net: SimpleNamespace

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        net = self.net
        containers = containers_with_stock(net, count=2, grams_each=100 * KG)
        self.manifest = s.manifest_create(
            **as_(net.alice), draft=draft(net, containers=containers, weight_g=150 * KG, carriers=2)
        )
        self.history = ["draft"]
        self.signed_lines: list[tuple[Any, ...]] | None = None
        self.signatures = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    def _fresh(self) -> Manifest:
        return Manifest.objects.get(pk=self.manifest.pk)

    def _attempt(self, person: str, call: Any, *, signs: bool = True) -> bool:
        before = self._fresh()
        before_lines = declared(before)
        try:
            call(**as_(getattr(self.net, person)), manifest=before)
        except DomainError:
            after = self._fresh()
            assert (after.status, after.return_status, after.version) == (
                before.status,
                before.return_status,
                before.version,
            )
            assert declared(after) == before_lines
            assert Signature.objects.filter(manifest=after).count() == self.signatures
            return False
        if signs:
            self.signatures += 1
        assert Signature.objects.filter(manifest=self.manifest).count() == self.signatures
        after = self._fresh()
        event(f"reached {after.status}/{after.return_status}")
        if after.status != self.history[-1]:
            self.history.append(after.status)
        if before.status == "draft" and after.status == "ready":
            self.signed_lines = declared(after)
        return True

    @rule(
        decision=st.sampled_from(["accept", "partial", "refuse"]),
        received_kg=st.integers(min_value=2, max_value=200),
    )
    def advance(self, decision: str, received_kg: int) -> None:
        """The lawful next step by the person whose turn it is, so that deep states are
        reached often; the other rules throw everyone else at every step."""
        m = self._fresh()
        picked = m.carriers.filter(picked_up_at__isnull=False).count()
        if m.status == "draft":
            self.sign_shipper("alice")
        elif m.status == "ready" or (m.status == "in_transit" and picked == 1):
            self.pickup("dave" if picked == 0 else "carl")
        elif m.status == "in_transit":
            self.deliver("carl")
        elif m.status == "arrived":
            line = s.ReceiptLine(
                1,
                received_weight_g=received_kg * KG,
                accepted_weight_g=received_kg * KG // 2 if decision == "partial" else None,
            )
            self._attempt(
                "rita",
                lambda **kw: s.manifest_receive(**kw, decision=decision, lines=[line]),
            )
        elif m.status in ("accepted", "partially_accepted"):
            self.treat("rita", None)
        elif m.return_status == "pending":
            self.start_return("dave")
        elif m.return_status == "in_transit":
            self.confirm_return("alice")

    @rule(person=people("alice"))
    def sign_shipper(self, person: str) -> None:
        self._attempt(person, s.manifest_sign_shipper)

    @rule(person=st.sampled_from(PEOPLE))
    def cancel(self, person: str) -> None:
        self._attempt(person, s.manifest_cancel)

    @rule(person=people("dave", "carl"))
    def pickup(self, person: str) -> None:
        self._attempt(person, s.manifest_sign_pickup)

    @rule(person=people("carl"))
    def deliver(self, person: str) -> None:
        self._attempt(person, s.manifest_sign_delivery)

    @rule(
        person=people("rita"),
        decision=st.sampled_from(["accept", "partial", "refuse"]),
        received_kg=st.integers(min_value=0, max_value=200),
        accepted_kg=st.integers(min_value=0, max_value=200),
    )
    def receive(self, person: str, decision: str, received_kg: int, accepted_kg: int) -> None:
        accepted = accepted_kg * KG if decision == "partial" else None
        line = s.ReceiptLine(1, received_weight_g=received_kg * KG, accepted_weight_g=accepted)

        def call(**kwargs: Any) -> Manifest:
            return s.manifest_receive(**kwargs, decision=decision, lines=[line])

        self._attempt(person, call)

    @rule(
        person=people("rita"),
        treated_kg=st.one_of(st.none(), st.integers(min_value=1, max_value=200)),
    )
    def treat(self, person: str, treated_kg: int | None) -> None:
        line = self.manifest.lines.get()
        line.refresh_from_db()
        grams = treated_kg * KG if treated_kg else (line.accepted_weight_g or 1)

        def call(**kwargs: Any) -> Manifest:
            return s.manifest_record_treatment(
                **kwargs, lines=[s.TreatmentLine(1, self.net.d10, grams)]
            )

        self._attempt(person, call)

    @rule(person=people("dave", "carl"))
    def start_return(self, person: str) -> None:
        self._attempt(person, s.manifest_start_return)

    @rule(person=people("alice"))
    def confirm_return(self, person: str) -> None:
        self._attempt(person, s.manifest_confirm_return)

    @rule(person=people("alice"), kg=st.integers(min_value=1, max_value=200))
    def edit(self, person: str, kg: int) -> None:
        def call(**kwargs: Any) -> Manifest:
            containers = list(self.manifest.lines.get().containers.all())
            return s.manifest_update_draft(
                **kwargs,
                draft=draft(self.net, containers=containers, weight_g=kg * KG, carriers=2),
            )

        self._attempt(person, call, signs=False)

    @rule(person=people("alice", "kate", "rita"), kg=st.integers(min_value=1, max_value=200))
    def request_revision(self, person: str, kg: int) -> None:
        def call(**kwargs: Any) -> Any:
            return s.manifest_revision_request(
                **kwargs, changes={"lines": {"1": {"weight_g": kg * KG}}}, reason="更正"
            )

        self._attempt(person, call, signs=False)
        self._track_revisions()

    @rule(person=people("alice", "kate", "carl", "rita"), approve=st.booleans())
    def decide_revision(self, person: str, approve: bool) -> None:
        revision = Revision.objects.filter(manifest=self.manifest, state="open").first()
        if revision is None:
            return

        def call(*, viewer: Any, actor: Any, manifest: Manifest) -> Any:
            return s.manifest_revision_decide(
                viewer=viewer, actor=actor, revision=revision, approve=approve
            )

        self._attempt(person, call, signs=False)
        self._track_revisions()

    def _track_revisions(self) -> None:
        """An applied revision is the only way a signed manifest's declared content changes."""
        applied = Revision.objects.filter(manifest=self.manifest, state="applied").order_by("pk")
        if self.signed_lines is not None and applied.exists():
            self.signed_lines = declared(self._fresh())

    @invariant()
    def status_is_legal_and_moves_forward(self) -> None:
        manifest = self._fresh()
        assert manifest.status in {s.value for s in Status}
        ranks = [ORDER.index(x) if x in ORDER else 99 for x in self.history]
        if "cancelled" in self.history:
            assert self.history[-1] == "cancelled"
            assert self.history[-2] in ("draft", "ready")
        elif "treated" in self.history:
            assert self.history[-1] == "treated"
        else:
            assert ranks == sorted(ranks)

    @invariant()
    def nothing_signed_is_edited(self) -> None:
        manifest = self._fresh()
        if manifest.status != "draft" and self.signed_lines is not None:
            assert declared(manifest) == self.signed_lines

    @invariant()
    def ledger_matches_the_manifest(self) -> None:
        manifest = self._fresh()
        events = LedgerEvent.objects.filter(manifest=manifest)
        handed = sum(e.quantity_g for e in events if e.kind == EventKind.HAND_OVER)
        if manifest.picked_up_at is None:
            assert handed == 0
        else:
            pickup = Signature.objects.get(
                manifest=manifest, action="sign_pickup", carrier_position=1
            )
            assert handed == sum(line["weight_g"] for line in pickup.content["lines"])
        lines = list(manifest.lines.all())
        received = [line for line in lines if line.received_weight_g is not None]
        for line in received:
            assert line.accepted_weight_g is not None and line.received_weight_g is not None
            assert 0 <= line.accepted_weight_g <= line.received_weight_g
        at_receiver = sum(
            e.quantity_g
            for e in events
            if e.kind == EventKind.RECEIVE and e.organisation_id == manifest.receiver_id
        )
        assert at_receiver == sum(line.accepted_weight_g or 0 for line in received)
        back = sum(
            e.quantity_g
            for e in events
            if e.kind == EventKind.RECEIVE and e.organisation_id == manifest.shipper_id
        )
        refused = sum(
            (line.received_weight_g or 0) - (line.accepted_weight_g or 0) for line in received
        )
        assert back == (refused if manifest.return_status == "returned" else 0)

    @invariant()
    def audit_chain_holds(self) -> None:
        assert audit_verify() is None


def test_random_people_and_steps_never_break_the_manifest(net):
    ManifestMachine.net = net
    run_state_machine_as_test(
        ManifestMachine,
        settings=settings(max_examples=30, stateful_step_count=25, deadline=None),
    )
