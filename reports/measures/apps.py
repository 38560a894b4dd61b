from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "reports.measures"
    label = "measures"
    verbose_name = _("主要举措和成效")
