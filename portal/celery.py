import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_the_portals_logging(**kwargs) -> None:
    """The worker and beat write the web's JSON lines at LOG_LEVEL (settings.LOGGING), not Celery's own format."""
    from reports.operations.logs import use_django_logging

    use_django_logging()
