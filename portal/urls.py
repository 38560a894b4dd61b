from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reports.accounts import sso
from reports.accounts import views as accounts_views

# The Django admin is for superusers (operators) only; administrators of a region work in the console.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("", include("reports.operations.urls")),
    path("", include("reports.publication.urls")),
    path("work/", include("reports.filing.urls")),
    path("work/", include("reports.transfer.urls")),
    path("work/", include("reports.rendering.urls")),
    path("", include("reports.workflow.urls")),
    path("review/", include("reports.review.urls")),
    path("inbox/", include("reports.notifications.urls")),
    # Issue 13: sign-in and passwords, single sign-on, the console, the security log, the province view.
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("reports.accounts.urls")),
    path("accounts/oidc/", include("mozilla_django_oidc.urls")),
    path("accounts/cas/login/", sso.CASLogin.as_view(), name="cas_ng_login"),
    path("console/", include("reports.console.urls")),
    path("console/security-log/", include("reports.audit.urls")),
    path("province/", include("reports.oversight.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
