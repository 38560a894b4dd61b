from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShortcomingsConfig(AppConfig):
    name = "reports.shortcomings"
    label = "shortcomings"
    verbose_name = _("存在的不足和原因")
