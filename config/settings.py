"""Django settings, read from the environment through config.env (see README: Configuration)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "atelier-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

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
    "atelier.core",
    "atelier.collective",
    "atelier.post",
    "atelier.feed",
    "atelier.notification",
    "atelier.gallery",
    "atelier.media",
    "atelier.analytics",
    "atelier.web",
]

MIDDLEWARE = [
    # First: times the whole request for Prometheus (atelier/analytics).
    "atelier.analytics.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the pages' CSS and JS in production too (DEBUG off), with far-future caching.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a seed or import writes; a busy timeout instead
    # of "database is locked" errors under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
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
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 1, minimum=1)},
    },
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

# --- Uploaded media (atelier/media; README "Media") ---------------------------------------
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
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Generous defaults: a busy client (or a test suite) must not trip them by accident.
        "anon": env_rate("THROTTLE_ANON_RATE", "2000/min"),
        "user": env_rate("THROTTLE_USER_RATE", "6000/min"),
        "auth": env_rate("THROTTLE_AUTH_RATE", "2000/min"),
        # Uploads cost CPU (decoding, re-encoding) and storage: a scope of their own.
        "upload": env_rate("THROTTLE_UPLOAD_RATE", "600/hour"),
    },
    "EXCEPTION_HANDLER": "atelier.core.exceptions.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Atelier API",
    "DESCRIPTION": (
        "An art community with a personalized, explainable feed. "
        "Authenticate with `Authorization: Token <key>` (POST /api/auth/token/)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
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
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Analytics (atelier/analytics): /metrics and the feed-exposure buffer -----------------
# /metrics is open to anyone when true, else to staff only.
METRICS_PUBLIC = env_bool("METRICS_PUBLIC", DEBUG)
# Exposed pages are buffered per process (the oldest dropped beyond EXPOSURE_BUFFER_PAGES)
# and written after a response once EXPOSURE_FLUSH_PAGES pages wait or the oldest has
# waited EXPOSURE_FLUSH_SECONDS.
EXPOSURE_BUFFER_PAGES = env_int("EXPOSURE_BUFFER_PAGES", 10_000, minimum=1)
EXPOSURE_FLUSH_PAGES = env_int("EXPOSURE_FLUSH_PAGES", 100, minimum=1)
EXPOSURE_FLUSH_SECONDS = env_int("EXPOSURE_FLUSH_SECONDS", 10, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "atelier.feed.decisions": {"level": env_str("FEED_DECISION_LOG_LEVEL", "INFO")},
    },
}
