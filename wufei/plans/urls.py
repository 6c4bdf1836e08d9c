from django.urls import URLPattern, path

from wufei.plans import views

app_name = "plans"

urlpatterns: list[URLPattern] = [
    path("", views.plan_index, name="index"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report/", views.task_report, name="task_report"),
    path("assessment/", views.assessment_index, name="assessment"),
    path("assessment/recompute/", views.assessment_recompute, name="assessment_recompute"),
]
