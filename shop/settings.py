"""Settings for the try-on shop, 12-factor style.

With no environment variables at all the shop runs on SQLite in ``var/``, keeps media in
``var/media`` and feeds a real Celery worker through kombu's filesystem transport in
``var/broker`` (never eager mode). ``DATABASE_URL``, ``CELERY_BROKER_URL`` and the ``AWS_*``
variables switch to PostgreSQL, Redis and private S3 storage.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from shop.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Tests keep their files apart from the dev data: SHOP_TESTING=1 (shop/settings_test.py sets it for
# pytest, tests/support/worker.py for the worker processes a test starts).
TESTING = env_bool("SHOP_TESTING", default=False)
VAR_DIR = Path(env_str("SHOP_VAR_DIR", str(BASE_DIR / "var")))
if TESTING:
    VAR_DIR = VAR_DIR / "test"
# Test runs side by side (several people, one checkout) each get their own SQLite file and broker folder.
TEST_RUN_ID = env_str("SHOP_TEST_RUN_ID", str(os.getpid()))

DJANGO_ENV = env_str("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION or not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_ENV=production or DEBUG is off."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    ["localhost", "127.0.0.1", "[::1]"] + ([] if PRODUCTION else ["testserver"]),
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shop.apps.ShopConfig",
    "accounts",
    "catalog",
    "tryon",
    "orders",
    "sizing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shop.security.ContentSecurityPolicyMiddleware",
    "shop.guards.BadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
ASGI_APPLICATION = "shop.asgi.application"

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
                "shop.context_processors.shop",
                "orders.context_processors.cart",
            ],
            # {% slot "name" %}: where apps above the core add to its pages (shop.hooks)
            "libraries": {"slots": "shop.slots"},
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # A real file, so that a Celery worker process started by a test can open it.
            "TEST": {"NAME": str(VAR_DIR / f"test_db_{TEST_RUN_ID}.sqlite3")},
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 0),
        }
    }
if DATABASE_URL and TESTING:
    # Test runs side by side on one PostgreSQL server each create and drop their own test database.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN_ID}"}
# A worker process started by the test suite is pointed at the test database with this.
if env_str("SHOP_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = env_str("SHOP_DATABASE_NAME")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:product_list"
LOGOUT_REDIRECT_URL = "catalog:product_list"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG or TESTING

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "location": env_str("AWS_LOCATION", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 3600),
            "signature_version": "s3v4",  # signed URLs carry X-Amz-Expires (SigV2 is deprecated)
            "file_overwrite": False,
            # Every object is shown inline under its own name; stored files are re-encoded images.
            "object_parameters": {"ContentDisposition": "inline"},
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: refused before anything is stored when bigger than this.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_UPLOAD_PIXELS = env_int("MAX_UPLOAD_PIXELS", 40_000_000)
# Smallest shorter side (pixels) of a shopper's reference photo and of a product image: smaller ones
# are refused with a sentence saying why (renders and product pages would be blown up blurry).
REFERENCE_PHOTO_MIN_SIDE = env_int("REFERENCE_PHOTO_MIN_SIDE", 256)
PRODUCT_IMAGE_MIN_SIDE = env_int("PRODUCT_IMAGE_MIN_SIDE", 256)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
THUMBNAIL_SIZE = (480, 640)
SHOP_CURRENCY = env_str("SHOP_CURRENCY", "EUR")
CATALOG_PAGE_SIZE = env_int("CATALOG_PAGE_SIZE", 12)
# Orders: the payment provider class (see orders/payments.py; none is wired, orders await payment).
ORDERS_PAYMENT_PROVIDER = env_str("ORDERS_PAYMENT_PROVIDER", "orders.payments.ManualPaymentProvider")

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shop@example.com")
if env_str("EMAIL_HOST"):
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# --- Celery -----------------------------------------------------------------------------------
TRYON_QUEUE_PREPROCESS = "preprocess"
TRYON_QUEUE_RENDER = "render"
# Try-on: the enabled renderers in order of preference (ml.render.registry names them; per product the
# first that renders its kind from its photos wins, the registry's default renderer is always last);
# TRYON_RENDERER (one name) is the older form, still read. Then renders per render task (one renderer
# batch) and parallel render chains per shopper.
TRYON_RENDERER = env_str("TRYON_RENDERER", "")
TRYON_RENDERERS = env_list("TRYON_RENDERERS", [TRYON_RENDERER] if TRYON_RENDERER else [])
TRYON_RENDER_BATCH = env_int("TRYON_RENDER_BATCH", 8)
TRYON_RENDER_CHAINS = env_int("TRYON_RENDER_CHAINS", 2)
# Seconds one render task renders batch after batch before it re-queues the rest (other shoppers' turn).
TRYON_RENDER_TASK_BUDGET_S = env_float("TRYON_RENDER_TASK_BUDGET_S", 20.0)
# Quality gate: a try-on card whose confidence is below the threshold shows the product photo
# with a reason. Empty threshold: the one fitted on the tune review (ml.quality.GATE).
TRYON_QUALITY_GATE = env_bool("TRYON_QUALITY_GATE", True)
TRYON_QUALITY_THRESHOLD = env_float("TRYON_QUALITY_THRESHOLD", None)
# Analysis and rendering work on a copy of each photo at most this many pixels on its long side.
TRYON_WORKING_MAX_SIDE = env_int("TRYON_WORKING_MAX_SIDE", 2048)
# A catalogue visit re-checks the whole catalogue for the shopper when it changed, or after this
# many seconds (0: on every visit); see tryon/services/visits.py.
TRYON_VISIT_ENSURE_S = env_int("TRYON_VISIT_ENSURE_S", 300)
# Size advice: measure the body on the preprocess queue when the photos or the height change.
SIZING_MEASURE_ON_CHANGE = env_bool("SIZING_MEASURE_ON_CHANGE", not TESTING)
# The demo accounts' passwords (manage.py seed_demo); empty: the published ones, never in production.
DEMO_SHOPPER_PASSWORD = env_str("DEMO_SHOPPER_PASSWORD")
DEMO_ADMIN_PASSWORD = env_str("DEMO_ADMIN_PASSWORD")
# ml's configuration (ml.config.MLConfig's fields): ml never reads the environment, shop.apps hands it
# this at start-up. Model files are the operator's (none ships, none is downloaded).
ML_CONFIG = {
    "adgan_checkpoint": env_str("ADGAN_CHECKPOINT"),
    "vgg19_weights": env_str("ML_VGG19_WEIGHTS"),
    "parser_model": env_str("ML_PARSER_MODEL"),
    "parser_labels": env_str("ML_PARSER_LABELS") or "lip",
    "max_image_pixels": env_int("ML_MAX_IMAGE_PIXELS", 40_000_000),
    "body_cache_dir": env_str("ML_BODY_CACHE_DIR"),
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://localhost//"
CELERY_BROKER_DIR = Path(
    env_str("SHOP_BROKER_DIR") or (VAR_DIR / f"broker-{TEST_RUN_ID}" if TESTING else VAR_DIR / "broker")
)
# Folders the local defaults keep their files in: made at start-up (shop.apps), not at import.
LOCAL_FOLDERS = [VAR_DIR, STATIC_ROOT]
if CELERY_BROKER_URL.startswith("filesystem://"):
    LOCAL_FOLDERS += [CELERY_BROKER_DIR, CELERY_BROKER_DIR / "control"]
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.25,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
# Redis/RabbitMQ: one task per process at a time keeps long renders from queueing behind each other.
# The filesystem transport has no event loop: the worker learns of finished tasks only every 2 s, so
# with a prefetch of one it would run at most (concurrency) tasks per 2 s; it needs a deeper prefetch.
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int(
    "CELERY_WORKER_PREFETCH_MULTIPLIER", 16 if CELERY_BROKER_URL.startswith("filesystem://") else 1
)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
# Recovery (see README "Operations"): a task is acknowledged only when it ends; a child killed
# mid-task (SIGKILL, OOM, hard time limit) gives its message back to the queue at once.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Time limits per task: a render task works for TRYON_RENDER_TASK_BUDGET_S (20 s) and re-queues
# itself; an analysis takes seconds on the 2048 px working copy. The soft limit raises in the task,
# the hard one kills the child (whose message then goes back to the queue).
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
# Redis/SQS: a message taken by a worker that vanished (main process killed) comes back after
# this; above the hard limit, so a task still running is never handed to a second worker.
BROKER_VISIBILITY_TIMEOUT_S = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60)
if not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT_S,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
    }
    if TESTING:
        # Test runs side by side on one Redis keep their queues apart (a run purges its queues).
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"test-{TEST_RUN_ID}:"
# An upload must not wait for a broker that is down: a few quick tries, then the sweeper resends.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# The sweeper (tryon.services.leases): Celery beat sends tryon.tasks.sweep every interval; where
# beat is not run, every worker's main process runs it on a timer (TRYON_SWEEP_IN_WORKER).
TRYON_LEASE_S = env_int("TRYON_LEASE_S", 30)
TRYON_SWEEP_INTERVAL_S = env_int("TRYON_SWEEP_INTERVAL_S", 10)
TRYON_SWEEP_IN_WORKER = env_bool("TRYON_SWEEP_IN_WORKER", True)
TRYON_PENDING_REQUEUE_S = env_int("TRYON_PENDING_REQUEUE_S", 120)
TRYON_QUEUE_IDLE_S = env_int("TRYON_QUEUE_IDLE_S", 60)
TRYON_MAX_ATTEMPTS = env_int("TRYON_MAX_ATTEMPTS", 3)
# Analyses made by an older analyzer (or holding an older renderer's extras) are redone on the
# preprocess queue, at most TRYON_STALE_BATCH at a time next to the pending ones, every interval.
TRYON_STALE_INTERVAL_S = env_int("TRYON_STALE_INTERVAL_S", 300)
TRYON_STALE_BATCH = env_int("TRYON_STALE_BATCH", 20)
CELERY_BEAT_SCHEDULE = {
    "tryon-sweep": {"task": "tryon.tasks.sweep", "schedule": float(TRYON_SWEEP_INTERVAL_S)},
    "tryon-analyse-stale": {"task": "tryon.tasks.analyse_stale", "schedule": float(TRYON_STALE_INTERVAL_S)},
}
CELERY_TASK_ROUTES = {
    "catalog.tasks.*": {"queue": CELERY_TASK_DEFAULT_QUEUE},
    "orders.tasks.*": {"queue": CELERY_TASK_DEFAULT_QUEUE},
    "tryon.tasks.analyse_*": {"queue": TRYON_QUEUE_PREPROCESS},
    "tryon.tasks.render_*": {"queue": TRYON_QUEUE_RENDER},
    "sizing.tasks.measure_*": {"queue": TRYON_QUEUE_PREPROCESS},
    "sizing.tasks.draw_*": {"queue": TRYON_QUEUE_PREPROCESS},
}

# --- Cache (rate-limit counters) ----------------------------------------------------------------
# CACHE_URL=redis://host:6379/2 shares counters between hosts; the default file cache shares them
# between the web processes of one host; tests use a per-process memory cache (cleared per test).
CACHE_URL = env_str("CACHE_URL")
FILE_CACHE_MAX_ENTRIES = 20000
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif TESTING or CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # the per-shopper pages are entries too (shop.pagecache): cull past this many files
            "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_MAX_ENTRIES},
        }
    }
# Per-shopper page cache (shop.pagecache): an entry's lifetime in seconds (0: off).
PAGE_CACHE_TTL_S = env_int("PAGE_CACHE_TTL_S", 300)

# --- REST API ---------------------------------------------------------------------------------
# API tokens expire this many seconds after they were issued (and on a password change).
API_TOKEN_TTL_S = env_int("API_TOKEN_TTL_S", 7 * 24 * 3600)
# JSON bodies: bigger ones are a 413, deeper ones a 400 (shop.guards.SafeJSONParser).
API_MAX_JSON_BYTES = env_int("API_MAX_JSON_BYTES", 256 * 1024)
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 32)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request gets a 401 with "WWW-Authenticate: Token".
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [
        "shop.guards.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "shop.pagination.PageNumberPagination",
    # Rates of the API throttles and of the forms (shop.throttling), per client address or user.
    "DEFAULT_THROTTLE_RATES": {
        "login": env_str("THROTTLE_LOGIN", "20/minute"),  # log-in form and token endpoint, per address
        "login_failures": env_str("THROTTLE_LOGIN_FAILURES", "10/hour"),  # wrong passwords per e-mail
        "signup": env_str("THROTTLE_SIGNUP", "10/hour"),
        "password_reset": env_str("THROTTLE_PASSWORD_RESET", "5/hour"),
        "uploads": env_str("THROTTLE_UPLOADS", "30/hour"),  # photo uploads per user
        "renders": env_str("THROTTLE_RENDERS", "60/minute"),  # render/outfit requests per user
        "visits": env_str("THROTTLE_VISITS", "120/minute"),  # API clients telling which cards they show
        "account": env_str("THROTTLE_ACCOUNT", "10/hour"),  # data export and account deletion
    },
    # Proxies in front of the web processes whose X-Forwarded-For is trusted (0: use REMOTE_ADDR).
    "NUM_PROXIES": env_int("DJANGO_NUM_PROXIES", 0),
    "PAGE_SIZE": 12,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Try-on shop API",
    "DESCRIPTION": "Catalogue, account and virtual try-on endpoints.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set (else drf-spectacular warns, and `check --deploy` with it).
    "ENUM_NAME_OVERRIDES": {
        "ReferencePhotoKindEnum": "accounts.models.ReferencePhoto.Kind",
        "RenderKindEnum": "tryon.models.RenderKind",
        "RenderModeEnum": "tryon.models.RenderMode",
    },
}

# --- Security ---------------------------------------------------------------------------------
# Every response: no referrer beyond this site, no MIME sniffing, a Content-Security-Policy
# (shop.security.ContentSecurityPolicyMiddleware; no inline scripts anywhere in the templates).
SECURE_REFERRER_POLICY = env_str("DJANGO_REFERRER_POLICY", "same-origin")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Sessions are read from the cache (written through to the database): a page served from the
# per-shopper page cache then costs one query (the user).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
_media_origins = []
if AWS_STORAGE_BUCKET_NAME:  # signed S3 URLs point at the bucket's own origin
    _endpoint = env_str("AWS_S3_ENDPOINT_URL")
    _media_origins = [_endpoint.rstrip("/")] if _endpoint else ["https://*.amazonaws.com"]
CONTENT_SECURITY_POLICY = env_str("DJANGO_CSP") or "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",  # progress bars set their width in a style attribute
        " ".join(["img-src 'self' data: blob:", *_media_origins]),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The TLS proxy in front sets X-Forwarded-Proto; plain HTTP is redirected to HTTPS.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
