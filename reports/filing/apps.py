from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "reports.filing"
    label = "filing"
    verbose_name = _("年度报告填报")

    def ready(self) -> None:
        from reports.filing.sections import autodiscover

        autodiscover()
