from django.urls import path

from reports.audit import views

app_name = "audit"

urlpatterns = [path("", views.security_log, name="log")]
