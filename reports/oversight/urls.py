from django.urls import path

from reports.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.province, name="province"),
    path("agencies/", views.agencies, name="agencies"),
]
