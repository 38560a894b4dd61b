from django.urls import path

from reports.filing import views

app_name = "filing"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("start/<int:year>/", views.start, name="start"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/details/", views.edit_details, name="details"),
    path("reports/<int:pk>/start-from-last-year/", views.carry_over, name="carry_over"),
    path("reports/<int:pk>/sections/<slug:key>/", views.edit_section, name="section"),
    path("reports/<int:pk>/preview/", views.preview, name="preview"),
]
