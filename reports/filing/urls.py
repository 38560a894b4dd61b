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
    path("reports/<int:pk>/submit/", views.submit, name="submit"),
    path("reports/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("reports/<int:pk>/decline-sign-off/", views.decline_sign_off, name="decline_sign_off"),
    path("reports/<int:pk>/correct/", views.start_correction, name="correct"),
    path("reports/<int:pk>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("reports/<int:pk>/retry-pdf/", views.retry_pdf, name="retry_pdf"),
]
