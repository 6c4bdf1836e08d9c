from django.urls import path

from wufei.enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("key-units/", views.key_units, name="key_units"),
    path("key-units.csv", views.key_units, {"fmt": "csv"}, name="key_units_csv"),
    path("key-units.xlsx", views.key_units, {"fmt": "xlsx"}, name="key_units_xlsx"),
    path("grids/", views.grids, name="grids"),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
    path("assignments/<int:assignment_pk>/inspect/", views.inspection_form, name="inspect"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("units/<str:uscc>/risk/", views.risk, name="risk"),
    path("units/<str:uscc>/credit/", views.credit, name="credit"),
]
