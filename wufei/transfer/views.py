"""Manifest pages: the list, the shipper's form, the detail with its history, and the
phone-friendly signing page. Thin: parse, call a selector or service, render. A manifest the
viewer may not see is a 404; a refused step shows the service's message (naming its rule)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.core.errors import DomainError, NotFound
from wufei.domain.manifest_revision import content_differences
from wufei.transfer import selectors
from wufei.transfer import services as s
from wufei.transfer.actors import signed_organisation_ids
from wufei.transfer.checks import ManifestInvalid
from wufei.transfer.forms import CarrierFormSet, HeaderForm, LineFormSet, RevisionForm
from wufei.transfer.labels import status_label, step_label
from wufei.transfer.models import (
    STATUS_CHOICES,
    Manifest,
    Revision,
    RevisionApproval,
    Signature,
)
from wufei.transfer.presenters import manifest_detail
from wufei.transfer.signing import SIGNING_STEPS, step_run

PAGE_SIZE = 50


_viewer = viewer_of_request


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _manifest(viewer: Viewer, number: str) -> Manifest:
    try:
        return selectors.manifest_get_visible(viewer=viewer, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _tabs(viewer: Viewer) -> list[tuple[str, str]]:
    tabs = []
    if viewer.memberships:
        tabs.append(("to_sign", _("Waiting for me")))
    tabs.append(("all", _("All")))
    if viewer.is_regulator or viewer.is_admin:
        tabs.append(("overdue", _("Receipt overdue or late")))
    return tabs


@login_required
def manifest_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    tabs = _tabs(viewer)
    tab = request.GET.get("tab", "")
    if tab not in dict(tabs):
        tab = tabs[0][0]
    status = request.GET.get("status", "")
    status = status if status in dict(STATUS_CHOICES) else ""
    role = request.GET.get("role", "")
    role = role if role in selectors.ROLES else ""
    query = request.GET.get("q", "").strip()
    if tab == "overdue":
        qs = selectors.manifest_overdue_receipts(viewer=viewer)
    else:
        qs = selectors.manifest_list_visible(
            viewer=viewer, status=status, role=role, search=query, to_sign=tab == "to_sign"
        )
    qs = qs.annotate(total_g=Sum("lines__weight_g"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "transfer/manifest_list.html",
        {
            "page": page,
            "tabs": tabs,
            "tab": tab,
            "statuses": STATUS_CHOICES,
            "filters": {"status": status, "role": role, "q": query},
            "querystring": params.urlencode(),
            "can_create": any(viewer.can_act_for(pk) for pk in viewer.organisation_ids),
        },
    )


def _draft(header: HeaderForm, lines: Any, carriers: Any) -> s.DraftInput:
    from wufei.transfer.references import waste_code_on

    data = header.cleaned_data
    return s.DraftInput(
        shipper_facility=data["shipper_facility"],
        receiver_facility=data["receiver_facility"],
        receiver_permit=data["receiver_permit"],
        planned_on=data["planned_on"],
        emergency_measures=data["emergency_measures"],
        lines=[
            s.LineInput(
                waste_code=waste_code_on(
                    code=form.cleaned_data["waste_code"],
                    day=data["planned_on"],
                    field=f"lines.{n}.waste_code",
                ),
                waste_name=form.cleaned_data["waste_name"],
                physical_form=form.cleaned_data["physical_form"],
                packaging=form.cleaned_data["packaging"],
                weight_g=form.cleaned_data["weight"],
                containers=list(form.cleaned_data["containers"]),
            )
            for n, form in enumerate((f for f in lines if f.has_changed()), start=1)
        ],
        carriers=[
            _carrier(form.cleaned_data, n)
            for n, form in enumerate((f for f in carriers if f.has_changed()), start=1)
        ],
    )


def _carrier(data: dict[str, Any], n: int) -> s.CarrierInput:
    from wufei.transfer.references import vehicle_of

    return s.CarrierInput(
        carrier=data["carrier"],
        vehicle=vehicle_of(
            organisation=data["carrier"], plate=data["vehicle_plate"], field=f"carriers.{n}"
        ),
        licence=data["licence"],
        origin=data["origin"],
        destination=data["destination"],
    )


@login_required
def manifest_new(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    data = request.POST if request.method == "POST" else None
    header = HeaderForm(data, viewer=viewer)
    lines = LineFormSet(data, viewer=viewer, prefix="lines")
    carriers = CarrierFormSet(data, prefix="carriers")
    error = ""
    if data is not None and header.is_valid() and lines.is_valid() and carriers.is_valid():
        try:
            manifest = s.manifest_create(
                viewer=viewer,
                actor=_user(request),
                draft=_draft(header, lines, carriers),
                doc_type=header.cleaned_data["doc_type"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Draft %(number)s created.") % {"number": manifest.number})
            return redirect("transfer:manifest_detail", number=manifest.number)
    return render(
        request,
        "transfer/manifest_form.html",
        {"header": header, "lines": lines, "carriers": carriers, "error": error},
    )


def _copy_url(signature: Signature) -> str:
    return reverse(
        "transfer:copy_of_record",
        kwargs={"number": signature.manifest.number, "signature_id": signature.pk},
    )


@login_required
def manifest_detail_page(request: HttpRequest, number: str) -> HttpResponse:
    viewer = _viewer(request)
    manifest = _manifest(viewer, number)
    detail = manifest_detail(manifest, viewer=viewer, copy_url=_copy_url)
    acting = {pk for pk in viewer.organisation_ids if viewer.can_act_for(pk)}
    decided = dict(
        RevisionApproval.objects.filter(revision__manifest=manifest).values_list(
            "revision_id", "organisation_id"
        )
    )
    open_revisions = {r.pk: r for r in Revision.objects.filter(manifest=manifest, state="open")}
    for revision in detail["revisions"]:
        revision["differences"] = content_differences(revision["before"], revision["after"])
        done = {a["organisation"]["uscc"] for a in revision["approvals"]}
        revision["pending"] = [p for p in revision["approvers"] if p["uscc"] not in done]
        row = open_revisions.get(revision["id"])
        revision["can_decide"] = row is not None and bool(
            (set(row.approvers) & acting)
            - set(
                RevisionApproval.objects.filter(revision=row).values_list(
                    "organisation_id", flat=True
                )
            )
        )
    for signature in detail["signatures"]:
        signature["label"] = step_label(signature["action"])
    signed = set(signed_organisation_ids(manifest))
    return render(
        request,
        "transfer/manifest_detail.html",
        {
            "m": detail,
            "status_label": status_label(detail["status"]),
            "revision_form": RevisionForm(),
            "can_request_revision": bool(signed & acting) and not open_revisions,
            "can_sign": bool(detail["allowed_actions"]),
            "decided": decided,
        },
    )


@login_required
def manifest_sign(request: HttpRequest, number: str) -> HttpResponse:
    viewer = _viewer(request)
    manifest = _manifest(viewer, number)
    errors: list[str] = []
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in SIGNING_STEPS:
            raise Http404(_("Unknown step."))
        try:
            done = step_run(
                step, viewer=viewer, actor=_user(request), manifest=manifest, data=request.POST
            )
        except ManifestInvalid as exc:
            errors = [f.message for f in exc.failures]
        except DomainError as exc:
            errors = [exc.message]
        else:
            messages.success(
                request,
                _("%(step)s: manifest %(number)s is now “%(status)s”.")
                % {
                    "step": step_label(SIGNING_STEPS[step]),
                    "number": done.number,
                    "status": status_label(done.status),
                },
            )
            return redirect("transfer:manifest_sign", number=number)
    detail = manifest_detail(manifest, viewer=viewer, copy_url=_copy_url)
    return render(
        request,
        "transfer/manifest_sign.html",
        {
            "m": detail,
            "status_label": status_label(detail["status"]),
            "allowed": set(detail["allowed_actions"]),
            "errors": errors,
            "treatment_methods": _treatment_methods(manifest),
        },
    )


def _treatment_methods(manifest: Manifest) -> list[Any]:
    from wufei.catalog.models import TreatmentMethod

    permit = manifest.receiver_permit
    if permit is not None and permit.treatment_methods.exists():
        return list(permit.treatment_methods.all())
    return list(TreatmentMethod.objects.all())


@login_required
def copy_of_record(request: HttpRequest, number: str, signature_id: int) -> HttpResponse:
    viewer = _viewer(request)
    try:
        signature = selectors.signature_get_visible(viewer=viewer, number=number, pk=signature_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(bytes(signature.copy_of_record), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{number}-{signature.pk}-{signature.action}.pdf"'
    )
    return response


@login_required
@require_POST
def revision_request(request: HttpRequest, number: str) -> HttpResponse:
    viewer = _viewer(request)
    manifest = _manifest(viewer, number)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            s.manifest_revision_request(
                viewer=viewer,
                actor=_user(request),
                manifest=manifest,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Revision requested."))
    return redirect("transfer:manifest_detail", number=number)


@login_required
@require_POST
def revision_decide(request: HttpRequest, number: str, revision_id: int) -> HttpResponse:
    viewer = _viewer(request)
    try:
        revision = selectors.revision_get_visible(viewer=viewer, number=number, pk=revision_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    approve = request.POST.get("approve") == "1"
    try:
        s.manifest_revision_decide(
            viewer=viewer, actor=_user(request), revision=revision, approve=approve
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect("transfer:manifest_detail", number=number)
