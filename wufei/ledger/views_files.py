"""Ledger files and tiers: import (upload, progress, report), export (CSV, XLSX) and the
supervision-tier page (监管分级). Thin, like `views`."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.core.errors import DomainError, NotFound
from wufei.domain.ledger_units import grams_as
from wufei.domain.supervision_tier import Tier
from wufei.ledger import selectors
from wufei.ledger.exporting import csv_stream, xlsx_write
from wufei.ledger.forms import SupervisionBasisForm
from wufei.ledger.importing import ledger_import_start
from wufei.ledger.models import ImportBatch, LedgerEvent, SupervisionBasis
from wufei.ledger.supervision import supervision_list, supervision_of
from wufei.ledger.supervision_basis import supervision_basis_update
from wufei.ledger.tables import TABLE_ORDER, TABLES
from wufei.ledger.views import (
    base_context,
    organisation_for,
    page_viewer,
    period_bounds,
    period_from,
)
from wufei.registry.models import Organisation

PAGE_SIZE = 50


@login_required
def import_page(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    error = ""
    if request.method == "POST":
        if not viewer.can_act_for(org.pk):
            raise Http404
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file to import.")
        else:
            try:
                batch = ledger_import_start(
                    actor=request.user,  # type: ignore[arg-type]
                    organisation=org,
                    upload=upload,
                    filename=upload.name or "",
                    table=request.POST.get("table") or None,
                )
            except DomainError as exc:
                error = exc.message
            else:
                return redirect("ledger:import_status", uscc=org.uscc, pk=batch.pk)
    imports = ImportBatch.objects.filter(organisation=org).select_related("uploaded_by")[:20]
    return render(
        request,
        "ledger/import.html",
        {**base_context(viewer, org, "import"), "imports": imports, "error": error},
    )


@login_required
def import_status(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    try:
        batch = selectors.import_batch_get(viewer=viewer, pk=pk)
    except NotFound:
        raise Http404 from None
    if batch.organisation_id != org.pk:
        raise Http404
    context = {**base_context(viewer, org, "import"), "batch": batch}
    if request.headers.get("HX-Request") == "true":
        return render(request, "ledger/_import_status.html", context)
    return render(request, "ledger/import_status.html", context)


def _export_events(
    request: HttpRequest, uscc: str
) -> tuple[Organisation, QuerySet[LedgerEvent], str]:
    viewer, org = organisation_for(request, uscc)
    start, end = period_from(request)
    lo, hi = period_bounds(start, end)
    qs = selectors.ledger_event_list(viewer=viewer, organisation=org, start=lo, end=hi)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return org, qs, stamp


@login_required
def export_csv(request: HttpRequest, uscc: str) -> StreamingHttpResponse:
    table = TABLES.get(request.GET.get("table", "B.1"))
    if table is None:
        raise Http404
    org, qs, stamp = _export_events(request, uscc)
    response = StreamingHttpResponse(csv_stream(table, qs), content_type="text/csv; charset=utf-8")
    name = f"ledger-{org.uscc}-{table.id}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_xlsx(request: HttpRequest, uscc: str) -> FileResponse:
    chosen = request.GET.get("table", "")
    if chosen and chosen not in TABLES:
        raise Http404
    tables = [TABLES[chosen]] if chosen else [TABLES[t] for t in TABLE_ORDER]
    org, qs, stamp = _export_events(request, uscc)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    xlsx_write(tables, qs, out)
    out.seek(0)
    name = f"ledger-{org.uscc}-{chosen or 'B'}-{stamp}.xlsx"
    return FileResponse(
        out,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def supervision_page(request: HttpRequest) -> HttpResponse:
    viewer = page_viewer(request)
    tier = request.GET.get("tier", "")
    tier = tier if tier in {t.value for t in Tier} else ""
    rows = supervision_list(viewer=viewer, tier=tier, search=request.GET.get("q", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "ledger/supervision.html",
        {
            "page": page,
            "tiers": [t.value for t in Tier],
            "filters": {"tier": tier, "q": request.GET.get("q", "")},
            "querystring": params.urlencode(),
            "section": "supervision",
        },
    )


@login_required
def supervision_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    can_declare = viewer.can_act_for(org.pk)
    basis = SupervisionBasis.objects.filter(organisation=org).first()
    initial = (
        {
            "operating_since": basis.operating_since,
            "declared_t": grams_as(basis.declared_annual_g, "t")
            if basis.declared_annual_g is not None
            else "",
            "declared_source": basis.declared_source,
            "intermittent": basis.intermittent,
        }
        if basis
        else {}
    )
    form = SupervisionBasisForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_declare:
            raise Http404
        if form.is_valid():
            try:
                supervision_basis_update(
                    actor=request.user,  # type: ignore[arg-type]
                    organisation=org,
                    **form.command(),
                )
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.message)
            else:
                return redirect("ledger:tier", uscc=org.uscc)
    return render(
        request,
        "ledger/supervision_detail.html",
        {
            **base_context(viewer, org, "tier"),
            "tier": supervision_of(viewer=viewer, organisation=org),
            "form": form if can_declare else None,
        },
    )
