"""Django settings, read from the environment through config.env (see docs/configuration.md)."""

import ipaddress
import os
import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_choice, env_int, env_list, env_rate, env_str
from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "atelier-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
# Comma-separated URLs of streaming replicas of DATABASE_URL (see Database below).
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI and Redoc as pinned static files: /api/docs/ needs no CDN (no internet).
    "drf_spectacular_sidecar",
    "atelier.core",
    "atelier.collective",
    "atelier.post",
    "atelier.feed",
    "atelier.notification",
    "atelier.gallery",
    "atelier.media",
    "atelier.moderation",
    "atelier.search",
    "atelier.analytics",
    "atelier.dump",
    "atelier.web",
    "atelier.ops",
]

# Off by default: each response says how many SQL queries it ran (atelier/ops/querycount.py).
QUERY_COUNT_HEADER = env_bool("QUERY_COUNT_HEADER", False)

MIDDLEWARE = [
    # First: the request id (X-Request-ID) and one log line per request (atelier/ops).
    "atelier.ops.middleware.RequestLogMiddleware",
    # Times the whole request for Prometheus (atelier/analytics).
    "atelier.analytics.middleware.RequestMetricsMiddleware",
    # A database connection lost mid-request: 503 + Retry-After; a plain read runs once more.
    "atelier.ops.middleware.DatabaseOutageMiddleware",
    # QUERY_COUNT_HEADER=true: the number of SQL queries in X-DB-Queries (`make load`).
    *(["atelier.ops.querycount.QueryCountMiddleware"] if QUERY_COUNT_HEADER else []),
    # With read replicas: whether this request's reads may use one (atelier/ops/routing.py).
    *(["atelier.ops.routing.PrimaryPinMiddleware"] if DATABASE_REPLICA_URLS else []),
    "django.middleware.security.SecurityMiddleware",
    # Django 6's Content-Security-Policy header, from SECURE_CSP below.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Serves the pages' CSS and JS in production too (DEBUG off), with far-future caching.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every answer under /api/ is JSON (unknown paths, Django's own 400s and 500s too).
    "atelier.core.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A log-in form refused by the log-in limits answers 429 (atelier/core/auth_backend.py).
    "atelier.core.auth_backend.LoginLimitedMiddleware",
]

# The one backend: Django's ModelBackend behind the log-in limits that every log-in door
# (pages, token, browsable API, admin) shares (atelier/core/auth_backend.py).
AUTHENTICATION_BACKENDS = ["atelier.core.auth_backend.RateLimitedModelBackend"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: DATABASE_URL, default an SQLite file next to the project -------------------
# Persistent connections, checked before reuse, rather than a connection pool: a gunicorn
# sync worker answers one request at a time, so one connection per worker (per thread with
# WEB_THREADS) is all it can use, and keeping it open saves the connect and authentication
# (a few ms) on every request. CONN_HEALTH_CHECKS pings a reused connection at the start of a
# request, so one closed by a database restart or failover is replaced, not turned into a
# 500. The development server starts a thread per request, which would strand a connection
# per thread, so persistence is off while DEBUG is on. docs/production.md: Database connections.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 600, minimum=0),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
# Read replicas (docs/production.md: Read replicas): reads of GET requests go to one of them, unless
# the client wrote within REPLICA_PIN_SECONDS; writes and everything outside a request go
# to the primary.
for _index, _url in enumerate(DATABASE_REPLICA_URLS):
    DATABASES[f"replica_{_index}"] = {
        **dj_database_url.parse(
            _url,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"],
        ),
        # The test suite has no replica: the alias reads the test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["atelier.ops.routing.PrimaryReplicaRouter"] if DATABASE_REPLICA_URLS else []
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5, minimum=1)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a seed or import writes; a busy timeout instead
    # of "database is locked" errors under concurrent requests. IMMEDIATE transactions
    # take the write lock when they begin, so a writer waits its turn (up to the timeout):
    # a deferred transaction that reads, then writes, cannot wait for the lock and fails
    # at once with "database is locked" if another writer holds it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests run on a file, as the site does, not on Django's shared in-memory database:
    # that one answers concurrent writers with "table is locked" at once, whatever the
    # busy timeout, so the concurrency tests could not test what production does.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME",
        env_str(
            "SQLITE_TEST_DATABASE",
            str(Path(tempfile.gettempdir()) / f"atelier-test-{os.getpid()}.sqlite3"),
        ),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: REDIS_URL, default local memory -------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "atelier.core.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "atelier"),
            "OPTIONS": {
                # Short timeouts: a dead Redis must cost milliseconds, not hang requests.
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "atelier",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

AUTH_USER_MODEL = "core.User"
# Django's four validators, on by default: at least 8 characters, not one of the 20,000
# most common passwords, not like the username or email, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8, minimum=1)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The pages (atelier/web): log in at /login/, land on the feed.
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
try:  # WhiteNoise warns on every request while the collectstatic target does not exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass
# Without `atelier collectstatic`, WhiteNoise finds the files in the apps themselves.
WHITENOISE_USE_FINDERS = True

# A request body larger than this is refused (413) before it is read; the API's largest
# legitimate body (four preference lists of 1,000 ids) is well under 100 KB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Uploaded media (atelier/media; docs/media.md) ---------------------------------------
# Files go through Django's storage API: the file system under MEDIA_ROOT by default, or an
# S3-compatible object store with django-storages (MEDIA_STORAGE=s3, see docs/media.md).
# Either way every file URL is /media/<name>, answered by Atelier after an access check.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MEDIA_S3_BUCKET", ""),
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("MEDIA_S3_REGION", "") or None,
            "location": env_str("MEDIA_S3_PREFIX", ""),
            # A private bucket: viewers are redirected to URLs signed for a short while.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("MEDIA_S3_URL_SECONDS", 300, minimum=1),
            "file_overwrite": False,
        },
    }
    if not _media_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_S3_BUCKET must be set when MEDIA_STORAGE=s3")
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r} is not filesystem or s3")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# API.md's limits: bytes per kind of upload (a 413 beyond), pixels per image (a 400 beyond).
MEDIA_MAX_BYTES = {"image": 20 * 2**20, "audio": 50 * 2**20, "video": 200 * 2**20}
MEDIA_MAX_IMAGE_PIXELS = 40_000_000
# Uploads larger than this are spooled to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes anonymous API calls answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only, bounded in size and depth (atelier/core/parsers.py); anything else is 415.
    "DEFAULT_PARSER_CLASSES": ["atelier.core.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Counted per client address, X-Forwarded-For believed only from TRUSTED_PROXIES, and
    # kept in local memory while Redis is down (atelier/core/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "atelier.core.throttling.AnonThrottle",
        "atelier.core.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Generous defaults: a busy client (or a test suite) must not trip them by accident.
        "anon": env_rate("THROTTLE_ANON_RATE", "2000/min"),
        "user": env_rate("THROTTLE_USER_RATE", "6000/min"),
        # Sign-ups and log-in attempts per client address (docs/security.md).
        "auth": env_rate("THROTTLE_AUTH_RATE", "2000/min"),
        # Failed log-ins per (account, client address), and per account from any address:
        # softer, so a stranger needs several addresses to lock a member out.
        "login": env_rate("THROTTLE_LOGIN_RATE", "10/min"),
        "login_account": env_rate("THROTTLE_LOGIN_ACCOUNT_RATE", "50/min"),
        # Uploads cost CPU (decoding, re-encoding) and storage: a scope of their own.
        "upload": env_rate("THROTTLE_UPLOAD_RATE", "600/hour"),
        # Reports: a scope of their own, so a member cannot flood the queue (docs/moderation.md).
        "report": env_rate("THROTTLE_REPORT_RATE", "60/hour"),
        # Accounts younger than NEW_ACCOUNT_HOURS: posts, remarks (comments and critiques
        # together) and uploads per member, each in an hourly and a daily window. The
        # defaults let a new member post 10 times, comment 30 times and upload 10 files in
        # their first hour (issue 18; docs/moderation.md, "New accounts").
        "new_post": env_rate("THROTTLE_NEW_POST_RATE", "10/hour"),
        "new_post_day": env_rate("THROTTLE_NEW_POST_DAY_RATE", "20/day"),
        "new_comment": env_rate("THROTTLE_NEW_COMMENT_RATE", "30/hour"),
        "new_comment_day": env_rate("THROTTLE_NEW_COMMENT_DAY_RATE", "100/day"),
        "new_upload": env_rate("THROTTLE_NEW_UPLOAD_RATE", "10/hour"),
        "new_upload_day": env_rate("THROTTLE_NEW_UPLOAD_DAY_RATE", "30/day"),
    },
    "EXCEPTION_HANDLER": "atelier.core.exceptions.api_exception_handler",
}

# Proxies (addresses or networks) whose X-Forwarded-For is believed; default none.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None

SPECTACULAR_SETTINGS = {
    "TITLE": "Atelier API",
    "DESCRIPTION": (
        "An art community with a personalized, explainable feed. "
        "Authenticate with `Authorization: Token <key>` (POST /api/auth/token/)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # From drf-spectacular-sidecar's static files (pinned with it), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # System fonts: the Redoc page loads no web font (atelier/web/templates/api_docs).
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', sans-serif"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ArtistTypeEnum": "atelier.core.choices.ArtistType",
        "PostTypeEnum": "atelier.core.choices.PostType",
        "FellowStatusEnum": "atelier.core.models.UserFellow.Status",
        "GalleryStatusEnum": "atelier.gallery.models.Gallery.Status",
        "NotificationKindEnum": "atelier.notification.models.Notification.Kind",
    },
}

# --- Production hardening (see `atelier check --deploy`) ------------------------------------
# HTTPS defaults to on whenever DEBUG is off: secure cookies, HSTS, and trusting the
# proxy's X-Forwarded-Proto. Set HTTPS=false only for a plain-HTTP run on a trusted network.
HTTPS = env_bool("HTTPS", not DEBUG)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Redirecting plain HTTP to HTTPS is the TLS-terminating proxy's job in the deployments we
# expect, and a redirect here would break API clients on loopback (health checks, local
# runs with DEBUG off). SECURE_SSL_REDIRECT=true makes Django do it instead; while it is
# off, the deploy check's reminder about it (security.W008) is silenced on purpose.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# The pages load scripts, styles and images from this site only and run no inline code;
# nothing may frame them. (/api/docs/ widens this for Swagger UI's CDN: config/urls.py.)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Analytics (atelier/analytics): /metrics and the feed-exposure buffer -----------------
# /metrics is open to anyone when true, else to staff only.
METRICS_PUBLIC = env_bool("METRICS_PUBLIC", DEBUG)
# Several worker processes (atelier serve): each writes its metrics under this directory
# and /metrics adds them up. prometheus-client opens its files there as soon as a metric is
# defined, so the directory must exist before the apps load.
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "")
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)
# Exposed pages are buffered per process (the oldest dropped beyond EXPOSURE_BUFFER_PAGES)
# and written after a response once EXPOSURE_FLUSH_PAGES pages wait or the oldest has
# waited EXPOSURE_FLUSH_SECONDS.
EXPOSURE_BUFFER_PAGES = env_int("EXPOSURE_BUFFER_PAGES", 10_000, minimum=1)
EXPOSURE_FLUSH_PAGES = env_int("EXPOSURE_FLUSH_PAGES", 100, minimum=1)
EXPOSURE_FLUSH_SECONDS = env_int("EXPOSURE_FLUSH_SECONDS", 10, minimum=0)

# --- Logs: plain text or one JSON object a line (LOG_FORMAT=json) --------------------------
LOG_FORMAT = env_choice("LOG_FORMAT", "plain", ("plain", "json"))
LOGGING = logging_config(
    log_format=LOG_FORMAT,
    level=env_str("LOG_LEVEL", "INFO"),
    extra_loggers={
        "django.request": {"level": "ERROR"},
        "atelier.feed.decisions": {"level": env_str("FEED_DECISION_LOG_LEVEL", "INFO")},
    },
)

# --- Serving: `atelier serve` runs gunicorn with these (atelier/ops) -----------------------
SERVE_HOST = env_str("HOST", "127.0.0.1")
SERVE_PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
# Workers: gunicorn's rule of thumb, 2 per CPU this process may use, plus one. None when
# WEB_CONCURRENCY is unset, so that `atelier serve` can tell a default from a request.
SERVE_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
SERVE_WORKERS = env_int("WEB_CONCURRENCY", 0, minimum=1) or None
SERVE_THREADS = env_int("WEB_THREADS", 1, minimum=1)
# A worker silent for longer than this is killed and replaced (the request gets a 502 from
# the proxy); on a restart, workers get this long to finish their requests.
SERVE_TIMEOUT = env_int("WEB_TIMEOUT", 30, minimum=1)
SERVE_GRACEFUL_TIMEOUT = env_int("WEB_GRACEFUL_TIMEOUT", 30, minimum=1)
SERVE_KEEPALIVE = env_int("WEB_KEEPALIVE", 5, minimum=0)
# Each worker is replaced, gracefully, after about this many requests (0: never).
SERVE_MAX_REQUESTS = env_int("WEB_MAX_REQUESTS", 2000, minimum=0)

# --- Background tasks: Celery with the Redis broker (docs/production.md) ------------
# With TASKS_BROKER_URL set, exposure writes, the analytics rollup and pruning are queued
# in that Redis database and run by `atelier worker`; the schedule by `atelier scheduler`
# (or `atelier worker --beat` on one machine). Unset (the demo, the test suite): every task
# runs inline, in the process that queues it, and nothing is scheduled (analytics prune a
# little after their writes instead). Use a Redis database of its own, not REDIS_URL's:
# the cache may be emptied, the queue must not be.
TASKS_BROKER_URL = env_str("TASKS_BROKER_URL", "")
TASKS_INLINE = not TASKS_BROKER_URL
CELERY_BROKER_URL = TASKS_BROKER_URL or "memory://localhost//"
CELERY_TASK_ALWAYS_EAGER = TASKS_INLINE
# Inline, a failing task raises in the caller, as a function call would.
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, not when a worker takes it: a worker killed
# mid-task (OOM, SIGKILL, a lost machine) leaves it to be delivered again, so every task is
# written to be run twice without harm (idempotent). A pool process that dies mid-task is
# noticed by its worker at once and the task requeued; a whole worker that dies leaves its
# task unacknowledged in Redis, and another worker takes it back after the visibility
# timeout (TASKS_VISIBILITY_TIMEOUT, which must exceed the longest task).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("TASKS_VISIBILITY_TIMEOUT", 3600, minimum=1),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Results are not kept: no task's caller waits for one.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A web process that cannot reach the broker gives up quickly (and writes inline instead).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2}
CELERY_WORKER_CONCURRENCY = env_int("TASKS_WORKER_CONCURRENCY", SERVE_CPUS or 1, minimum=1)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# What runs when (atelier scheduler, or atelier worker --beat); times are UTC.
CELERY_BEAT_SCHEDULE = {
    # Roll up the hours not rolled up yet or still open to attribution (the last day):
    # about a second of database work at a million exposures a month.
    "analytics-rollup-recent": {
        "task": "atelier.analytics.tasks.rollup_analytics",
        "schedule": env_int("ANALYTICS_ROLLUP_SECONDS", 600, minimum=60),
    },
    # Once a night, every day within the retention again: catches what changed afterwards
    # (a heart taken back, a comment imported with an old date).
    "analytics-rollup-all": {
        "task": "atelier.analytics.tasks.rollup_analytics",
        "schedule": crontab(minute=20, hour=0),
        "kwargs": {"all_hours": True},
    },
    "analytics-prune": {
        "task": "atelier.analytics.tasks.prune_analytics",
        "schedule": crontab(minute=40, hour=0),
    },
    "media-prune": {
        "task": "atelier.media.tasks.prune_media",
        "schedule": crontab(minute=50, hour=0),
    },
}
# Where the scheduler keeps the time each scheduled task last ran (a small file).
TASKS_SCHEDULE_FILE = env_str("TASKS_SCHEDULE_FILE", str(BASE_DIR / "var" / "celerybeat-schedule"))

# Moderation (docs/moderation.md): how many days a member has to appeal a decision.
MODERATION_APPEAL_DAYS = env_int("MODERATION_APPEAL_DAYS", 30, minimum=1)
# How long an account counts as new, with the tighter THROTTLE_NEW_* limits (0: never).
NEW_ACCOUNT_HOURS = env_int("NEW_ACCOUNT_HOURS", 24, minimum=0)
# A target is held (seen by its author alone until a decision) once its open reports weigh
# this much (0: never); a reporter's weight falls with their reports dismissed in the last
# MODERATION_HIDE_DISMISSED_DAYS days (docs/moderation.md, "Holds").
MODERATION_HIDE_THRESHOLD = env_int("MODERATION_HIDE_THRESHOLD", 3, minimum=0)
MODERATION_HIDE_DISMISSED_DAYS = env_int("MODERATION_HIDE_DISMISSED_DAYS", 90, minimum=1)
