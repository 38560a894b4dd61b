"""Settings for the rule-of-law reporting portal, read from the environment.

With no environment beyond DEBUG=true (what `make run` sets) the portal runs for
development: SQLite, tasks in the process, files under ./var. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS, and leaves DEBUG off (see
README.md and docker-compose.yml). Any variable
may instead be given as NAME_FILE pointing at a file that holds it (secrets).
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()

# Off unless asked for: `make run` turns it on for the demo; a production host that forgets it stays safe.
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "health_check",
    "django_prometheus",
    "reports.agencies",
    "reports.filing",
    "reports.measures",
    "reports.shortcomings",
    "reports.duties",
    "reports.rulings",
    "reports.plans",
    "reports.rendering",
    "reports.notifications",
    "reports.review",
    "reports.publication",
    "reports.transfer",
    "reports.workflow",
    "reports.operations",
    # Issue 13: sign-in (django-axes, OIDC, CAS), the security log, the administrator's console, the province view.
    "axes",
    "csp",
    "mozilla_django_oidc",
    "django_cas_ng",
    "reports.audit",
    "reports.accounts",
    "reports.console",
    "reports.oversight",
]
# The demo (its data, `load_demo`, the synthetic data and the benchmarks) is installed where it is wanted: in
# development by default, never in production unless asked for.
PORTAL_DEMO = env.bool("PORTAL_DEMO", default=DEBUG)
if PORTAL_DEMO:
    INSTALLED_APPS.append("reports.demo")

MIDDLEWARE = [
    # First, so that every log line of the request carries its id; then django-prometheus's pair around the rest.
    "reports.operations.logs.RequestLogMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A visitor's stored report, version, agency and comparison page, answered here with the headers the rest of
    # the way would give (reports.publication.door); every other request goes on.
    "reports.publication.door.PublicDoor",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page for someone logged in is Cache-Control: no-store (drafts, comments).
    "reports.filing.middleware.StaffPagesAreNotStored",
    # Visitors' searches and API requests per client (429 past the rate); then ETag, Last-Modified, 304 and how
    # long a copy may be kept, on the public pages and PDFs (visitors only).
    "reports.publication.throttling.PublicRateLimits",
    "reports.publication.conditional.PublicPageValidators",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reports.operations.site.ChineseErrorPagesMiddleware",
    # Issue 13: the security log's address, the idle timeout, passwords due for change, CSP; axes last (its docs).
    "reports.audit.middleware.AuditMiddleware",
    "reports.accounts.middleware.IdleTimeoutMiddleware",
    "reports.accounts.middleware.PasswordChangeRequiredMiddleware",
    "reports.accounts.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: django-prometheus's pair around all the rest.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reports.notifications.context_processors.inbox",
                "reports.operations.site.site_footer",
                "reports.accounts.context_processors.session",
            ],
        },
    },
]

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

if not env.str("DATABASE_URL", default=""):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A web worker keeps its connection between requests (checked before reuse): opening one costs a cache miss more
# than the page's own query.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# django-prometheus's wrappers of the same back ends count queries, connections and errors for /metrics.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends."
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "filing:workspace"
LOGOUT_REDIRECT_URL = "publication:home"

# --- Issue 13: identification, authentication and sessions (等保 2.0; see docs/security.md) ---
AUTHENTICATION_BACKENDS = [
    "reports.accounts.backends.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "reports.accounts.validators.LengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "reports.accounts.validators.CharacterKindsValidator", "OPTIONS": {"kinds": 3}},
    {"NAME": "reports.accounts.validators.NotUsernameValidator"},
    {"NAME": "reports.accounts.validators.CommonPasswordsValidator"},
    {"NAME": "reports.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"remember": 5}},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "reports.accounts.hashers.OneTimePasswordHasher",
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)  # 0: passwords never expire
PASSWORD_RESET_TIMEOUT = 3600
# django-axes: five failures from one address for one user name lock that pair out for fifteen minutes.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [
    item.split("+") for item in env.list("LOGIN_LOCKOUT_PARAMETERS", default=["username+ip_address"])
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "reports.accounts.views.locked_out"
AXES_IPWARE_PROXY_COUNT = 1 if env.bool("BEHIND_TLS_PROXY", default=False) else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# The idle timeout (with a warning before it) and an absolute limit; the cookie dies with the browser.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_IDLE_WARNING = min(env.int("SESSION_WARNING_MINUTES", default=5) * 60, SESSION_IDLE_TIMEOUT // 2)
SESSION_COOKIE_AGE = env.int("SESSION_MAX_HOURS", default=12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Single sign-on with the province's 统一身份认证 platform: OIDC when OIDC_CLIENT_ID is set, CAS when CAS_SERVER_URL
# is. A person is matched to an existing account (SSO_MATCH_FIELD, username or email) and never given one.
SSO_DISPLAY_NAME = env.str("SSO_DISPLAY_NAME", default="统一身份认证")
SSO_MATCH_FIELD = env.str("SSO_MATCH_FIELD", default="username")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid profile email")
OIDC_MATCH_CLAIM = env.str("OIDC_MATCH_CLAIM", default="preferred_username")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_CALLBACK_CLASS = "reports.accounts.sso.OIDCCallbackView"
CAS_SERVER_URL = env.str("CAS_SERVER_URL", default="")
CAS_VERSION = env.str("CAS_VERSION", default="3")
CAS_USERNAME_ATTRIBUTE = env.str("CAS_USERNAME_ATTRIBUTE", default="cas:user")
CAS_LOCAL_NAME_FIELD = SSO_MATCH_FIELD
CAS_CREATE_USER = False
CAS_REDIRECT_URL = "/work/"
CAS_LOGIN_MSG = "登录成功：%s。"
CAS_LOGGED_MSG = "您已登录（%s）。"
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("reports.accounts.sso.PortalOIDCBackend")
if CAS_SERVER_URL:
    AUTHENTICATION_BACKENDS.append("reports.accounts.sso.PortalCASBackend")
# The Django admin is for superusers only, at a path of the deployment's choosing.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
# The security log is kept at least six months (网络安全法 Article 21); older events are pruned daily.
SECURITY_LOG_RETENTION_DAYS = max(180, env.int("SECURITY_LOG_RETENTION_DAYS", default=365))

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A Redis that cannot be reached is a cache miss (portal/cache.py), never an error page.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Where several portals (or a test run beside a running one) share one Redis.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=""),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# An action whose task cannot reach the broker does not wait long for it: the task's rows stay in the database and
# beat's sweeps queue them once the broker is back (reports/filing/queue.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A PDF's render is stopped past these (seconds; the soft limit lets it fail cleanly, 0 for none) and reads
# 生成失败 with a retry button. Well below the visibility timeout and the render claim's expiry (five minutes).
PDF_SOFT_TIME_LIMIT = env.int("PDF_SOFT_TIME_LIMIT", default=120)
PDF_TIME_LIMIT = env.int("PDF_TIME_LIMIT", default=180)
# Reading an uploaded report file (in the worker): past these seconds, or past this much memory beyond what the
# worker process already uses, the file is refused with a message saying so.
IMPORT_SOFT_TIME_LIMIT = env.int("IMPORT_SOFT_TIME_LIMIT", default=120)
IMPORT_TIME_LIMIT = env.int("IMPORT_TIME_LIMIT", default=150)
IMPORT_MEMORY_LIMIT_MB = env.int("IMPORT_MEMORY_LIMIT_MB", default=1024)
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    "due-date-reminders": {
        "task": "reports.workflow.tasks.send_due_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "reviewer-daily-digest": {
        "task": "reports.workflow.tasks.send_overdue_digests",
        "schedule": crontab(hour=8, minute=30),
    },
    "security-log-retention": {
        "task": "reports.audit.tasks.prune_old_security_events",
        "schedule": crontab(hour=3, minute=15),
    },
    # The outboxes: PDFs and e-mails the broker never got, lost, or a dead worker dropped.
    "pdf-sweep": {"task": "reports.rendering.tasks.sweep_pdfs", "schedule": 120},
    "import-sweep": {"task": "reports.transfer.tasks.sweep_imports", "schedule": 120},
    "email-outbox": {"task": "reports.notifications.tasks.send_waiting_emails", "schedule": 300},
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if env.str("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "access_key": env.str("S3_ACCESS_KEY", default=None),
            "secret_key": env.str("S3_SECRET_KEY", default=None),
            "region_name": env.str("S3_REGION", default=None),
            "default_acl": None,
            "querystring_auth": True,
        },
    }

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# The public JSON API (reports.publication.api) documents itself with drf-spectacular, which needs its schema class.
# Visitors' searches and API requests are counted per client (reports/publication/throttling.py): the client is
# the connection's address, or behind the TLS proxy the address it saw (the last entry of X-Forwarded-For).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "NUM_PROXIES": 1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0,
    "DEFAULT_THROTTLE_RATES": {
        "search": env.str("SEARCH_RATE_LIMIT", default="30/min"),
        "api": env.str("API_RATE_LIMIT", default="120/min"),
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    # e.g. smtp+tls://user:password@smtp.example.gov.cn:587 sets the SMTP back end and its server.
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")

if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "reports.filing.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# --- Issue 13: web hardening (等保 2.0; `manage.py check --deploy` is clean in production, tests/test_hardening.py)
SECURE_SSL_REDIRECT = env.bool("SSL_REDIRECT", default=not DEBUG)
# Health checks and the monitoring scrape come over plain HTTP from inside the deployment (compose, Prometheus).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
# No inline script anywhere (scripts are files under static/js); styles allow the style attributes of charts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A measures section posts about ten fields per point and six per indicator; 200 points with their
# indicators pass Django's default of 1000 fields many times over.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

PORTAL_FONT_DIR = Path(env.str("PORTAL_FONT_DIR", default=str(BASE_DIR / "fonts")))
# The free CJK fonts cut down for the PDF renderer (reports/rendering/fonts.py); rebuilt when missing.
PORTAL_FONT_CACHE_DIR = Path(env.str("PORTAL_FONT_CACHE_DIR", default=str(VAR_DIR / "font-cache")))
PORTAL_DEMO_PASSWORD = "demo-password-2024"

# Operating (README "Operating"): monitoring, logs, error reports, the front server, backups, the site's footer.
# /readyz and /metrics answer these networks (the container's own health check comes from 127.0.0.1) or a
# request with "Authorization: Bearer <MONITORING_TOKEN>"; anyone else gets a 404.
MONITORING_TOKEN = env.str("MONITORING_TOKEN", default="")
MONITORING_ALLOWED_NETWORKS = env.list("MONITORING_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
# The Celery worker's own /metrics (PDF renders, e-mails), on this port when set (docker-compose sets 9808).
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
WORKER_METRICS_ADDRESS = env.str("WORKER_METRICS_ADDRESS", default="127.0.0.1")
# nginx's internal location serving the media volume: PDFs leave by X-Accel-Redirect, not through gunicorn.
X_ACCEL_MEDIA_PREFIX = env.str("X_ACCEL_MEDIA_PREFIX", default="")
# With S3-compatible storage, readers are sent to a presigned address of the PDF (the object store sends it), valid
# this long; false streams it through the worker, where readers cannot reach the object store.
S3_DOWNLOADS_BY_REDIRECT = env.bool("S3_DOWNLOADS_BY_REDIRECT", default=True)
S3_DOWNLOAD_SECONDS = env.int("S3_DOWNLOAD_SECONDS", default=300)
# With DEBUG on, visitors still get the Chinese 404/500 pages unless this is true.
DEBUG_ERROR_PAGES = env.bool("DEBUG_ERROR_PAGES", default=False)
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
# The footer every government website carries: 主办单位, 网站标识码, ICP备案号, 公安机关备案号 (each shown when set).
SITE_SPONSOR = env.str("SITE_SPONSOR", default="")
SITE_IDENTIFIER = env.str("SITE_IDENTIFIER", default="")
SITE_ICP_RECORD = env.str("SITE_ICP_RECORD", default="")
SITE_PUBLIC_SECURITY_RECORD = env.str("SITE_PUBLIC_SECURITY_RECORD", default="")

# One JSON object a line on standard error, with the request id (reports/operations/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "reports.operations.logs.ContextFilter"}},
    "formatters": {"json": {"()": "reports.operations.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        # Through the root's handler only (Django's defaults add a plain-text one in DEBUG).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # RequestLogMiddleware logs each request once, with its id and without its query string.
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}

# Errors also go to a Sentry-compatible server (self-hosted Sentry, GlitchTip) when SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from reports.operations.error_reporting import start_error_reporting

    start_error_reporting(dsn=SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"))
