from django.urls import path

from reports.publication import views

app_name = "publication"

urlpatterns = [
    path("", views.home, name="home"),
    path("published/<int:year>/<slug:code>/", views.report_page, name="report"),
    path("published/<int:year>/<slug:code>.pdf", views.report_pdf, name="pdf"),
]
