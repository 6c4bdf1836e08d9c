from __future__ import annotations

from wufei.catalog.models import CatalogEdition


def current_edition() -> CatalogEdition | None:
    return CatalogEdition.objects.order_by("-year").first()
