from django.urls import URLPattern, path

from wufei.flows import views

app_name = "flows"

urlpatterns: list[URLPattern] = [
    path("", views.sankey_page, name="sankey"),
    path("chains/", views.chains_page, name="chains"),
]
