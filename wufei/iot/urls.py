from django.urls import path

from wufei.iot import views

app_name = "iot"

urlpatterns = [
    path("", views.device_list, name="device_list"),
    path("devices/<str:serial>/", views.device_detail, name="device_detail"),
    path("weighings/", views.weighing_list, name="weighing_list"),
    path("trips/<int:pk>/", views.trip_detail, name="trip_detail"),
]
