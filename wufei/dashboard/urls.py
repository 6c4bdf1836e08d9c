from django.urls import path

from wufei.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("records/", views.records_page, name="records"),
    path("region/<str:code>/", views.region_page, name="region"),
    path("park/<int:pk>/", views.park_page, name="park"),
    path("enterprise/<str:uscc>/", views.enterprise_page, name="enterprise"),
]
