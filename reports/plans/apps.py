from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "reports.plans"
    label = "plans"
    verbose_name = _("下一年度主要安排")
