from celery import shared_task

from reports.audit.services import prune_security_log


@shared_task(acks_late=True)
def prune_old_security_events() -> int:
    return prune_security_log()
