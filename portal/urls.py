from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("reports.publication.urls")),
    path("work/", include("reports.filing.urls")),
    path("work/", include("reports.transfer.urls")),
    path("work/", include("reports.rendering.urls")),
    path("", include("reports.workflow.urls")),
    path("review/", include("reports.review.urls")),
    path("inbox/", include("reports.notifications.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
