from django.urls import URLPattern, path

from wufei.bulletin import views

app_name = "bulletin"

urlpatterns: list[URLPattern] = [
    path("inventory/", views.inventory_page, name="inventory"),
    path("inventory.xlsx", views.inventory_xlsx, name="inventory_xlsx"),
]
