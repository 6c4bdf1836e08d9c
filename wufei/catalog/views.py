"""Catalog pages: search the national list, read a code, the exemptions, classes and methods.

Thin: parse the query string, call selectors, render. The list page answers HTMX requests
with the results fragment only, and works as a plain GET form without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wufei.catalog import selectors
from wufei.catalog.models import HAZARD_CHARACTERISTICS, CatalogEdition, Stream
from wufei.core.errors import NotFound, ValidationFailed

PAGE_SIZE = 50


def _edition(request: HttpRequest) -> CatalogEdition:
    raw = request.GET.get("edition", "").strip()
    try:
        return selectors.edition_for_year(int(raw) if raw.isdigit() else None)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _edition_context(edition: CatalogEdition) -> dict[str, Any]:
    return {
        "edition": edition,
        "editions": selectors.edition_list(),
        "edition_in_force": edition.in_force_on(timezone.localdate()),
    }


def _without_page(query: QueryDict) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


def _is_fragment_request(request: HttpRequest) -> bool:
    # A history restore after a cache miss needs the whole page, not the fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_GET
@login_required
@vary_on_headers("HX-Request")
def hazardous_list(request: HttpRequest) -> HttpResponse:
    edition = _edition(request)
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "").strip().upper()
    characteristic = request.GET.get("characteristic", "").strip()
    if characteristic not in HAZARD_CHARACTERISTICS:
        characteristic = ""
    codes = selectors.hazardous_code_search(
        edition=edition, text=q, category=category, characteristic=characteristic
    )
    page = Paginator(codes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_edition_context(edition),
        "q": q,
        "category": category,
        "characteristic": characteristic,
        "categories": selectors.category_list(edition=edition),
        "characteristics": HAZARD_CHARACTERISTICS.items(),
        "page": page,
        "query": _without_page(request.GET),
    }
    if _is_fragment_request(request):
        return render(request, "catalog/_hazardous_results.html", context)
    return render(request, "catalog/hazardous_list.html", context)


@require_GET
@login_required
def hazardous_detail(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition(request)
    try:
        found = selectors.code_detail(edition=edition, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    characteristics = [(c, HAZARD_CHARACTERISTICS.get(c, c)) for c in found.characteristics]
    return render(
        request,
        "catalog/hazardous_detail.html",
        {
            **_edition_context(edition),
            "code": found,
            "characteristics": characteristics,
            "exemptions": found.applicable_exemptions(),
        },
    )


@require_GET
@login_required
def exemption_list(request: HttpRequest) -> HttpResponse:
    edition = _edition(request)
    return render(
        request,
        "catalog/exemption_list.html",
        {**_edition_context(edition), "exemptions": selectors.exemption_list(edition=edition)},
    )


@require_GET
@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    stream = request.GET.get("stream") or selectors.CLASS_STREAMS[0].value
    try:
        classes = selectors.waste_class_list(stream=stream)
    except ValidationFailed as exc:
        raise Http404(exc.message) from exc
    tabs = [(s.value, s.label) for s in selectors.CLASS_STREAMS]
    return render(
        request,
        "catalog/class_list.html",
        {
            "tabs": tabs,
            "stream": stream,
            "stream_label": Stream(stream).label,
            "classes": classes,
            "has_unverified": any(not c.verified for c in classes),
        },
    )


@require_GET
@login_required
def treatment_list(request: HttpRequest) -> HttpResponse:
    methods = selectors.treatment_method_list()
    return render(
        request,
        "catalog/treatment_list.html",
        {"methods": methods, "has_unverified": any(not m.verified for m in methods)},
    )
