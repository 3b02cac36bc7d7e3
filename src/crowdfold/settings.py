"""Crowdfold settings: one module, every value from the environment (``CROWDFOLD_*``, ``DATABASE_URL``).

The defaults need no services: SQLite in WAL mode under ``var/``, in-process cache. See
docs/configuration.md for the full list.
"""

from __future__ import annotations

import json
from pathlib import Path

import dj_database_url

from crowdfold.lib import observability, pybossa_settings
from crowdfold.lib.env import (
    env_bool,
    env_float,
    env_int,
    env_json,
    env_list,
    env_str,
    use_file_values,
)
from crowdfold.lib.features import parse_pro_features

# An operator's PYBOSSA settings_local.py, parsed (never executed); its values fill in whatever the
# environment leaves unset. `crowdfold check` reports what in it we do not understand.
PYBOSSA_SETTINGS_FILE = env_str("CROWDFOLD_PYBOSSA_SETTINGS", "")
use_file_values(pybossa_settings.load(PYBOSSA_SETTINGS_FILE).env)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CROWDFOLD_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("CROWDFOLD_DEBUG", False)
# A development default; `crowdfold check` flags it in production.
INSECURE_DEFAULT_SECRET_KEY = "crowdfold-insecure-development-key-change-me"
# PYBOSSA had SECRET_KEY for sessions and ITSDANGEROUSKEY for signed links; Django signs both with one.
SECRET_KEY = (
    env_str("CROWDFOLD_SECRET_KEY", "")
    or env_str("SECRET_KEY", "")
    or env_str("ITSDANGEROUSKEY", "")
    or INSECURE_DEFAULT_SECRET_KEY
)
ALLOWED_HOSTS = env_list("CROWDFOLD_ALLOWED_HOSTS", ["*"])
CSRF_TRUSTED_ORIGINS = env_list("CROWDFOLD_CSRF_TRUSTED_ORIGINS", [])

BRAND = env_str("CROWDFOLD_BRAND", "Crowdfold")
SERVE_HOST = env_str("CROWDFOLD_HOST", "127.0.0.1")  # defaults of `crowdfold serve`
SERVE_PORT = env_int("CROWDFOLD_PORT", 8000)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from our static files, so /api/docs works offline
    "crowdfold.accounts",
    "crowdfold.projects",
    "crowdfold.tasks",
    "crowdfold.data",
    "crowdfold.api",
    "crowdfold.site",
    "crowdfold.web",
    "crowdfold.demo",
    "crowdfold.ops",
    "crowdfold.stats",
    "crowdfold.workshop",
    "huey.contrib.djhuey",
]

# Middleware only pages need step aside for the JSON API: crowdfold/lib/pagesonly.py.
MIDDLEWARE = [
    "crowdfold.lib.proxyheaders.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "crowdfold.lib.csp.ContentSecurityPolicyMiddleware",
    "crowdfold.ops.cors.CorsMiddleware",
    "crowdfold.ops.dbrouter.ReplicaPinMiddleware",
    "crowdfold.lib.pagesonly.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "crowdfold.lib.pagesonly.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "crowdfold.lib.slashes.TrailingSlashMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crowdfold.api.middleware.ApiHeadMiddleware",
    "crowdfold.api.ratelimit.RateLimitMiddleware",
    "crowdfold.lib.pagesonly.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "crowdfold.lib.requestlog.RequestLogMiddleware",
]

ROOT_URLCONF = "crowdfold.urls"
WSGI_APPLICATION = "crowdfold.wsgi.application"

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
                "crowdfold.web.context.site",
                "django.template.context_processors.i18n",
                "crowdfold.site.context.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DEFAULT_SQLITE_PATH = DATA_DIR / "crowdfold.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CROWDFOLD_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
    # transactions never deadlock upgrading a read lock ("database is locked" mid-transaction).
    # A fair writer queue instead of SQLite's napping busy handler (see lib/sqlite_backend).
    DATABASES["default"]["ENGINE"] = "crowdfold.lib.sqlite_backend"
    DATABASES["default"]["CONN_MAX_AGE"] = (
        0 if env_bool("CROWDFOLD_SQLITE_NO_PERSISTENT", False) else 600
    )
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("CROWDFOLD_SQLITE_TIMEOUT", 30),
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
            " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
    }
    # ":memory:" spelled out (Django's default for SQLite) so pytest-xdist leaves it alone: each
    # worker process has its own in-memory test database.
    DATABASES["default"]["TEST"] = {"NAME": env_str("CROWDFOLD_TEST_SQLITE", "") or ":memory:"}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # A dead connection (PostgreSQL restarted) is replaced before a request uses it; the check
    # looks at the socket first and only asks the server when it has something to say.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "crowdfold.lib.postgresql"

# Read replica (PYBOSSA's SQLALCHEMY_BINDS slave): read-only queries go there while it answers.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
REPLICA_CHECK_INTERVAL = env_float("CROWDFOLD_REPLICA_CHECK_INTERVAL", 5.0)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("CROWDFOLD_CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["crowdfold.ops.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis and cache (crowdfold.ops.cache; docs/operations.md) ----------------------------------------
# PYBOSSA's knobs: REDIS_HOST/PORT/PASSWORD/DB for one server, or REDIS_SENTINEL ("host:port,...")
# + REDIS_MASTER for Sentinel. CROWDFOLD_REDIS_URL (redis://...) is the one-line alternative.
REDIS_SENTINEL = [
    (item.rsplit(":", 1)[0], int(item.rsplit(":", 1)[1]) if ":" in item else 26379)
    for item in env_list("REDIS_SENTINEL", [])
]
REDIS_MASTER = env_str("REDIS_MASTER", "mymaster")
REDIS_HOST = env_str("REDIS_HOST", "")
REDIS_PORT = env_int("REDIS_PORT", 6379)
REDIS_PASSWORD = env_str("REDIS_PASSWORD", "")
REDIS_DB = env_int("REDIS_DB", 0)
REDIS_KEYPREFIX = env_str("REDIS_KEYPREFIX", "crowdfold")
REDIS_SOCKET_TIMEOUT = env_float("REDIS_SOCKET_TIMEOUT", 0.5)
REDIS_RETRY_ON_TIMEOUT = env_bool("REDIS_RETRY_ON_TIMEOUT", True)
REDIS_RETRY_AFTER = env_float("CROWDFOLD_REDIS_RETRY_AFTER", 5.0)  # circuit breaker, seconds
# Retry-After (seconds) of the 503 sent while the database or Redis is away (lib/unavailable.py).
UNAVAILABLE_RETRY_AFTER = env_int("CROWDFOLD_UNAVAILABLE_RETRY_AFTER", 2)
REDIS_URL = env_str("CROWDFOLD_REDIS_URL", "")
if not REDIS_URL and REDIS_HOST:
    _auth = f":{REDIS_PASSWORD}@" if REDIS_PASSWORD else ""
    REDIS_URL = f"redis://{_auth}{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
REDIS_CONFIGURED = bool(REDIS_URL or REDIS_SENTINEL)
PYBOSSA_REDIS_CACHE_DISABLED = env_bool("PYBOSSA_REDIS_CACHE_DISABLED", False)


def _cache(prefix: str) -> dict:
    if not REDIS_CONFIGURED:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    options = {
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        "retry_on_timeout": REDIS_RETRY_ON_TIMEOUT,
        "retry_after": REDIS_RETRY_AFTER,
    }
    if REDIS_SENTINEL:
        options.update(sentinels=REDIS_SENTINEL, service_name=REDIS_MASTER, db=REDIS_DB)
        if REDIS_PASSWORD:
            options["password"] = REDIS_PASSWORD
    return {
        "BACKEND": "crowdfold.ops.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL or f"sentinel://{REDIS_MASTER}/{REDIS_DB}",
        "KEY_PREFIX": f"{REDIS_KEYPREFIX}:{prefix}",
        "OPTIONS": options,
    }


CACHES = {
    # Shared state (rate limits, sessions, throttles): never disabled.
    "default": _cache("state"),
    # Cached pages and values under the named timeouts below. Without Redis, files under DATA_DIR:
    # shared by the worker processes of `crowdfold serve`, so invalidating a page reaches them all
    # (an in-process cache would keep serving the old page from the other workers).
    "content": (
        {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        if PYBOSSA_REDIS_CACHE_DISABLED
        else _cache("content")
        if REDIS_CONFIGURED
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
}
# PYBOSSA's named timeouts (seconds); crowdfold.ops.cache.remember(key, "APP_TIMEOUT", fn).
CACHE_TIMEOUTS = {
    name: env_int(name, default)
    for name, default in {
        "APP_TIMEOUT": 15 * 60,
        "REGISTERED_USERS_TIMEOUT": 15 * 60,
        "ANON_USERS_TIMEOUT": 5 * 60 * 60,
        "STATS_FRONTPAGE_TIMEOUT": 12 * 60 * 60,
        "STATS_APP_TIMEOUT": 12 * 60 * 60,
        "STATS_DRAFT_TIMEOUT": 24 * 60 * 60,
        "N_APPS_PER_CATEGORY_TIMEOUT": 60 * 60,
        "BROWSE_TASKS_TIMEOUT": 3 * 60 * 60,
        "CATEGORY_TIMEOUT": 24 * 60 * 60,
        "USER_TIMEOUT": 15 * 60,
        "USER_TOP_TIMEOUT": 24 * 60 * 60,
        "USER_TOTAL_TIMEOUT": 24 * 60 * 60,
    }.items()
}
globals().update(CACHE_TIMEOUTS)  # also readable as settings.APP_TIMEOUT etc.

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Auth -----------------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/account/signin"  # the allauth sign-in page (crowdfold.accounts.urls)
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- i18n -----------------------------------------------------------------------------------------
# PYBOSSA's LOCALES (comma-separated codes) picks which of the shipped languages are offered.
_KNOWN_LOCALES = {"en": "English", "es": "Español", "uk": "Українська"}
LANGUAGE_CODE = env_str("DEFAULT_LOCALE", "en")
LANGUAGES = [
    (code, _KNOWN_LOCALES.get(code, code)) for code in env_list("LOCALES", list(_KNOWN_LOCALES))
]
LOCALES = LANGUAGES
LANGUAGE_COOKIE_NAME = "language"  # PYBOSSA's cookie: overrides the browser and the profile
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# `crowdfold serve` runs collectstatic (compressed copies under STATIC_ROOT) and tells its workers so;
# everywhere else (tests, manage.py runserver) files are served straight from the apps.
STATIC_COLLECTED = env_bool("CROWDFOLD_STATIC_COLLECTED", False)
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
MEDIA_URL = "/uploads/"
MEDIA_ROOT = Path(env_str("UPLOAD_FOLDER", str(DATA_DIR / "uploads")))

# --- Uploads (crowdfold.ops.uploads.save_upload) ---------------------------------------------------
# UPLOAD_METHOD: "local" (UPLOAD_FOLDER) or "s3" (any S3-compatible store; replaces Rackspace).
UPLOAD_METHOD = env_str("UPLOAD_METHOD", "local").lower()
if UPLOAD_METHOD == "rackspace":
    raise ValueError(
        "UPLOAD_METHOD=rackspace is not supported: use UPLOAD_METHOD=s3 (docs/operations.md)"
    )
ALLOWED_EXTENSIONS = [
    e.lower().lstrip(".")
    for e in env_list("ALLOWED_EXTENSIONS", ["js", "css", "png", "jpg", "jpeg", "gif", "zip"])
]
UPLOAD_MAX_SIZE = env_int("CROWDFOLD_UPLOAD_MAX_SIZE", 5 * 1024 * 1024)  # bytes per file
UPLOAD_MAX_IMAGE_PIXELS = env_int("CROWDFOLD_UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
AVATAR_ABSOLUTE = env_bool("AVATAR_ABSOLUTE", True)
if UPLOAD_METHOD == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CROWDFOLD_S3_BUCKET", "crowdfold"),
            "endpoint_url": env_str("CROWDFOLD_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("CROWDFOLD_S3_REGION", "") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
            "custom_domain": env_str("CROWDFOLD_S3_CUSTOM_DOMAIN", "") or None,
            "querystring_auth": env_bool("CROWDFOLD_S3_QUERYSTRING_AUTH", False),
            "default_acl": env_str("CROWDFOLD_S3_DEFAULT_ACL", "") or None,
            "file_overwrite": False,
            "location": env_str("CROWDFOLD_S3_PREFIX", "uploads"),
        },
    }
elif UPLOAD_METHOD != "local":
    raise ValueError(f"UPLOAD_METHOD={UPLOAD_METHOD!r}: use 'local' or 's3'")

# --- Mail (crowdfold.ops.mail; PYBOSSA's MAIL_* names) --------------------------------------------
MAIL_SERVER = env_str("MAIL_SERVER", "")
EMAIL_BACKEND = env_str(
    "CROWDFOLD_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if MAIL_SERVER
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = MAIL_SERVER or "localhost"
EMAIL_PORT = env_int("MAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
EMAIL_HOST_USER = env_str("MAIL_USERNAME", "")
EMAIL_HOST_PASSWORD = env_str("MAIL_PASSWORD", "")
EMAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("MAIL_DEFAULT_SENDER", "crowdfold@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# ADMINS: "Ann <ann@example.org>, bob@example.org" -- errors, failed jobs, failed webhooks.
ADMINS = [
    (item.split("<")[0].strip() or item, item.split("<")[-1].rstrip(">").strip())
    for item in env_list("ADMINS", [])
]
DISABLE_EMAIL_NOTIFICATIONS = env_bool("DISABLE_EMAIL_NOTIFICATIONS", False)
# Absolute links in mails (unsubscribe, project pages) and absolute avatar URLs.
CROWDFOLD_BASE_URL = env_str("CROWDFOLD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- CORS (crowdfold.ops.cors; PYBOSSA's Flask-CORS CORS_RESOURCES, JSON in the environment) -------
CORS_RESOURCES = json.loads(env_str("CORS_RESOURCES", "") or "null") or {
    r"/api/*": {
        "origins": "*",
        "allow_headers": ["Content-Type", "Authorization"],
        "max_age": 21600,
    }
}

# --- Background jobs (crowdfold.ops.jobs; Huey) ---------------------------------------------------
# SQLite under DATA_DIR by default, worker inside `crowdfold serve`; Redis for separate
# `crowdfold worker` processes on other machines.
JOBS_REDIS_URL = env_str("CROWDFOLD_JOBS_REDIS_URL", "")
JOBS_RUN_IN_SERVE = env_bool("CROWDFOLD_JOBS_IN_SERVE", True)
FAILED_JOBS_RETRIES = env_int("FAILED_JOBS_RETRIES", 3)
FAILED_JOBS_MAILS = env_int("FAILED_JOBS_MAILS", 7)  # days between reminders of a failed job
JOBS_RETRY_DELAY = env_int("CROWDFOLD_JOBS_RETRY_DELAY", 30)  # seconds, doubled each retry
JOBS_TIMEOUT = env_int("TIMEOUT", 10 * 60)  # PYBOSSA's TIMEOUT: seconds one job may run
JOB_MODULES = env_list("CROWDFOLD_JOB_MODULES", [])  # extra modules defining jobs
HUEY = {
    "huey_class": "huey.RedisHuey" if JOBS_REDIS_URL else "crowdfold.ops.store.DataDirSqliteHuey",
    "name": env_str("HUEY_NAME", "crowdfold"),
    "immediate": env_bool("CROWDFOLD_JOBS_IMMEDIATE", False),
    "results": False,
    "utc": True,
    **({"url": JOBS_REDIS_URL} if JOBS_REDIS_URL else {"filename": str(DATA_DIR / "jobs.sqlite3")}),
    "consumer": {
        "workers": env_int("HUEY_WORKERS", 2),
        "worker_type": env_str("HUEY_WORKER_TYPE", "process"),
        "periodic": env_bool("HUEY_PERIODIC", True),
        "check_worker_health": True,
    },
}
# Periodic jobs (PYBOSSA's names).
WEEKLY_UPDATE_STATS = env_str("WEEKLY_UPDATE_STATS", "Sunday")
UNPUBLISH_PROJECTS = env_bool("UNPUBLISH_PROJECTS", True)
UNPUBLISH_AFTER_MONTHS = env_int("CROWDFOLD_UNPUBLISH_AFTER_MONTHS", 3)  # inactivity before warning
UNPUBLISH_GRACE_DAYS = env_int("CROWDFOLD_UNPUBLISH_GRACE_DAYS", 30)  # warning -> unpublished
USER_INACTIVE_NOTIFICATION = env_int("USER_INACTIVE_NOTIFICATION", 5)  # months
USER_DELETE_AFTER_NOTIFICATION = env_str("USER_DELETE_AFTER_NOTIFICATION", "1 month")
NEWS_URL = env_list("NEWS_URL", [])
# Incremental (see stats/refresh.md), so cheap enough to run often: the issue asks for minutes.
STATS_REFRESH_MINUTES = env_int("CROWDFOLD_STATS_REFRESH_MINUTES", 2)

# --- Webhooks (crowdfold.ops.webhooks) -------------------------------------------------------------
WEBHOOK_MAX_ATTEMPTS = env_int("CROWDFOLD_WEBHOOK_MAX_ATTEMPTS", 1 + FAILED_JOBS_RETRIES)
WEBHOOK_BACKOFF = env_int("CROWDFOLD_WEBHOOK_BACKOFF", 30)  # seconds before the 2nd try, doubling
WEBHOOK_TIMEOUT = env_float("CROWDFOLD_WEBHOOK_TIMEOUT", 10.0)
# Seconds after which a completed task with no recorded webhook event gets one (ops.webhooks).
WEBHOOK_RECONCILE_AFTER = env_int("CROWDFOLD_WEBHOOK_RECONCILE_AFTER", 300)

# --- Proxies and client addresses -----------------------------------------------------------------
# Only when the direct peer is one of these do we believe X-Forwarded-For (PYBOSSA #1887).
TRUSTED_PROXIES = env_list("CROWDFOLD_TRUSTED_PROXIES", [])
# Outgoing requests to user-given URLs (webhooks, importers, feeds) never reach private, loopback or
# link-local addresses unless allowed here (crowdfold.lib.urlsafety).
CROWDFOLD_ALLOW_PRIVATE_URLS = env_bool("CROWDFOLD_ALLOW_PRIVATE_URLS", False)
CROWDFOLD_PRIVATE_URL_ALLOWLIST = env_list("CROWDFOLD_PRIVATE_URL_ALLOWLIST", [])
CRYPTOPAN_DEFAULT_KEY = "32-char-str-for-AES-key-and-pad."
CRYPTOPAN_KEY = env_str("CRYPTOPAN_KEY", CRYPTOPAN_DEFAULT_KEY)

# --- Crowdsourcing behaviour ----------------------------------------------------------------------
API_LIMIT = env_int("LIMIT", 300)  # requests per window per endpoint per client
API_PER = env_int("PER", 900)  # window length in seconds
RATE_LIMIT_ENABLED = env_bool("CROWDFOLD_RATE_LIMIT", True)
RESERVATION_TTL = env_int("CROWDFOLD_RESERVATION_TTL", 3600)  # seconds a served task stays reserved
RESERVATION_SWEEP_INTERVAL = env_int("CROWDFOLD_RESERVATION_SWEEP_INTERVAL", 10)
# Seconds a web process may reuse a project row or an API key's user on the contribution path
# (newtask, taskrun). Changes made in the same process apply at once; 0 turns the reuse off.
HOT_ROW_SECONDS = env_int("CROWDFOLD_HOT_ROW_SECONDS", 5)
DEFAULT_N_ANSWERS = env_int("CROWDFOLD_DEFAULT_N_ANSWERS", 30)  # PYBOSSA's default redundancy
# PYBOSSA never checked the project password in the API (#1783); we do unless told otherwise.
API_ENFORCES_PROJECT_PASSWORD = env_bool("CROWDFOLD_API_ENFORCES_PROJECT_PASSWORD", True)
PASSWD_COOKIE_TIMEOUT = env_int("PASSWD_COOKIE_TIMEOUT", 1800)
PROJECT_INFO_PUBLIC_FIELDS = env_list("PROJECT_INFO_PUBLIC_FIELDS", [])
USER_INFO_PUBLIC_FIELDS = env_list("USER_INFO_PUBLIC_FIELDS", [])
CATEGORY_INFO_PUBLIC_FIELDS = env_list("CATEGORY_INFO_PUBLIC_FIELDS", [])
DISABLE_TASK_PRESENTER = env_bool("DISABLE_TASK_PRESENTER", False)
# Where a sandboxed task presenter may load scripts, styles, pictures and media from, besides us.
PRESENTER_SOURCES = env_list("CROWDFOLD_PRESENTER_SOURCES", ["https:"])
FULLTEXTSEARCH_LANGUAGE = env_str("FULLTEXTSEARCH_LANGUAGE", "english")

# --- Accounts, sign-in and privacy (crowdfold.accounts, django-allauth) ---------------------------
# PYBOSSA's setting names are read as they are and translated into allauth's ACCOUNT_* settings.
ACCOUNT_CONFIRMATION_DISABLED = env_bool("ACCOUNT_CONFIRMATION_DISABLED", False)
ENABLE_TWO_FACTOR_AUTH = env_bool("ENABLE_TWO_FACTOR_AUTH", False)  # mailed one-time code
SPAM = [domain.lower() for domain in env_list("SPAM", [])]  # e-mail domains refused at sign-up
ENFORCE_PRIVACY = env_bool("ENFORCE_PRIVACY", False)  # user lists, profiles, stats: admins only
# LDAP (optional): when LDAP_HOST is set people sign in with their directory account only.
LDAP_HOST = env_str("LDAP_HOST", "")
LDAP_BASE_DN = env_str("LDAP_BASE_DN", "")
LDAP_USERNAME = env_str("LDAP_USERNAME", "")
LDAP_PASSWORD = env_str("LDAP_PASSWORD", "")
LDAP_OBJECTS_DN = env_str("LDAP_OBJECTS_DN", "")
LDAP_OPENLDAP = env_bool("LDAP_OPENLDAP", True)
LDAP_USER_OBJECT_FILTER = env_str("LDAP_USER_OBJECT_FILTER", "inetOrgPerson")
LDAP_USER_FILTER_FIELD = env_str("LDAP_USER_FILTER_FIELD", "uid")
# PYBOSSA field=LDAP attribute pairs, e.g. "fullname=cn,name=uid,email_addr=mail".
LDAP_PYBOSSA_FIELDS = dict(
    pair.split("=", 1)
    for pair in env_list("LDAP_PYBOSSA_FIELDS", ["fullname=cn", "name=uid", "email_addr=mail"])
)

INSTALLED_APPS += ["allauth", "allauth.account", "allauth.socialaccount"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "allauth.account.middleware.AccountMiddleware",
)
# After authentication: a registered person's profile locale applies unless the cookie says otherwise.
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1,
    "crowdfold.accounts.middleware.ProfileLocaleMiddleware",
)
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "crowdfold.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "crowdfold.accounts.forms.SignupExtraForm"  # full name + consent
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none" if ACCOUNT_CONFIRMATION_DISABLED else "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link preview must not confirm; the page asks for a click
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True  # one address per person, replaced once the new one is confirmed
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{BRAND}] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = (
    None  # Django's signed, expiring token (PASSWORD_RESET_TIMEOUT)
)
PASSWORD_RESET_TIMEOUT = env_int("CROWDFOLD_PASSWORD_RESET_TIMEOUT", 3 * 3600)
ACCOUNT_LOGIN_BY_CODE_ENABLED = False  # no password-less sign-in; the code is a second factor only
ACCOUNT_LOGIN_BY_CODE_REQUIRED = {"password"} if ENABLE_TWO_FACTOR_AUTH else False
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
# Failed sign-ins: 10 a minute per address, 5 per 5 minutes per account.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Names that would shadow /account/<route>/ pages.
ACCOUNT_USERNAME_BLACKLIST = [
    "signin", "signout", "register", "profile", "login", "logout", "signup", "password", "email",
    "confirm-email", "forgot-password", "reset-password", "inactive", "reauthenticate", "3rdparty",
    "social", "page", "newsletter", "google", "twitter", "facebook", "vk", "admin", "api",
]  # fmt: skip
SOCIALACCOUNT_PROVIDERS: dict = {}
# Social sign-in: each provider is on when its two settings are set (PYBOSSA/Vulyk names).
for _provider, _id_var, _secret_var in [
    ("google", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"),
    ("twitter", "TWITTER_CONSUMER_KEY", "TWITTER_CONSUMER_SECRET"),
    ("facebook", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET"),
    ("vk", "VK_APP_ID", "VK_APP_SECRET"),
]:
    if env_str(_id_var) and env_str(_secret_var):
        INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": env_str(_id_var), "secret": env_str(_secret_var), "key": ""}]
        }
if LDAP_HOST:
    # "By enabling LDAP, all other means for creating accounts and signing in are disabled."
    AUTHENTICATION_BACKENDS = ["django_python3_ldap.auth.LDAPBackend"]
    INSTALLED_APPS.append("django_python3_ldap")
    ACCOUNT_LOGIN_METHODS = {"username"}
    ACCOUNT_EMAIL_VERIFICATION = "none"  # the directory vouches for its people
    ACCOUNT_LOGIN_BY_CODE_REQUIRED = False
    LDAP_AUTH_URL = [LDAP_HOST if "://" in LDAP_HOST else f"ldap://{LDAP_HOST}"]
    LDAP_AUTH_SEARCH_BASE = LDAP_OBJECTS_DN or LDAP_BASE_DN
    LDAP_AUTH_OBJECT_CLASS = LDAP_USER_OBJECT_FILTER
    LDAP_AUTH_CONNECTION_USERNAME = LDAP_USERNAME or None
    LDAP_AUTH_CONNECTION_PASSWORD = LDAP_PASSWORD or None
    LDAP_AUTH_USER_LOOKUP_FIELDS = ("username",)
    _LDAP_TO_MODEL = {"name": "username", "fullname": "fullname", "email_addr": "email"}
    LDAP_AUTH_USER_FIELDS = {
        _LDAP_TO_MODEL.get(ours, ours): theirs for ours, theirs in LDAP_PYBOSSA_FIELDS.items()
    }
    LDAP_AUTH_USER_FIELDS.setdefault("username", LDAP_USER_FILTER_FIELD)
    # The bind user is a full DN (OpenLDAP), or a bare name for Active Directory.
    LDAP_AUTH_FORMAT_USERNAME = (
        "crowdfold.accounts.ldap.format_username_openldap"
        if LDAP_OPENLDAP
        else "django_python3_ldap.utils.format_username_active_directory"
    )
    LDAP_AUTH_CLEAN_USER_DATA = "crowdfold.accounts.ldap.clean_user_data"
    LDAP_AUTH_FORMAT_SEARCH_FILTERS = "crowdfold.accounts.ldap.format_search_filters"

# --- The site: branding, pages, announcements, themes (crowdfold.site) ----------------------------
LOGO = env_str("LOGO", "")  # a static path, e.g. "img/my_brand.png" inside the theme's static/
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "")
CONTACT_TWITTER = env_str("CONTACT_TWITTER", "")
TERMSOFUSE = env_str("TERMSOFUSE", "")  # link to the operator's terms of use
DATAUSE = env_str("DATAUSE", "https://opendatacommons.org/licenses/by/")  # licence of the answers
ANALYTICS_SNIPPET = env_str("CROWDFOLD_ANALYTICS_SNIPPET", "")  # raw HTML put in every <head>
# PYBOSSA's ANNOUNCEMENT: JSON object with keys admin (alias root), user, owner.
ANNOUNCEMENT = json.loads(env_str("ANNOUNCEMENT", "") or "{}")
# A theme is a folder with info.json, static/ and templates/; its files come before the apps'.
THEME = env_str("THEME", "default")
THEME_DIR = Path(THEME) if "/" in THEME else PACKAGE_DIR / "themes" / THEME
if not (THEME_DIR / "info.json").is_file():
    raise ValueError(f"THEME={THEME!r}: {THEME_DIR}/info.json not found")
THEME_INFO = json.loads((THEME_DIR / "info.json").read_text(encoding="utf-8"))
TEMPLATES[0]["DIRS"] = [THEME_DIR / "templates", *TEMPLATES[0]["DIRS"]]
STATICFILES_DIRS = [THEME_DIR / "static"]
# --- Owner workshop, statistics, leaderboards -----------------------------------------------------
PRESENTERS = env_list("PRESENTERS", ["basic", "image", "sound", "video", "map", "pdf"])
LEADERBOARD = env_int("LEADERBOARD", 20)  # users shown on /leaderboard/
LEADERBOARDS = env_list("LEADERBOARDS", [])  # extra boards scored by a numeric key of User.info
SSE = env_bool("SSE", False)  # live progress by Server-Sent Events (polling otherwise)
# The map template's base map: a tile server ({z}/{x}/{y}; {s} subdomains), else packaged outlines.
MAP_TILE_URL = env_str("CROWDFOLD_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("CROWDFOLD_MAP_TILE_ATTRIBUTION", "")
STATS_SETTLE_SECONDS = env_int("CROWDFOLD_STATS_SETTLE_SECONDS", 30)  # see stats/refresh.md

# --- Imports and exports (crowdfold.data) -----------------------------------------------------------
# Root keys of info left out of CSV exports, and the info sub-key CSV "info only" exports start from.
IGNORE_FLAT_KEYS = env_list("IGNORE_FLAT_KEYS", [])
TASK_CSV_EXPORT_INFO_KEY = env_str("TASK_CSV_EXPORT_INFO_KEY", "")
TASK_RUN_CSV_EXPORT_INFO_KEY = env_str("TASK_RUN_CSV_EXPORT_INFO_KEY", "")
RESULT_CSV_EXPORT_INFO_KEY = env_str("RESULT_CSV_EXPORT_INFO_KEY", "")
# URL importers fetch through lib/urlsafety (CROWDFOLD_ALLOW_PRIVATE_URLS above).
# Imports larger than this many bytes (or from a URL) run as background jobs.
IMPORT_SYNC_MAX_BYTES = env_int("CROWDFOLD_IMPORT_SYNC_MAX_BYTES", 1 << 20)
# CKAN server owners may push their project's data to (empty: the feature is off), and its name.
CKAN_URL = env_str("CKAN_URL", "").rstrip("/")
CKAN_NAME = env_str("CKAN_NAME", "CKAN")

STRICT_SLASHES = env_bool("STRICT_SLASHES", True)  # False: /about/ also reaches /about
# Feature -> available to pro users only (PYBOSSA's PRO_FEATURES); see crowdfold.lib.features.
PRO_FEATURES = parse_pro_features(env_json("PRO_FEATURES", {}))

# --- Security headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env_str("CROWDFOLD_REFERRER_POLICY", "same-origin")
X_FRAME_OPTIONS = "DENY"  # views that must be framed (the presenter frame) opt out one by one
# Content-Security-Policy of every page (crowdfold.lib.csp): extra hosts for scripts, styles, fonts,
# connections and frames, e.g. an analytics service named in CROWDFOLD_ANALYTICS_SNIPPET.
CSP_SOURCES = env_list("CROWDFOLD_CSP_SOURCES", [])
# Behind a TLS-terminating proxy: name the header it sets ("X-Forwarded-Proto"); then requests it marks
# https count as secure, cookies are Secure and HSTS is sent.
SECURE_PROXY_SSL_HEADER_NAME = env_str("CROWDFOLD_SECURE_PROXY_SSL_HEADER", "")
if SECURE_PROXY_SSL_HEADER_NAME:
    _header = "HTTP_" + SECURE_PROXY_SSL_HEADER_NAME.upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (_header, "https")
HTTPS = env_bool("CROWDFOLD_HTTPS", bool(SECURE_PROXY_SSL_HEADER_NAME))
SECURE_HSTS_SECONDS = env_int("CROWDFOLD_HSTS_SECONDS", 31536000 if HTTPS else 0)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS

# --- Observability --------------------------------------------------------------------------------
LOG_LEVEL = env_str("CROWDFOLD_LOG_LEVEL", "WARNING").upper()
LOG_FORMAT = env_str("CROWDFOLD_LOG_FORMAT", "plain")  # plain | json (one JSON object per line)
LOG_FILE = env_str("CROWDFOLD_LOG_FILE", "")  # "" = stderr, "-" = stdout, else a file path
LOGGING = env_json("CROWDFOLD_LOG_DICT_CONFIG", None) or observability.logging_config(
    LOG_LEVEL, LOG_FORMAT, LOG_FILE
)

SENTRY_DSN = env_str("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)
SENTRY_ACTIVE = bool(SENTRY_DSN) and observability.init_sentry(
    SENTRY_DSN, SENTRY_ENVIRONMENT, SENTRY_TRACES_SAMPLE_RATE
)

# Developer tools, shown to signed-in admins only (extra `profiling`).
ENABLE_DEBUG_TOOLBAR = env_bool("ENABLE_DEBUG_TOOLBAR", False)
PROFILER = env_bool("CROWDFOLD_PROFILER", False)  # pyinstrument: admins add ?profile to a URL
if ENABLE_DEBUG_TOOLBAR:
    observability.require_extra("debug_toolbar", "ENABLE_DEBUG_TOOLBAR")
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    )
    DEBUG_TOOLBAR_CONFIG = {
        "SHOW_TOOLBAR_CALLBACK": "crowdfold.lib.observability.admin_only",
        "IS_RUNNING_TESTS": False,
    }
if PROFILER:
    observability.require_extra("pyinstrument", "CROWDFOLD_PROFILER")
    MIDDLEWARE.append("pyinstrument.middleware.ProfilerMiddleware")
    PYINSTRUMENT_SHOW_CALLBACK = "crowdfold.lib.observability.admin_only"
