from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "reports.console"
    label = "console"
    verbose_name = _("管理控制台")
