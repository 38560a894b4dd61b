# Production image of the rule-of-law reporting portal: one image for the web
# server (gunicorn), the Celery worker and Celery beat (see docker-compose.yml).
#
# Static files are collected when the web container starts, not here: settings.py
# refuses to load without SECRET_KEY once DEBUG is false, and no secret belongs
# in an image layer.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts and Pango/HarfBuzz for WeasyPrint's PDFs (as scripts/install-system-deps); pg_dump and
# pg_restore for `manage.py backup` and `restore` (PostgreSQL 15's, like the db service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        postgresql-client \
        fonts-noto-cjk \
        fonts-lxgw-wenkai \
        fonts-hanazono \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid, so that files bind-mounted from the host (the secret key) can be
# made readable to it: see deploy/portal.env.example.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --create-home --home-dir /home/portal \
        --shell /usr/sbin/nologin portal

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

# The code stays owned by root (read-only to the portal user); only var/ is writable.
COPY . .
RUN mkdir -p /app/var/media /app/var/staticfiles /app/var/metrics /app/var/backups \
    && chown -R portal:portal /app/var

# Production defaults; deploy/portal.env and docker-compose.yml set the rest.
# DEBUG=false here means the image fails closed: without SECRET_KEY it will not start.
# TZ: gunicorn's and Celery's own log lines in the portal's time zone, as Django's are.
ENV DJANGO_SETTINGS_MODULE=portal.settings \
    TZ=Asia/Shanghai \
    DEBUG=false \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/var/staticfiles \
    MEDIA_ROOT=/app/var/media

USER portal

EXPOSE 8000

CMD ["gunicorn", "portal.wsgi:application", "-c", "deploy/gunicorn.conf.py"]
