from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "reports.duties"
    label = "duties"
    verbose_name = _("党政主要负责人履行推进法治建设第一责任人职责情况")
