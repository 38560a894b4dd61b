from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenderingConfig(AppConfig):
    name = "reports.rendering"
    label = "rendering"
    verbose_name = _("PDF 生成")

    def ready(self) -> None:
        from reports.rendering import worker  # noqa: F401  (connects the worker's start-up checks)
