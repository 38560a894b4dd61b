from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenderingConfig(AppConfig):
    name = "reports.rendering"
    label = "rendering"
    verbose_name = _("PDF 生成")
