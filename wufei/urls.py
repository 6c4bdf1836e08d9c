from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from wufei.api.v1 import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalog/", include("wufei.catalog.urls")),
    path("registry/", include("wufei.registry.urls")),
    path("manifests/", include("wufei.transfer.urls")),
    path("ledger/", include("wufei.ledger.filing_urls")),
    path("ledger/", include("wufei.ledger.urls")),
    path("alerts/", include("wufei.alerts.urls")),
    path("iot/", include("wufei.iot.urls")),
    path("enforcement/", include("wufei.enforcement.urls")),
    path("map/", include("wufei.dashboard.urls")),
    path("flows/", include("wufei.flows.urls")),
    path("indicators/", include("wufei.indicators.urls")),
    path("bulletin/", include("wufei.bulletin.urls")),
    path("plans/", include("wufei.plans.urls")),
    path("", include("wufei.ledger.label_urls")),  # c/<code>/ (QR scans), labels/…
    path("", include("wufei.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
