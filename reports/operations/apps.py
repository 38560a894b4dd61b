from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the portal: health, metrics, logs, backups, upgrades and the public site's conventions."""

    name = "reports.operations"
    label = "operations"
    verbose_name = _("运行维护")

    def ready(self) -> None:
        # Connect the receivers that count renders, e-mails and lockouts and carry the request id into tasks.
        from reports.operations import logs, metrics, worker_metrics

        logs.connect_signals()
        metrics.connect_receivers()
        worker_metrics.connect_worker_signals()
