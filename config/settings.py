"""Settings come from the environment (12-factor); see README "Configuration"."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .business import *  # noqa: E402, F403 - the business rules' knobs
from .env import DEBUG, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


DEFAULT_SECRET_KEY = "insecure-dev-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the built-in development key. Set SECRET_KEY in the environment, "
        "or DEBUG=1 for local development."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    # API tokens: hashed, expiring, revocable (shops.ApiToken, KNOX_TOKEN_MODEL).
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "axes",
    "core",
    "shops",
    "products",
    "affiliates",
    "orders",
    "logistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL byte anywhere in a request is a 400 naming the field (core.nul).
    "core.nul.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shops.middleware.ConsoleContextMiddleware",
    # PermissionRefused → 403, NotFound → 404 on every page (core.exceptions).
    "core.middleware.DomainErrorMiddleware",
    # Axes must be last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "shops.context_processors.console",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'xiaodian.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run`: the server and the timer loops write to one file; wait for each other's
    # writes (a settlement pass takes seconds) instead of failing with "database is locked".
    # IMMEDIATE: a transaction takes the write lock when it begins, so the wait applies; a
    # read that later turns into a write could not wait and failed at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=30, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): 5 failures per username+IP lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind reverse proxies every request comes from the proxy: TRUSTED_PROXY_COUNT is how many
# proxies in front of the app append to X-Forwarded-For (0: none, use REMOTE_ADDR). The
# client is the address the outermost trusted proxy saw (core.clientip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
# A stranger's failures lock only their own username+IP pair; an address failing this often
# over any usernames (password spraying) is throttled as a whole (shops.logins).
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 30)
AXES_HANDLER = "shops.logins.LoginLockoutHandler"

# API tokens (django-rest-knox): stored as SHA-512 digests, shown once, expire after
# API_TOKEN_TTL_DAYS, revoked by their owner (店铺设置 → API 令牌) or a password change.
KNOX_TOKEN_MODEL = "shops.ApiToken"
# knox's own migrations would create its unused knox_authtoken table (its model is swapped).
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30)),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTH_HEADER_PREFIX": "Token",
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from npm (package-lock.json), never copied into the repo.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
# Uploads (product images): an S3-compatible bucket through django-storages when
# MEDIA_S3_BUCKET is set (`pip install -e ".[s3]"`; credentials from AWS_ACCESS_KEY_ID /
# AWS_SECRET_ACCESS_KEY), otherwise MEDIA_ROOT, served by core.media. See README.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
MEDIA_S3_ENDPOINT_URL = os.environ.get("MEDIA_S3_ENDPOINT_URL", "")
MEDIA_S3_CUSTOM_DOMAIN = os.environ.get("MEDIA_S3_CUSTOM_DOMAIN", "")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": MEDIA_S3_ENDPOINT_URL or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "custom_domain": MEDIA_S3_CUSTOM_DOMAIN or None,
            "location": os.environ.get("MEDIA_S3_PREFIX", "media"),
            # Product images are public, as on any shop: plain, cacheable URLs.
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    if MEDIA_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Celery: a redis:// broker runs tasks on workers; without one, tasks run inline.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
# Eager tasks never reach a broker; "memory://" keeps kombu from looking for one.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", None if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL
)
CELERY_TASK_EAGER_PROPAGATES = True
# Celery closes the database connection around every task unless it may reuse it: a new
# PostgreSQL backend per task costs ~10 ms of CPU, more than a task like order acceptance
# itself. Reused as the web workers reuse theirs (CONN_MAX_AGE; config.celery drops one
# that broke or outlived it), and replaced after this many tasks at the latest.
CELERY_DB_REUSE_MAX = 1000
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "creators-recheck-eligibility": {
        "task": "shops.tasks.creators_recheck_eligibility",
        "schedule": 24 * 60 * 60,
    },
    # Order timers; idempotent, so a late or repeated run is harmless.
    "orders-cancel-unpaid": {"task": "orders.tasks.orders_cancel_unpaid_task", "schedule": 60},
    "orders-complete-due": {"task": "orders.tasks.orders_complete_due_task", "schedule": 60},
    # Order files: exports are kept 7 days; 每日定时导出 start when their time comes.
    "orders-exports-purge": {"task": "orders.files.tasks.exports_purge_task", "schedule": 3600},
    "orders-export-schedules": {
        "task": "orders.files.tasks.export_schedules_task",
        "schedule": 60,
    },
    # Commissions and shop settlements due (completed + SETTLEMENT_DELAY_DAYS); idempotent.
    "ledger-settle-due": {"task": "affiliates.tasks.ledger_settle_due_task", "schedule": 300},
    # 消息推送: fan new outbox events out and send due deliveries (also kicked on changes).
    "orders-webhooks-dispatch": {
        "task": "orders.webhooks.tasks.webhooks_dispatch_task",
        "schedule": 5,
    },
}

if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call is then answered 401 with WWW-Authenticate.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "xiaodian API",
    "DESCRIPTION": "小店后台 REST API. Every object is scoped to the current shop or creator.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status` (and events a from/to status): name each choice set
    # after its class, so the schema has one stable enum per set, not hashed names.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "AfterSaleStatusEnum": "orders.models.AfterSaleStatus",
        "AfterSaleTypeEnum": "orders.models.AfterSaleType",
        "RemarkFlagEnum": "orders.models.RemarkFlag",
        "ProductStatusEnum": "products.models.ProductStatus",
        "OfferStatusEnum": "affiliates.models.OfferStatus",
        "ShopStatusEnum": "shops.models.ShopStatus",
        "TrackingStatusEnum": "logistics.models.TrackingStatus",
        "ShipBatchStatusEnum": "logistics.models.ShipBatchStatus",
    },
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS=1 when the site is served over HTTPS only: plain HTTP is redirected and browsers
# are told (HSTS) never to use it again. Behind a TLS-terminating proxy, name the header
# it sets, e.g. SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https"; only when the proxy
# always sets it, or clients could claim HTTPS themselves.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if proxy_ssl_header := os.environ.get("SECURE_PROXY_SSL_HEADER"):
    header_name, _sep, header_value = proxy_ssl_header.partition(":")
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + header_name.strip().upper().replace("-", "_"),
        header_value.strip() or "https",
    )

# Content-Security-Policy on every response (core.csp): scripts and style sheets only
# from this site, so no inline <script>, on…= handler or <style> in templates. Style
# attributes are allowed (style-src-attr) because ECharts' HTML tooltips are built with
# them; they cannot run script, and img-src keeps them from loading foreign URLs.
# Templates still use classes. Images may come from the media bucket; ECharts and
# Swagger UI draw data: images.
MEDIA_ORIGINS = (
    [f"https://{MEDIA_S3_CUSTOM_DOMAIN}"]
    if MEDIA_S3_CUSTOM_DOMAIN
    else [MEDIA_S3_ENDPOINT_URL.rstrip("/")]
    if MEDIA_S3_ENDPOINT_URL
    else ["https://*.amazonaws.com"]
    if MEDIA_S3_BUCKET
    else []
)
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Inline (eager) tasks would log a line per task into the dev server's output.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
