from django.urls import path

from reports.transfer import views

app_name = "transfer"

urlpatterns = [
    path("reports/<int:pk>/import/", views.upload, name="import"),
    path("reports/<int:pk>/import/<int:import_pk>/", views.summary, name="import_summary"),
    path("reports/<int:pk>/import/<int:import_pk>/apply/", views.apply, name="import_apply"),
    path("reports/<int:pk>/unplaced/", views.unplaced, name="unplaced"),
    path("reports/<int:pk>/unplaced/<int:text_pk>/", views.handle_unplaced, name="unplaced_text"),
    path("reports/<int:pk>/export.docx", views.export_docx, name="export_docx"),
]
