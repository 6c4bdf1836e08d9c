from django.urls import path

from wufei.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("rules/", views.rule_list, name="rules"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path(
        "<int:pk>/actions/<int:action_pk>/attachment/",
        views.action_attachment,
        name="attachment",
    ),
    path("<int:pk>/<str:action>/", views.alert_act, name="act"),
]
