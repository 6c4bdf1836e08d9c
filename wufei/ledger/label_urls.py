"""Public scan path and label pages, mounted at the site root (`c/<code>/` stays short for QR)."""

from django.urls import path

from wufei.ledger import label_views, scan_views

app_name = "labels"

urlpatterns = [
    path("c/<str:code>/", scan_views.container_scan, name="scan"),
    path("labels/", label_views.container_list, name="container_list"),
    path("labels/new/", label_views.container_register_page, name="container_register"),
    path("labels/print.pdf", label_views.label_print, name="print"),
    path("labels/<str:code>.pdf", label_views.label_download, name="download"),
]
