from django.urls import URLPattern, path

from wufei.bulletin import bulletin_views as bv
from wufei.bulletin import views

app_name = "bulletin"

urlpatterns: list[URLPattern] = [
    path("inventory/", views.inventory_page, name="inventory"),
    path("inventory.xlsx", views.inventory_xlsx, name="inventory_xlsx"),
    path("", bv.bulletin_list, name="list"),
    path("new/", bv.bulletin_create, name="create"),
    path("<int:pk>/", bv.bulletin_detail, name="detail"),
    path("<int:pk>/redraft/", bv.bulletin_redraft, name="redraft"),
    path("<int:pk>/sections/", bv.bulletin_sections, name="sections"),
    path("<int:pk>/submit/", bv.bulletin_submit, name="submit"),
    path("<int:pk>/return/", bv.bulletin_return, name="return"),
    path("<int:pk>/publish/", bv.bulletin_publish, name="publish"),
    path("<int:pk>/preview.<str:fmt>", bv.bulletin_preview, name="preview"),
    path("public/<str:region>/<int:year>/", bv.bulletin_public, name="public"),
    path("public/<str:region>/<int:year>.<str:fmt>", bv.bulletin_public_file, name="public_file"),
]
