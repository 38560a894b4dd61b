from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulingsConfig(AppConfig):
    name = "reports.rulings"
    label = "rulings"
    verbose_name = _("履行法院生效裁判情况")
