from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "reports.audit"
    label = "audit"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        from reports.audit import receivers  # noqa: F401  (sign-in events are Django's and django-axes' signals)
