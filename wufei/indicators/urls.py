from django.urls import URLPattern, path

from wufei.indicators import views

app_name = "indicators"

urlpatterns: list[URLPattern] = [
    path("", views.indicator_index, name="index"),
    path("inputs/new/", views.stat_input_new, name="input_new"),
    path("recompute/", views.values_recompute, name="recompute"),
    path("<str:set_code>/<str:code>/", views.indicator_page, name="detail"),
]
