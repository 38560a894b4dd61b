from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "reports.oversight"
    label = "oversight"
    verbose_name = _("全省进度")
