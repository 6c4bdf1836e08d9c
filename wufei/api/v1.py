"""The REST API, version 1: mounted at /api/v1/, OpenAPI 3 at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from wufei.alerts.api import router as alerts_router
from wufei.api.auth import BearerToken
from wufei.api.errors import install_error_handlers
from wufei.bulletin.api import router as bulletin_router
from wufei.catalog.api import router as catalog_router
from wufei.core.api import router as webhooks_router
from wufei.dashboard.api import router as dashboard_router
from wufei.enforcement.api import router as enforcement_router
from wufei.flows.api import router as flows_router
from wufei.indicators.api import router as indicators_router
from wufei.iot.api import router as iot_router
from wufei.ledger.api import router as ledger_router
from wufei.ledger.label_api import router as containers_router
from wufei.plans.api import router as plans_router
from wufei.registry.api import router as registry_router
from wufei.transfer.api import router as transfer_router

api = NinjaAPI(
    title="Wufei API",
    version="1",
    description=(
        "无废 Wufei — the solid-waste network's API. Authenticate with "
        "`Authorization: Bearer <token>` (`wufei create_token <username>` prints one). "
        "Errors are JSON objects {code, message, field}."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[BearerToken(), django_auth],
)
install_error_handlers(api)
api.add_router("/catalog/", catalog_router, tags=["catalog"])
api.add_router("/registry/", registry_router, tags=["registry"])
api.add_router("/webhooks/", webhooks_router, tags=["webhooks"])
api.add_router("/containers/", containers_router, tags=["containers"])
api.add_router("/ledger/", ledger_router, tags=["ledger"])
api.add_router("/alerts/", alerts_router, tags=["alerts"])
api.add_router("/iot/", iot_router, tags=["iot"])
api.add_router("/enforcement/", enforcement_router, tags=["enforcement"])
api.add_router("/map/", dashboard_router, tags=["map"])
api.add_router("/flows/", flows_router, tags=["flows"])
api.add_router("/indicators/", indicators_router, tags=["indicators"])
api.add_router("/bulletin/", bulletin_router, tags=["bulletin"])
api.add_router("/plans/", plans_router, tags=["plans"])
api.add_router("/", transfer_router)  # /manifests/, /cross-province-approvals/
