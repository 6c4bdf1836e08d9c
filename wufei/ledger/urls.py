from django.urls import path

from wufei.ledger import views, views_files

app_name = "ledger"

urlpatterns = [
    path("", views.ledger_index, name="index"),
    path("supervision/", views_files.supervision_page, name="supervision"),
    path("<str:uscc>/", views.ledger_home, name="home"),
    path("<str:uscc>/record/<str:table_id>/", views.event_record, name="record"),
    path("<str:uscc>/record/<str:table_id>/source/", views.source_detail, name="source"),
    path("<str:uscc>/stock/", views.stock, name="stock"),
    path("<str:uscc>/balance/", views.balance, name="balance"),
    path("<str:uscc>/tier/", views_files.supervision_detail, name="tier"),
    path("<str:uscc>/import/", views_files.import_page, name="import"),
    path("<str:uscc>/import/<int:pk>/", views_files.import_status, name="import_status"),
    path("<str:uscc>/export.csv", views_files.export_csv, name="export_csv"),
    path("<str:uscc>/export.xlsx", views_files.export_xlsx, name="export_xlsx"),
]
