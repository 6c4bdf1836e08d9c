"""Ledger pages: an organisation's ledger (tabs B.1–B.5), record forms, stock, mass balance.

Thin: parse the request, call a selector or service, render. The organisation comes from the
URL and is looked up through the ledger visibility policy, so another unit's ledger is "not
found". Writing needs `can_act_for` (the service checks it again).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer, viewer_of_request
from wufei.core.errors import DomainError, NotFound
from wufei.domain.ledger_units import grams_as
from wufei.ledger import selectors
from wufei.ledger.forms import SERVICE_FIELDS, EventForm
from wufei.ledger.models import SOURCE_KINDS
from wufei.ledger.services import ledger_event_record
from wufei.ledger.supervision import supervision_of
from wufei.ledger.tables import TABLE_ORDER, TABLES
from wufei.registry.models import Organisation

PAGE_SIZE = 50


page_viewer = viewer_of_request


def organisation_for(request: HttpRequest, uscc: str) -> tuple[Viewer, Organisation]:
    viewer = page_viewer(request)
    try:
        return viewer, selectors.ledger_organisation_get(viewer=viewer, uscc=uscc)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def period_from(request: HttpRequest) -> tuple[date | None, date | None]:
    """?start=YYYY-MM-DD&end=YYYY-MM-DD, both days included."""
    return _day(request.GET.get("start", "")), _day(request.GET.get("end", ""))


def period_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start 00:00, day after end 00:00) in local time."""
    return (
        _start_of(start) if start else None,
        _start_of(end + timedelta(days=1)) if end else None,
    )


def base_context(viewer: Viewer, org: Organisation, section: str) -> dict[str, Any]:
    return {
        "org": org,
        "section": section,
        "can_record": viewer.can_act_for(org.pk),
        "tables": [TABLES[t] for t in TABLE_ORDER],
    }


@login_required
def ledger_index(request: HttpRequest) -> HttpResponse:
    viewer = page_viewer(request)
    orgs = selectors.ledger_organisations_visible(viewer=viewer)
    if not (viewer.is_admin or viewer.is_regulator):
        own = list(orgs.filter(pk__in=viewer.organisation_ids))
        if len(own) == 1:
            return redirect("ledger:home", uscc=own[0].uscc)
    search = request.GET.get("q", "").strip()
    if search:
        orgs = orgs.filter(name__icontains=search) | orgs.filter(uscc__icontains=search)
    page = Paginator(orgs.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ledger/index.html", {"page": page, "q": search, "section": "index"})


@login_required
def ledger_home(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    table = TABLES.get(request.GET.get("table", "B.1"), TABLES["B.1"])
    start, end = period_from(request)
    lo, hi = period_bounds(start, end)
    events = selectors.ledger_event_list(
        viewer=viewer,
        organisation=org,
        kind=table.kind,
        start=lo,
        end=hi,
        waste_code=request.GET.get("code", ""),
        facility_code=request.GET.get("facility", ""),
        search=request.GET.get("q", ""),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        **base_context(viewer, org, "events"),
        "table": table,
        "page": page,
        "filters": {k: request.GET.get(k, "") for k in ("q", "code", "facility", "start", "end")},
        "querystring": params.urlencode(),
        "has_source": bool(SOURCE_KINDS[table.kind]),
        "tier": supervision_of(viewer=viewer, organisation=org) if org.is_producer else None,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "ledger/_events.html", context)
    return render(request, "ledger/home.html", context)


@login_required
def event_record(request: HttpRequest, uscc: str, table_id: str) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    table = TABLES.get(table_id)
    if table is None or not viewer.can_act_for(org.pk):
        raise Http404
    form = EventForm(request.POST or None, organisation=org, kind=table.kind)
    if request.method == "POST" and form.is_valid():
        try:
            event = ledger_event_record(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                kind=table.kind,
                **form.command(),
            )
        except DomainError as exc:
            field = SERVICE_FIELDS.get(exc.field or "", exc.field)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Recorded batch %(batch)s: %(quantity)s kg.")
                % {"batch": event.batch_code, "quantity": grams_as(event.quantity_g, "kg")},
            )
            return redirect(f"{reverse('ledger:home', args=[org.uscc])}?table={table.id}")
    return render(
        request,
        "ledger/record.html",
        {**base_context(viewer, org, "events"), "table": table, "form": form},
    )


@login_required
def source_detail(request: HttpRequest, uscc: str, table_id: str) -> HttpResponse:
    """HTMX: what the chosen source batch holds, to fill the record form."""
    viewer, org = organisation_for(request, uscc)
    table = TABLES.get(table_id)
    if table is None or not viewer.can_act_for(org.pk):
        raise Http404
    code = request.GET.get("source", "")
    source = (
        selectors.source_candidates(organisation=org, kind=table.kind)
        .filter(batch_code=code)
        .first()
    )
    return render(request, "ledger/_source.html", {"source": source})


@login_required
def stock(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    day = _day(request.GET.get("at", ""))
    at = _start_of(day + timedelta(days=1)) if day else None
    rows = selectors.stock_by_facility(viewer=viewer, organisation=org, at=at)
    return render(
        request,
        "ledger/stock.html",
        {
            **base_context(viewer, org, "stock"),
            "rows": rows,
            "at": day,
            "total_g": sum(r.grams for r in rows),
        },
    )


@login_required
def balance(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer, org = organisation_for(request, uscc)
    today = timezone.localdate()
    start, end = period_from(request)
    start = start or date(today.year, 1, 1)
    end = end or today
    if end < start:
        start, end = end, start
    lo, hi = period_bounds(start, end)
    assert lo is not None and hi is not None
    result = selectors.mass_balance(viewer=viewer, organisation=org, start=lo, end=hi)
    return render(
        request,
        "ledger/balance.html",
        {**base_context(viewer, org, "balance"), "balance": result, "start": start, "end": end},
    )
