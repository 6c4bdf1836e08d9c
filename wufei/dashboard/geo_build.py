"""The offline map of the demo district: GeoJSON drawn from the illustrative boxes.

We have no official boundaries of 滨江区 or its streets, so the map shipped with the dashboard
is built from the boxes of `wufei.domain.demo_geography` (demo data, approximate). Every
feature and the collection itself say so: `"verified": false`, `"note": "illustrative demo
boundaries"`. Run `wufei build_geojson` to rewrite the file after changing the boxes.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from wufei.domain.demo_district import Box
from wufei.domain.demo_geography import COUNTY_CODE, COUNTY_NAME, DISTRICT_BOX, TOWNSHIPS

GEO_DIR = Path(__file__).resolve().parent / "static" / "dashboard" / "geo"
NOTE = "illustrative demo boundaries"
SOURCE = "wufei/domain/demo_geography.py (TOWNSHIPS boxes, DISTRICT_BOX)"


def _coordinate(value: Decimal) -> float:
    # A coordinate for drawing, to the micro-degree; never a quantity (those stay exact).
    return float(value)


def _ring(box: Box) -> list[list[float]]:
    """The box as a closed counter-clockwise ring of [longitude, latitude] (RFC 7946 3.1.6)."""
    corners = (
        (box.lon_min, box.lat_min),
        (box.lon_max, box.lat_min),
        (box.lon_max, box.lat_max),
        (box.lon_min, box.lat_max),
        (box.lon_min, box.lat_min),
    )
    return [[_coordinate(lon), _coordinate(lat)] for lon, lat in corners]


def _feature(code: str, name: str, level: str, box: Box) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name": name,
            "level": level,
            "verified": False,
            "note": NOTE,
        },
        "geometry": {"type": "Polygon", "coordinates": [_ring(box)]},
    }


def demo_district_geojson() -> dict[str, Any]:
    """The district outline first, then its streets (the map draws the streets)."""
    features = [_feature(COUNTY_CODE, COUNTY_NAME, "county", DISTRICT_BOX)]
    features += [_feature(t.code, t.name, "township", t.box) for t in TOWNSHIPS]
    return {
        "type": "FeatureCollection",
        "properties": {
            "code": COUNTY_CODE,
            "name": COUNTY_NAME,
            "verified": False,
            "note": NOTE,
            "source": SOURCE,
        },
        "features": features,
    }


def geojson_path(region_code: str) -> Path:
    return GEO_DIR / f"{region_code}.geojson"


def shipped_map_codes() -> frozenset[str]:
    """Region codes for which a map is shipped (the others fall back to plain axes)."""
    return frozenset(p.stem for p in GEO_DIR.glob("*.geojson"))


def demo_district_write(directory: Path = GEO_DIR) -> Path:
    """Write `<county code>.geojson` into `directory`, returning its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{COUNTY_CODE}.geojson"
    text = json.dumps(demo_district_geojson(), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path
