"""The map page's figures as JSON: each value next to the link to the records it sums.

Built from one `Overview` (the selectors' result), embedded in the page with `json_script` and
served by /api/v1/map/overview — the page, the API and the links cannot disagree. Tonnes are
sent as decimal strings (exact, three decimals); the browser turns them into numbers only to
draw them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from wufei.dashboard.geo_build import shipped_map_codes
from wufei.dashboard.selectors import SEVERITIES, TONNAGE_KINDS, Overview, Scope
from wufei.domain.ledger_units import tonnes_exact, tonnes_text
from wufei.ledger.models import EventKind
from wufei.registry.models import FacilityKind
from wufei.transfer.models import DocType

MAX_FLOWS = 300  # the heaviest flows are drawn; the records page lists all
KIND_COLOURS: dict[str, str] = {
    FacilityKind.GENERATION: "#2f9e44",
    FacilityKind.STORAGE: "#1c7ed6",
    FacilityKind.IN_HOUSE_TREATMENT: "#0ca678",
    FacilityKind.COLLECTION_POINT: "#f59f00",
    FacilityKind.TRANSFER_STATION: "#fab005",
    FacilityKind.TREATMENT: "#e8590c",
    FacilityKind.INCINERATION: "#e03131",
    FacilityKind.LANDFILL: "#862e9c",
    FacilityKind.RECYCLING: "#5c940d",
}


def tonnes(grams: int) -> str:
    """Tonnes as a plain decimal string for charts: 1234567 g → '1.235'."""
    return str(tonnes_exact(grams).quantize(Decimal("0.001")))


def kind_labels() -> dict[str, str]:
    """The three tonnage figures, named by the ledger kind they sum."""
    return {
        EventKind.GENERATE: _("Generated"),
        EventKind.HAND_OVER: _("Transferred out"),
        EventKind.RECEIVE: _("Received"),
    }


def severity_labels() -> dict[str, str]:
    return {
        "critical": _("Critical"),
        "high": _("High"),
        "medium": _("Medium"),
        "low": _("Low"),
    }


def tier_labels() -> dict[str, str]:
    return {
        "key": _("Key supervision (重点监管)"),
        "simplified": _("Simplified management (简化管理)"),
        "registered": _("Registration (登记管理)"),
    }


def records_url(scope: Scope, metric: str, **params: Any) -> str:
    query = {"region": scope.region.code, "year": scope.year, "metric": metric, **params}
    return f"{reverse('dashboard:records')}?{urlencode(query)}"


def alerts_url(severity: str) -> str:
    return f"{reverse('alerts:list')}?{urlencode({'severity': severity, 'status': 'open'})}"


def enterprise_url(uscc: str, facility_code: str = "", *, pattern: str = "") -> str:
    """The enterprise page (at the facility). `pattern`: the page's address reversed once
    with the placeholder USCC, for callers that build thousands of these."""
    base = pattern or reverse("dashboard:enterprise", args=["USCC"])
    url = base.replace("USCC", quote(uscc, safe=""))
    return f"{url}#facility-{facility_code}" if facility_code else url


def map_source(scope: Scope) -> dict[str, str] | None:
    """The shipped GeoJSON for the region's county, or None (plain longitude/latitude axes)."""
    county = scope.region.code[:6]
    if county not in shipped_map_codes():
        return None
    return {"name": county, "url": static(f"dashboard/geo/{county}.geojson")}


def kpis(overview: Overview) -> list[dict[str, Any]]:
    scope = overview.scope
    labels = kind_labels()
    tiles = [
        {
            "key": kind,
            "label": labels[kind],
            "value": tonnes_text(overview.tonnage[kind]),
            "unit": "t",
            "url": records_url(scope, kind),
        }
        for kind in TONNAGE_KINDS
    ]
    tiles.append(
        {
            "key": "in_transit",
            "label": _("Manifests in transit"),
            "value": str(overview.in_transit),
            "unit": "",
            "url": f"{reverse('transfer:manifest_list')}?tab=all&status=in_transit",
        }
    )
    tiles.append(
        {
            "key": "overdue",
            "label": _("Receipts overdue or late"),
            "value": str(overview.overdue),
            "unit": "",
            "url": f"{reverse('transfer:manifest_list')}?tab=overdue",
        }
    )
    return tiles


def chart_payload(overview: Overview) -> dict[str, Any]:
    scope = overview.scope
    points = {p.pk: p for p in overview.facilities}
    facility_kinds: dict[str, str] = {k: str(v) for k, v in FacilityKind.choices}
    kinds = sorted({p.kind for p in overview.facilities})
    labels = kind_labels()
    streams: dict[str, str] = {k: str(v) for k, v in DocType.choices}
    tiers = tier_labels()
    severities = severity_labels()
    enterprise_pattern = reverse("dashboard:enterprise", args=["USCC"])
    return {
        "region": {"code": scope.region.code, "name": scope.region.name},
        "year": scope.year,
        "map": map_source(scope),
        "kpis": kpis(overview),
        "warnings": [
            {
                "key": s,
                "label": severities[s],
                "count": overview.warnings[s],
                "url": alerts_url(s),
            }
            for s in SEVERITIES
        ],
        "kinds": [
            {"key": k, "label": str(facility_kinds.get(k, k)), "color": KIND_COLOURS.get(k, "#888")}
            for k in kinds
        ],
        "facilities": [
            {
                "name": p.name,
                "organisation": p.organisation,
                "kind": p.kind,
                "lon": str(p.longitude),
                "lat": str(p.latitude),
                "tonnes": tonnes(p.grams),
                "inside": p.inside,
                "url": enterprise_url(p.uscc, p.code, pattern=enterprise_pattern)
                if p.inside
                else records_url(scope, "flow", to=p.pk),
            }
            for p in overview.facilities
        ],
        "flows": [
            {
                "from": [
                    str(points[f.shipper_facility_id].longitude),
                    str(points[f.shipper_facility_id].latitude),
                ],
                "to": [
                    str(points[f.receiver_facility_id].longitude),
                    str(points[f.receiver_facility_id].latitude),
                ],
                "from_name": points[f.shipper_facility_id].organisation,
                "to_name": points[f.receiver_facility_id].organisation,
                "tonnes": tonnes(f.grams),
                "manifests": f.manifests,
                "url": records_url(
                    scope, "flow", **{"from": f.shipper_facility_id, "to": f.receiver_facility_id}
                ),
            }
            for f in overview.flows[:MAX_FLOWS]
            if f.shipper_facility_id in points and f.receiver_facility_id in points
        ],
        "flows_total": len(overview.flows),
        "streams": [
            {
                "key": doc_type,
                "label": str(streams.get(doc_type, doc_type)),
                "tonnes": tonnes(grams),
                "url": records_url(scope, "stream", doc_type=doc_type),
            }
            for doc_type, grams in overview.by_stream
        ],
        "codes": [
            {
                "code": code,
                "category": category,
                "tonnes": tonnes(grams),
                "url": records_url(scope, "generate", code=code),
            }
            for code, category, grams in overview.by_code
        ],
        "tiers": [
            {
                "key": key,
                "label": label,
                "count": overview.tiers.get(key, 0),
                "url": f"{reverse('ledger:supervision')}?{urlencode({'tier': key})}",
            }
            for key, label in tiers.items()
        ],
        "monthly": {
            "months": list(range(1, 13)),
            "series": [
                {
                    "key": kind,
                    "label": labels[kind],
                    "tonnes": [tonnes(g) for g in overview.monthly[kind]],
                    "urls": [records_url(scope, kind, month=m) for m in range(1, 13)],
                }
                for kind in TONNAGE_KINDS
            ],
        },
    }
