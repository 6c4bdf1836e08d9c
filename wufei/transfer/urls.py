from django.urls import path

from wufei.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.manifest_list, name="manifest_list"),
    path("new/", views.manifest_new, name="manifest_new"),
    path("<str:number>/", views.manifest_detail_page, name="manifest_detail"),
    path("<str:number>/sign/", views.manifest_sign, name="manifest_sign"),
    path(
        "<str:number>/signatures/<int:signature_id>/copy.pdf",
        views.copy_of_record,
        name="copy_of_record",
    ),
    path("<str:number>/revisions/", views.revision_request, name="revision_request"),
    path(
        "<str:number>/revisions/<int:revision_id>/decision/",
        views.revision_decide,
        name="revision_decide",
    ),
]
