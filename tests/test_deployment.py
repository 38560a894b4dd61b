"""The production deployment files: docker-compose.yml, deploy/portal.env.example.

Checked with Debian's docker-compose 1.29 (`config` validates and resolves the file;
no Docker engine is needed). The compose file names deploy/portal.env, .env and
deploy/secrets/secret_key, which a fresh clone does not have, so each test lays out
a configured host in a temporary directory: the example copied to deploy/portal.env,
a dummy secret key, and POSTGRES_PASSWORD and the certificate's paths in the environment.
The nginx configuration itself is tested in tests/test_front_server.py.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = Path("/usr/bin/docker-compose")
EXAMPLE = ROOT / "deploy" / "portal.env.example"

needs_compose = pytest.mark.skipif(not COMPOSE.exists(), reason="needs Debian's docker-compose: make system-deps-test")


def configured_host(tmp_path):
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / "deploy" / "secrets").mkdir(parents=True)
    shutil.copy(EXAMPLE, tmp_path / "deploy" / "portal.env")
    (tmp_path / "deploy" / "secrets" / "secret_key").write_text("test-only-secret-key")
    return tmp_path


TLS = {"TLS_CERT_PATH": "/etc/pki/portal/fullchain.pem", "TLS_KEY_PATH": "/etc/pki/portal/privkey.pem"}


def compose(directory, *args, password="test-password", tls=TLS):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("COMPOSE_", "DOCKER_"))}
    for name in ("POSTGRES_PASSWORD", "BACKUP_HOST_DIR", *TLS):
        env.pop(name, None)
    if password is not None:
        env["POSTGRES_PASSWORD"] = password
    env.update(tls)
    return subprocess.run(
        [str(COMPOSE), "--project-directory", str(directory), "-f", str(directory / "docker-compose.yml"), *args],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def resolved_config(directory):
    """The resolved compose file as a dict, parsed by the Python docker-compose runs on (it has PyYAML)."""
    result = compose(directory, "config")
    assert result.returncode == 0, result.stderr
    interpreter = COMPOSE.read_text().splitlines()[0].removeprefix("#!").split()
    to_json = subprocess.run(
        [*interpreter, "-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
        input=result.stdout,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(to_json.stdout)


@needs_compose
def test_the_compose_file_is_valid(tmp_path):
    result = compose(configured_host(tmp_path), "config", "-q")
    assert result.returncode == 0, result.stderr


@needs_compose
def test_the_compose_file_refuses_a_host_without_a_database_password(tmp_path):
    result = compose(configured_host(tmp_path), "config", "-q", password=None)
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


@needs_compose
def test_the_compose_file_refuses_a_host_without_a_certificate(tmp_path):
    result = compose(configured_host(tmp_path), "config", "-q", tls={"TLS_KEY_PATH": TLS["TLS_KEY_PATH"]})
    assert result.returncode != 0
    assert "TLS_CERT_PATH" in result.stderr


@needs_compose
def test_the_compose_file_refuses_a_host_without_its_portal_env(tmp_path):
    host = configured_host(tmp_path)
    (host / "deploy" / "portal.env").unlink()
    result = compose(host, "config", "-q")
    assert result.returncode != 0
    assert "portal.env" in result.stderr


@needs_compose
def test_the_services_are_wired_together_as_production_needs(tmp_path):
    config = resolved_config(configured_host(tmp_path))
    services = config["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat", "nginx"}

    # The image's pg_dump (Debian 12's PostgreSQL 15) must not be older than the server it backs up.
    assert services["db"]["image"] == "postgres:15"
    assert any(volume.startswith("postgres-data:") for volume in services["db"]["volumes"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["image"].startswith("redis:7")
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]

    web_command = services["web"]["command"]
    assert "gunicorn portal.wsgi:application -c deploy/gunicorn.conf.py" in web_command
    assert (
        web_command.index("migrate --noinput")
        < web_command.index("collectstatic --noinput")
        < web_command.index("gunicorn")
    )
    assert "http://127.0.0.1:8000/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "celery -A portal --quiet worker" in services["worker"]["command"]
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "celery -A portal --quiet beat" in services["beat"]["command"]

    media_root = services["web"]["environment"]["MEDIA_ROOT"]
    media_mounts = {
        name: {volume for volume in services[name]["volumes"] if volume.split(":")[1] == media_root}
        for name in ("web", "worker")
    }
    assert media_mounts["web"] == media_mounts["worker"] == {f"media:{media_root}:rw"}
    assert {"postgres-data", "media", "static"} <= set(config["volumes"])
    assert f"{tmp_path}/backups:/app/var/backups:rw" in services["web"]["volumes"]
    for name in ("web", "worker"):
        assert services[name]["environment"]["PROMETHEUS_MULTIPROC_DIR"] == "/app/var/metrics"
    assert services["worker"]["environment"]["WORKER_METRICS_PORT"] == "9808"
    assert "ports" not in services["worker"], "the worker's metrics stay on the compose network"

    for name in ("web", "worker", "beat"):
        service = services[name]
        environment = service["environment"]
        assert environment["DATABASE_URL"] == "postgres://portal:test-password@db:5432/portal"
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DEBUG"] == "false", "deploy/portal.env.example is read through env_file"
        assert environment["SECRET_KEY_FILE"] == "/run/secrets/secret_key"
        assert "SECRET_KEY" not in environment
        assert [secret["source"] for secret in service["secrets"]] == ["secret_key"]
        assert environment["MEDIA_ROOT"] == media_root
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
    assert config["secrets"]["secret_key"]["file"] == str(tmp_path / "deploy" / "secrets" / "secret_key")


@needs_compose
def test_nginx_stands_in_front_with_the_files_it_sends_itself(tmp_path):
    services = resolved_config(configured_host(tmp_path))["services"]
    nginx, web = services["nginx"], services["web"]
    environment = nginx["environment"]
    assert nginx["image"].startswith("nginx:")
    assert {port["target"] for port in nginx["ports"]} == {80, 443}
    assert nginx["depends_on"] == {"web": {"condition": "service_started"}}
    assert environment["PORTAL_UPSTREAM"] == "web:8000"
    assert web["environment"]["X_ACCEL_MEDIA_PREFIX"] == "/internal-media/"
    volumes = set(nginx["volumes"])
    assert f"{tmp_path}/deploy/nginx/portal.conf.template:/etc/nginx/templates/default.conf.template:ro" in volumes
    # nginx reads the same volumes the web writes: collectstatic's output and the PDFs.
    assert f"static:{environment['PORTAL_STATIC_ROOT']}:ro" in volumes
    assert "static:/app/var/staticfiles:rw" in web["volumes"]
    assert f"media:{environment['PORTAL_MEDIA_ROOT']}:ro" in volumes
    assert f"{TLS['TLS_CERT_PATH']}:{environment['PORTAL_TLS_CERTIFICATE']}:ro" in volumes
    assert f"{TLS['TLS_KEY_PATH']}:{environment['PORTAL_TLS_CERTIFICATE_KEY']}:ro" in volumes
    assert "/healthz" in " ".join(nginx["healthcheck"]["test"])
    template = (ROOT / "deploy" / "nginx" / "portal.conf.template").read_text()
    assert set(re.findall(r"\$\{([A-Z_]+)\}", template)) == set(environment)


def test_every_variable_the_settings_read_is_documented_in_the_env_example():
    settings = (ROOT / "portal" / "settings.py").read_text()
    read = set(re.findall(r"\benv\.\w+\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", settings))
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"} <= read

    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", EXAMPLE.read_text(), flags=re.MULTILINE))
    missing = sorted(name for name in read if name not in documented and f"{name}_FILE" not in documented)
    assert not missing, f"add these to deploy/portal.env.example: {missing}"


def test_the_env_example_sets_production_values():
    settings = dict(
        line.split("=", 1) for line in EXAMPLE.read_text().splitlines() if line and not line.startswith("#")
    )
    assert settings["DEBUG"] == "false"
    assert settings["SECURE_COOKIES"] == "true"
    assert settings["ALLOWED_HOSTS"]
    assert all(origin.startswith("https://") for origin in settings["CSRF_TRUSTED_ORIGINS"].split(","))
    assert "SECRET_KEY" not in settings, "the secret key comes from deploy/secrets/secret_key"


def _settings_in_a_fresh_process(**environment):
    """portal.settings as a process with only these variables (and no .env) reads them."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **environment}
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    script = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DEBUG, 'reports.demo' in settings.INSTALLED_APPS)"
    )
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_unless_asked_for_and_then_a_secret_key_is_required(tmp_path):
    production = _settings_in_a_fresh_process(SECRET_KEY="test-only", VAR_DIR=str(tmp_path))
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["False", "False"], "DEBUG and the demo are off by default"
    without_key = _settings_in_a_fresh_process(VAR_DIR=str(tmp_path))
    assert without_key.returncode != 0 and "SECRET_KEY" in without_key.stderr
    demo = _settings_in_a_fresh_process(DEBUG="true", VAR_DIR=str(tmp_path))
    assert demo.stdout.split() == ["True", "True"]


def test_manage_py_without_a_secret_key_says_in_chinese_what_is_missing(tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "VAR_DIR": str(tmp_path)}
    command = [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "check"]
    refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert "门户无法启动" in refused.stderr and "SECRET_KEY" in refused.stderr and "DEBUG=true" in refused.stderr
    assert "Traceback" not in refused.stderr
    started = subprocess.run(
        command, cwd=ROOT, env={**env, "DEBUG": "true"}, capture_output=True, text=True, timeout=60
    )
    assert started.returncode == 0, started.stderr


def test_make_run_turns_debug_on_for_the_demo_and_the_readme_says_so():
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    database = subprocess.run(["make", "-pn", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    database = database.stdout
    assert "run: DEBUG = true" in database
    readme = (ROOT / "README.md").read_text()
    assert "| `DEBUG` | `false` |" in readme
    assert "`make run` turns `DEBUG` on" in readme
