"""Settings shared by every environment.

Every secret and deployment-specific value comes from the environment (``DJANGO_`` prefix,
``DATABASE_URL``); see the table in README.md.
"""

import datetime
import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable (1/0, true/false, yes/no, on/off)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Django's admin, with the tracker's AdminSite (its import and deleted-records pages).
    "portal.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Locks the admin's sign-in after repeated failures (see AXES_* below).
    "axes",
    # The layers, bottom up: each app imports only those above it here (tests/site/test_layers.py).
    "core",
    "gates",
    "projects",
    "investment",
    "portal",
]

MIDDLEWARE = [
    # First: the client's address as the trusted proxies saw it, before anything reads it.
    "core.middleware.ClientAddressMiddleware",
    # A request id and one JSON log line per request.
    "core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API in the client's language (?lang=, Accept-Language): it has no language prefix.
    "core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET answer, and 304 Not Modified when the client already has it.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made each change in the history (admin and API alike).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: refuses sign-ins from a locked-out account or address.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Embedded SQLite unless DATABASE_URL names another database (PostgreSQL in production and CI).
SQLITE_PATH = os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))


def database_config() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # WAL lets readers go on while a writer works; IMMEDIATE avoids "database is
                # locked" upgrades in the middle of a write transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's own connection pool (psycopg 3); CONN_MAX_AGE must stay 0 with a pool.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})
        # JIT compilation costs PostgreSQL hundreds of milliseconds on the list and dashboard
        # queries and never pays back on pages of 50 rows.
        config["OPTIONS"].setdefault("options", "-c jit=off")
        # A connection the server dropped (a restart) is found out before it is used.
        config["CONN_HEALTH_CHECKS"] = True
        if env_bool("DJANGO_DB_POOL", True):
            config["OPTIONS"]["pool"] = {
                "min_size": int(os.environ.get("DJANGO_DB_POOL_MIN", "1")),
                "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX", "10")),
                # A request waits at most this long for a connection, then answers 503.
                "timeout": float(os.environ.get("DJANGO_DB_POOL_TIMEOUT", "5")),
            }
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Numbers follow the active locale: 513.200.000.000 in Vietnamese, 513,200,000,000 in English.
USE_THOUSAND_SEPARATOR = True
USE_TZ = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Ho_Chi_Minh")

STATIC_URL = "static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The Leaflet map library comes from the django-leaflet package's static files (served locally,
# no CDN); the package is not an installed app, which would require GeoDjango.
LEAFLET_STATIC = Path(importlib.util.find_spec("leaflet").origin).parent / "static"
STATICFILES_DIRS = [BASE_DIR / "static", LEAFLET_STATIC]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Whether the app itself serves /media/ (local use); behind nginx, nginx does.
TRACKER_SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", False)

REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone reads; Django's model permissions decide who may create, change or delete.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.FormatFirst",
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "core.api.throttling.SignedInRateThrottle",
    ],
    # An empty rate is no limit (DRF's None): make bench lifts the throttles so, rather than with
    # a huge rate, whose history of every request of the last minute is read and written whole
    # on every request.
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_ANON_RATE", "120/minute") or None,
        "user": os.environ.get("DJANGO_API_USER_RATE", "1200/minute") or None,
    },
    "URL_FORMAT_OVERRIDE": "format",
    # Amounts and coordinates as JSON numbers (the schema says number), not strings: what
    # pandas, GIS programs and generated clients expect. Exact up to 2^53 (9 × 10^15 đồng).
    "COERCE_DECIMAL_TO_STRING": False,
    # Clients are told apart by REMOTE_ADDR, which core.middleware.ClientAddressMiddleware sets
    # from the trusted proxies only (never from what the client claims).
    "NUM_PROXIES": 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Border economy tracker API",
    "DESCRIPTION": (
        "Border-gate infrastructure projects, border gates, trade, investors and investments of "
        "Cao Bằng province, with the figures officially reported. Reading is public; writing "
        "needs a staff token (Authorization: Token …) and the model permission. Lists take the "
        "same query string as the public pages: filters, search= (ignores diacritics), "
        "ordering=, page= and page_size= (at most 200). Messages and labels come in "
        "Vietnamese (vi, the default) or English (en): ask with ?lang=en or with the "
        "Accept-Language header; the answer names its language in Content-Language. The data "
        "itself is the same in every language."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_formats",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.Project.Status",
        "GateStatusEnum": "gates.models.Gate.Status",
        "InvestmentStatusEnum": "investment.models.Investment.Status",
        "GateKindEnum": "gates.models.Gate.Kind",
        "GateEventKindEnum": "gates.models.GateEvent.Kind",
        "InvestorKindEnum": "investment.models.Investor.Kind",
        "InvestmentKindEnum": "investment.models.Investment.Kind",
        "ProgrammeKindEnum": "projects.models.Programme.Kind",
        "SourceKindEnum": "core.models.Source.Kind",
        "CountryEnum": "core.codelists.COUNTRY_CHOICES",
        "CurrencyEnum": "core.codelists.CURRENCY_CHOICES",
        "DatePrecisionEnum": "core.models.DatePrecision",
    },
}

# Browsers on other sites may read the API (GET only); writes stay same-origin or token-based.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# One JSON object per line on standard error (see core.logs); DJANGO_LOG_FORMAT=text for people.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.logs.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("DJANGO_LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # core.middleware logs every request once; Django's own request lines would repeat it.
        "django.server": {"level": "WARNING"},
        # Only lockouts and errors, not a line at every start.
        "axes": {"level": "WARNING"},
    },
}

# The cache every worker and server shares: the API throttles, the token lockout and cached
# page data. Redis when DJANGO_CACHE_URL names one (redis://host:6379/0), else this process's
# memory (one worker only: limits then count per process).
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "").strip()
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "tracker"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Culling at Django's default 300 keys would forget throttled clients.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Results kept in the cache until the next write (the dashboard, core.cache): only where every
# worker shares the cache (Redis), or a second worker would show what the first one's write
# retired.
TRACKER_KEEP_RESULTS = env_bool("DJANGO_KEEP_RESULTS", bool(CACHE_URL))

# Proxies in front of the app (nginx: 1). Only then are X-Forwarded-For / -Proto believed, and
# only as far as those proxies vouch for them (core.middleware.client_address).
# Downloads of whole lists (CSV, XLSX, OC4IDS) made at once, site-wide: each reads every row, so
# a few at a time leave the workers' other threads and the other cores to the pages. A download
# waits up to TRACKER_EXPORT_WAIT seconds for a slot, then answers 503 with Retry-After.
# 0: no limit.
TRACKER_EXPORT_SLOTS = int(
    os.environ.get("DJANGO_EXPORT_SLOTS", "") or max(1, (os.cpu_count() or 2) // 2)
)
TRACKER_EXPORT_WAIT = float(os.environ.get("DJANGO_EXPORT_WAIT", "15"))

TRACKER_TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0") or 0)
if TRACKER_TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in lockout (django-axes): 10 failures for one account or from one address within
# 15 minutes lock that account or address for 15 minutes (429, a message in the admin's
# language). Kept in the database, so every worker and server sees it, and a manager can lift a
# lock in the admin (Access attempts → delete) or with `manage.py axes_reset_username NAME`.
TRACKER_LOCKOUT_MINUTES = int(os.environ.get("DJANGO_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=TRACKER_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Wrong API tokens from one address within TRACKER_LOCKOUT_MINUTES before it gets 429.
TRACKER_TOKEN_FAILURE_LIMIT = int(os.environ.get("DJANGO_TOKEN_FAILURE_LIMIT", "10"))

# generate_synthetic may write load-test data only where this is on (never in production).
TRACKER_ALLOW_SYNTHETIC = env_bool("DJANGO_ALLOW_SYNTHETIC", True)

# Background tiles of the public map (the map stays usable without them). Empty: no tiles.
TRACKER_MAP_TILES_URL = os.environ.get(
    "DJANGO_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)

# PostgreSQL collation for sorting names in Vietnamese alphabetical order (ICU); empty: the
# database's default order. Its indexes are created by migrations when the collation exists.
TRACKER_NAME_COLLATION = os.environ.get("DJANGO_NAME_COLLATION", "vi-x-icu")

# OC4IDS export: the project identifier prefix the publisher registered with the Open Contracting
# Partnership (oc4ids-xxxxxx-), and the publisher's name. The default prefix is a placeholder.
TRACKER_OC4IDS_PREFIX = os.environ.get("DJANGO_OC4IDS_PREFIX", "oc4ids-cbtest-")
TRACKER_OC4IDS_PUBLISHER = os.environ.get(
    "DJANGO_OC4IDS_PUBLISHER", "Border economy tracker – Cao Bằng"
)
# The licence of the published data (a canonical licence URI) and the publisher's publication
# policy (a URL; empty: the API's documentation on this site), named in the OC4IDS package.
TRACKER_DATA_LICENSE = os.environ.get(
    "DJANGO_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/"
)
TRACKER_PUBLICATION_POLICY = os.environ.get("DJANGO_PUBLICATION_POLICY", "")

# Photos of progress reports: JPEG, PNG or WebP, at most this many bytes and pixels.
TRACKER_PHOTO_MAX_BYTES = int(os.environ.get("DJANGO_PHOTO_MAX_BYTES", 5 * 1024 * 1024))
TRACKER_PHOTO_MAX_PIXELS = 40_000_000

# The staff dashboard: a project without a progress report for this many days is overdue.
TRACKER_REPORT_OVERDUE_DAYS = 90

# Where a spreadsheet waits between the import's check and its apply (the system's temporary
# folder when empty). With several web servers, a folder they all share.
TRACKER_IMPORT_DIR = os.environ.get("DJANGO_IMPORT_DIR", "")

# Reading an uploaded spreadsheet stops with a message after this many seconds.
TRACKER_IMPORT_TIME_LIMIT = 5

# Where `manage.py backup` creates its dated folders (see docs/backup.md).
TRACKER_BACKUP_DIR = Path(os.environ.get("DJANGO_BACKUP_DIR", str(BASE_DIR / "backups")))
