from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "reports.agencies"
    label = "agencies"
    verbose_name = _("机关与人员")
