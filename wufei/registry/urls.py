from django.urls import path

from wufei.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/<str:uscc>/", views.organisation_detail, name="organisation_detail"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("permits/", views.permit_list, name="permit_list"),
    path("vehicles/", views.vehicle_list, name="vehicle_list"),
    path("parks/", views.park_list, name="park_list"),
]
