from django.urls import path

from reports.rendering import views

app_name = "rendering"

urlpatterns = [
    path("reports/<int:pk>/draft-pdf/", views.request_draft_pdf, name="request_draft_pdf"),
    path("reports/<int:pk>/draft-pdf/<int:draft_pk>/", views.draft_pdf, name="draft_pdf"),
    path("reports/<int:pk>/draft-pdf/<int:draft_pk>.pdf", views.draft_pdf_file, name="draft_pdf_file"),
    path("reports/<int:pk>/retry-pdf/", views.retry_pdf, name="retry_pdf"),
]
