from django.urls import path

from wufei.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.hazardous_list, name="hazardous_list"),
    path("codes/<str:code>/", views.hazardous_detail, name="hazardous_detail"),
    path("exemptions/", views.exemption_list, name="exemption_list"),
    path("classes/", views.class_list, name="class_list"),
    path("treatment-methods/", views.treatment_list, name="treatment_list"),
]
