"""The site's URLs plus the filing pages, until the lead mounts `wufei.ledger.filing_urls`."""

from django.urls import include, path

from wufei.urls import urlpatterns as site

mounted = any(getattr(p, "namespace", None) == "filings" for p in site)
urlpatterns = site if mounted else [path("ledger/", include("wufei.ledger.filing_urls")), *site]
