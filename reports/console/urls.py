from django.urls import path

from reports.console import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/load/", views.load_regions, name="load_regions"),
    path("unlock/", views.unlock_account, name="unlock"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/new/", views.agency_edit, name="agency_new"),
    path("agencies/<int:pk>/", views.agency_edit, name="agency"),
    path("agencies/<int:pk>/retire/", views.agency_retire, name="agency_retire"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_edit, name="staff_new"),
    path("staff/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/password/", views.staff_reset_password, name="staff_password"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("policy/", views.policy, name="policy"),
    path("cycles/<int:year>/", views.cycle_settings, name="cycle"),
]
