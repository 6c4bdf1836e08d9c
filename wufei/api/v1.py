"""The REST API, version 1: mounted at /api/v1/, OpenAPI 3 at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from wufei.api.auth import BearerToken
from wufei.api.errors import install_error_handlers
from wufei.catalog.api import router as catalog_router
from wufei.registry.api import router as registry_router

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
