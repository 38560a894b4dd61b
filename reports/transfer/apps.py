from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    """Bring reports in from text and Word files, and give Word back."""

    name = "reports.transfer"
    label = "transfer"
    verbose_name = _("导入与导出")
