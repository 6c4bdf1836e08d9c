"""The REST API, version 1: mounted at /api/v1/, OpenAPI 3 at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from wufei.api.auth import BearerToken
from wufei.api.errors import install_error_handlers
from wufei.catalog.api import router as catalog_router
from wufei.core.api import router as webhooks_router
from wufei.ledger.api import router as ledger_router
from wufei.ledger.label_api import router as containers_router
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
api.add_router("/", transfer_router)  # /manifests/, /cross-province-approvals/
