"""/healthz: the process answers (nothing else is touched). /readyz: everything a request or a task needs.

The checks are django-health-check's (database, cache, storage written and deleted, Redis, a Celery worker
answering a ping) and one of ours: every migration applied. /readyz answers 200 when all pass and 500 with
one line per check otherwise (`Accept: application/json` or `?format=json` for JSON).
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from reports.operations.access import monitoring_only


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """A new image started against a database that was not migrated serves errors on every changed page."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self) -> None:
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise ServiceUnavailable("cannot read the applied migrations") from exc
        finally:
            connection.close()
        if pending:
            raise ServiceUnavailable(f"{len(pending)} migrations not applied: run manage.py migrate")


def readiness_checks() -> list:
    checks: list = [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
        MigrationsApplied,
    ]
    if settings.REDIS_URL:
        from redis.asyncio import Redis

        url = settings.REDIS_URL
        checks.append(("health_check.contrib.redis.Redis", {"client_factory": lambda: Redis.from_url(url)}))
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # Returns as soon as one worker answers; a second round asks the workers which queues they consume.
        checks.append(("health_check.contrib.celery.Ping", {"limit": 1}))
    return checks


@never_cache
def liveness(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@monitoring_only
async def readiness(request: HttpRequest) -> HttpResponse:
    # Built per request, so that the checks follow the settings (the tests change them).
    return await HealthCheckView.as_view(checks=readiness_checks())(request)
