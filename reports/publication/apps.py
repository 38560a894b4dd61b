from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "reports.publication"
    label = "publication"
    verbose_name = _("公开")

    def ready(self) -> None:
        from reports.publication import signals

        signals.connect()
