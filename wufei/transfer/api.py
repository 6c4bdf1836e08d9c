"""Transfer endpoints: /api/v1/manifests/… and /api/v1/cross-province-approvals/….

Thin: parse, resolve references within what the caller may see, call a service or selector,
answer. A manifest the caller may not see answers 404 on every endpoint, exactly like one that
does not exist. Each step is one POST; a refused step answers {code, message, field} (and, for
the shipper's validation, `errors`: every rule not met). (No `from __future__ import
annotations`: django-ninja reads the annotations at runtime.)
"""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.api.pagination import PageNumber
from wufei.core.errors import ValidationFailed
from wufei.transfer import references as ref
from wufei.transfer import selectors
from wufei.transfer import services as s
from wufei.transfer.models import Manifest, Signature
from wufei.transfer.presenters import approval_out, manifest_detail
from wufei.transfer.schemas import (
    ApprovalIn,
    ApprovalOut,
    CancelIn,
    DecisionIn,
    ManifestIn,
    ManifestOut,
    ManifestSummaryOut,
    ReceiveIn,
    RevisionIn,
    RevisionOut,
    TreatmentIn,
)

router = Router()
manifests = Router(tags=["manifests"])
approvals = Router(tags=["cross-province approvals"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the global auth guarantees a signed-in user
    return request.user


def _who(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    return {"viewer": viewer_for(user), "actor": user}


def _copy_url(signature: Signature) -> str:
    return reverse(
        "api-v1:manifest_copy_of_record",
        kwargs={"number": signature.manifest.number, "signature_id": signature.pk},
    )


def _detail(viewer: Viewer, manifest: Manifest) -> dict[str, Any]:
    return manifest_detail(manifest, viewer=viewer, copy_url=_copy_url)


def _draft(viewer: Viewer, payload: ManifestIn) -> s.DraftInput:
    shipper = ref.own_organisation(viewer=viewer, uscc=payload.shipper_uscc, field="shipper_uscc")
    receiver = ref.visible_organisation(
        viewer=viewer, uscc=payload.receiver_uscc, field="receiver_uscc"
    )
    lines = [
        s.LineInput(
            waste_code=ref.waste_code_on(
                code=line.waste_code, day=payload.planned_on, field=f"lines.{n}.waste_code"
            ),
            waste_name=line.waste_name,
            physical_form=line.physical_form,
            packaging=line.packaging,
            weight_g=line.weight_g,
            containers=ref.containers_of(
                organisation=shipper, codes=line.containers, field=f"lines.{n}.containers"
            ),
            container_count=line.container_count,
            hazard_characteristics=line.hazard_characteristics,
        )
        for n, line in enumerate(payload.lines, start=1)
    ]
    carriers = []
    for n, leg in enumerate(payload.carriers, start=1):
        carrier = ref.visible_organisation(
            viewer=viewer, uscc=leg.carrier_uscc, field=f"carriers.{n}.carrier_uscc"
        )
        carriers.append(
            s.CarrierInput(
                carrier=carrier,
                vehicle=ref.vehicle_of(
                    organisation=carrier, plate=leg.vehicle_plate, field=f"carriers.{n}.vehicle"
                ),
                licence=ref.permit_of(
                    organisation=carrier,
                    number=leg.licence_number,
                    field=f"carriers.{n}.licence_number",
                ),
                origin=leg.origin,
                destination=leg.destination,
            )
        )
    return s.DraftInput(
        shipper_facility=ref.facility_of(
            viewer=viewer,
            organisation=shipper,
            code=payload.shipper_facility,
            field="shipper_facility",
        ),
        receiver_facility=ref.facility_of(
            viewer=viewer,
            organisation=receiver,
            code=payload.receiver_facility,
            field="receiver_facility",
        ),
        receiver_permit=(
            ref.permit_of(
                organisation=receiver, number=payload.receiver_permit, field="receiver_permit"
            )
            if payload.receiver_permit
            else None
        ),
        approval=(
            ref.approval_visible(viewer=viewer, number=payload.approval, field="approval")
            if payload.approval
            else None
        ),
        planned_on=payload.planned_on,
        emergency_measures=payload.emergency_measures,
        lines=lines,
        carriers=carriers,
    )


class ManifestFilters(Schema):
    status: str = ""
    role: str = ""
    planned_from: str = ""
    planned_to: str = ""
    to_sign: bool = False
    overdue: bool = False
    search: str = ""


@manifests.post("", response={201: ManifestOut}, summary="Create a draft manifest")
def create_manifest(request: HttpRequest, payload: ManifestIn) -> Status[dict[str, Any]]:
    who = _who(request)
    manifest = s.manifest_create(
        **who, draft=_draft(who["viewer"], payload), doc_type=payload.doc_type
    )
    return Status(201, _detail(who["viewer"], manifest))


@manifests.get("", response=list[ManifestSummaryOut], summary="Manifests visible to the caller")
@paginate(PageNumber)
def list_manifests(request: HttpRequest, filters: Query[ManifestFilters]) -> QuerySet[Manifest]:
    viewer = viewer_for(_user(request))
    qs = (
        selectors.manifest_overdue_receipts(viewer=viewer)
        if filters.overdue
        else selectors.manifest_list_visible(viewer=viewer)
    )
    parse = {"planned_from": filters.planned_from, "planned_to": filters.planned_to}
    dates = {}
    for name, value in parse.items():
        try:
            dates[name] = date.fromisoformat(value) if value else None
        except ValueError:
            raise ValidationFailed(
                _("Enter a date as YYYY-MM-DD."), code="invalid_date", field=name
            ) from None
    narrowed = selectors.manifest_list_visible(
        viewer=viewer,
        status=filters.status,
        role=filters.role,
        to_sign=filters.to_sign,
        search=filters.search,
        **dates,
    )
    return qs.filter(pk__in=narrowed.values("pk"))


@manifests.get("/{number}", response=ManifestOut, summary="One manifest in full")
def get_manifest(request: HttpRequest, number: str) -> dict[str, Any]:
    viewer = viewer_for(_user(request))
    return _detail(viewer, selectors.manifest_get_visible(viewer=viewer, number=number))


@manifests.put("/{number}", response=ManifestOut, summary="Replace a draft's content")
def update_manifest(request: HttpRequest, number: str, payload: ManifestIn) -> dict[str, Any]:
    who = _who(request)
    manifest = selectors.manifest_get_visible(viewer=who["viewer"], number=number)
    updated = s.manifest_update_draft(
        **who, manifest=manifest, draft=_draft(who["viewer"], payload)
    )
    return _detail(who["viewer"], updated)


def _step(request: HttpRequest, number: str, service: Any, **kwargs: Any) -> dict[str, Any]:
    who = _who(request)
    manifest = selectors.manifest_get_visible(viewer=who["viewer"], number=number)
    return _detail(who["viewer"], service(**who, manifest=manifest, **kwargs))


@manifests.post("/{number}/sign-shipper", response=ManifestOut, summary="Shipper signs")
def sign_shipper(request: HttpRequest, number: str) -> dict[str, Any]:
    return _step(request, number, s.manifest_sign_shipper)


@manifests.post("/{number}/cancel", response=ManifestOut, summary="Cancel before pick-up")
def cancel(request: HttpRequest, number: str, payload: CancelIn) -> dict[str, Any]:
    return _step(request, number, s.manifest_cancel, reason=payload.reason)


@manifests.post("/{number}/pickup", response=ManifestOut, summary="A carrier signs the pick-up")
def pickup(request: HttpRequest, number: str) -> dict[str, Any]:
    return _step(request, number, s.manifest_sign_pickup)


@manifests.post("/{number}/deliver", response=ManifestOut, summary="The last carrier delivers")
def deliver(request: HttpRequest, number: str) -> dict[str, Any]:
    return _step(request, number, s.manifest_sign_delivery)


@manifests.post("/{number}/receive", response=ManifestOut, summary="The receiver decides")
def receive(request: HttpRequest, number: str, payload: ReceiveIn) -> dict[str, Any]:
    lines = [s.ReceiptLine(**line.model_dump()) for line in payload.lines]
    return _step(request, number, s.manifest_receive, decision=payload.decision, lines=lines)


@manifests.post("/{number}/treatment", response=ManifestOut, summary="Record the treatment")
def treatment(request: HttpRequest, number: str, payload: TreatmentIn) -> dict[str, Any]:
    lines = [
        s.TreatmentLine(
            position=line.position,
            treatment_method=ref.treatment_method(
                code=line.treatment_method, field=f"lines.{line.position}.treatment_method"
            ),
            treated_weight_g=line.treated_weight_g,
        )
        for line in payload.lines
    ]
    return _step(request, number, s.manifest_record_treatment, lines=lines)


@manifests.post("/{number}/start-return", response=ManifestOut, summary="Take refused waste back")
def start_return(request: HttpRequest, number: str) -> dict[str, Any]:
    return _step(request, number, s.manifest_start_return)


@manifests.post("/{number}/confirm-return", response=ManifestOut, summary="Shipper confirms return")
def confirm_return(request: HttpRequest, number: str) -> dict[str, Any]:
    return _step(request, number, s.manifest_confirm_return)


def _revision_out(viewer: Viewer, manifest: Manifest, revision_id: int) -> dict[str, Any]:
    detail = _detail(viewer, manifest)
    return next(r for r in detail["revisions"] if r["id"] == revision_id)


@manifests.post("/{number}/revisions", response={201: RevisionOut}, summary="Request a correction")
def request_revision(
    request: HttpRequest, number: str, payload: RevisionIn
) -> Status[dict[str, Any]]:
    who = _who(request)
    manifest = selectors.manifest_get_visible(viewer=who["viewer"], number=number)
    revision = s.manifest_revision_request(
        **who, manifest=manifest, changes=payload.changes, reason=payload.reason
    )
    return Status(201, _revision_out(who["viewer"], manifest, revision.pk))


@manifests.post(
    "/{number}/revisions/{revision_id}/decision",
    response=RevisionOut,
    summary="Approve or reject a correction",
)
def decide_revision(
    request: HttpRequest, number: str, revision_id: int, payload: DecisionIn
) -> dict[str, Any]:
    who = _who(request)
    revision = selectors.revision_get_visible(viewer=who["viewer"], number=number, pk=revision_id)
    s.manifest_revision_decide(**who, revision=revision, approve=payload.approve)
    return _revision_out(who["viewer"], revision.manifest, revision.pk)


@manifests.get(
    "/{number}/signatures/{signature_id}/copy.pdf",
    response={200: None},
    url_name="manifest_copy_of_record",
    summary="The PDF copy of record of one signature",
)
def copy_of_record(request: HttpRequest, number: str, signature_id: int) -> HttpResponse:
    viewer = viewer_for(_user(request))
    signature = selectors.signature_get_visible(viewer=viewer, number=number, pk=signature_id)
    response = HttpResponse(bytes(signature.copy_of_record), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{number}-{signature.pk}-{signature.action}.pdf"'
    )
    response["X-Content-SHA256"] = signature.copy_sha256
    return response


@approvals.post("", response={201: ApprovalOut}, summary="Record a cross-province approval")
def create_approval(request: HttpRequest, payload: ApprovalIn) -> Status[dict[str, Any]]:
    who = _who(request)
    viewer = who["viewer"]
    approval = s.cross_province_approval_create(
        **who,
        number=payload.number,
        shipper=ref.visible_organisation(
            viewer=viewer, uscc=payload.shipper_uscc, field="shipper_uscc"
        ),
        receiver=ref.service_provider(uscc=payload.receiver_uscc, field="receiver_uscc"),
        issued_by=payload.issued_by,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        items=[
            s.ApprovalItemInput(
                waste_code=ref.waste_code_on(
                    code=item.waste_code, day=payload.valid_from, field=f"items.{n}.waste_code"
                ),
                approved_g=item.approved_g,
                treatment_method=(
                    ref.treatment_method(code=item.treatment_method, field=f"items.{n}")
                    if item.treatment_method
                    else None
                ),
            )
            for n, item in enumerate(payload.items, start=1)
        ],
    )
    return Status(201, approval_out(approval))


@approvals.get("", response=list[ApprovalOut], summary="Approvals visible to the caller")
@paginate(PageNumber)
def list_approvals(request: HttpRequest) -> list[dict[str, Any]]:
    viewer = viewer_for(_user(request))
    return [approval_out(a) for a in selectors.approval_list_visible(viewer=viewer)]


router.add_router("/manifests/", manifests)
router.add_router("/cross-province-approvals/", approvals)
