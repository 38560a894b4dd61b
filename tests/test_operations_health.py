"""/healthz says the process answers; /readyz says whether everything behind it does, for monitoring only."""

import pytest
from django.conf import settings as django_settings
from django.db.migrations.recorder import MigrationRecorder

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def test_liveness_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readiness_is_for_monitoring_only(client, db, settings):
    settings.MONITORING_TOKEN = "secret-token"
    assert client.get("/readyz", **OUTSIDE).status_code == 404
    assert client.get("/readyz", headers={"Authorization": "Bearer nope"}, **OUTSIDE).status_code == 404
    settings.CELERY_TASK_ALWAYS_EAGER = True
    allowed = client.get("/readyz", headers={"Authorization": "Bearer secret-token", "Accept": "text/plain"}, **OUTSIDE)
    assert allowed.status_code == 200, allowed.content.decode()


@pytest.mark.integration
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL: asks a real worker")
def test_readiness_checks_the_database_cache_storage_broker_worker_and_migrations(
    celery_worker, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz", headers={"Accept": "text/plain"})
    body = response.content.decode()
    assert response.status_code == 200, body
    for check in ("Database", "Cache", "Storage", "MigrationsApplied", "Redis", "Ping"):
        assert any(line.startswith(check) and line.endswith(": OK") for line in body.splitlines()), (check, body)
    assert not list(tmp_path.rglob("*.txt")), "the storage check deleted what it wrote"


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL: without a broker there is no worker")
def test_readiness_fails_without_a_worker(client, db, settings):
    response = client.get("/readyz", headers={"Accept": "text/plain"})
    assert response.status_code == 500
    assert "Ping" in response.content.decode() and "Celery workers unavailable" in response.content.decode()


def test_readiness_fails_when_storage_cannot_be_written(client, db, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    (tmp_path / "a-file").write_text("")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    response = client.get("/readyz", headers={"Accept": "text/plain"})
    assert response.status_code == 500
    [storage] = [line for line in response.content.decode().splitlines() if line.startswith("Storage")]
    assert not storage.endswith("OK")


def test_readiness_fails_when_the_broker_is_away(client, db, settings):
    from tests.front_server import free_port

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/readyz", headers={"Accept": "text/plain"})
    assert response.status_code == 500
    [redis] = [line for line in response.content.decode().splitlines() if line.startswith("Redis")]
    assert "Unable to connect to Redis" in redis


def test_readiness_fails_while_a_migration_is_not_applied(client, transactional_db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    latest = MigrationRecorder.Migration.objects.filter(app="rendering").order_by("-name").first()
    latest.delete()
    try:
        response = client.get("/readyz", headers={"Accept": "text/plain"})
    finally:
        MigrationRecorder.Migration.objects.create(app=latest.app, name=latest.name, applied=latest.applied)
    assert response.status_code == 500
    assert "1 migrations not applied" in response.content.decode()
