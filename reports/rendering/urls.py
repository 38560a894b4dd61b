from django.urls import path

from reports.rendering import views

app_name = "rendering"

urlpatterns = [
    path("reports/<int:pk>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("reports/<int:pk>/retry-pdf/", views.retry_pdf, name="retry_pdf"),
]
