"""Crowdfold settings: one module, every value from the environment (``CROWDFOLD_*``, ``DATABASE_URL``).

The defaults need no services: SQLite in WAL mode under ``var/``, in-process cache. See
docs/configuration.md for the full list.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from crowdfold.lib.env import env_bool, env_float, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CROWDFOLD_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("CROWDFOLD_DEBUG", False)
# A development default; `crowdfold check` flags it in production.
INSECURE_DEFAULT_SECRET_KEY = "crowdfold-insecure-development-key-change-me"
SECRET_KEY = env_str("CROWDFOLD_SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("CROWDFOLD_ALLOWED_HOSTS", ["*"])
CSRF_TRUSTED_ORIGINS = env_list("CROWDFOLD_CSRF_TRUSTED_ORIGINS", [])

BRAND = env_str("CROWDFOLD_BRAND", "Crowdfold")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crowdfold.accounts",
    "crowdfold.projects",
    "crowdfold.tasks",
    "crowdfold.api",
    "crowdfold.web",
    "crowdfold.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    DATABASES["default"]["TEST"] = {"NAME": env_str("CROWDFOLD_TEST_SQLITE", "") or None}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache ----------------------------------------------------------------------------------------
REDIS_URL = env_str("CROWDFOLD_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("REDIS_KEYPREFIX", "crowdfold"),
            "OPTIONS": {"socket_timeout": env_float("REDIS_SOCKET_TIMEOUT", 1.0)},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
LOGIN_URL = "/admin/login/"

# --- i18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = env_str("DEFAULT_LOCALE", "en")
LANGUAGES = [("en", "English"), ("es", "Español"), ("uk", "Українська")]
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
WHITENOISE_USE_FINDERS = True  # works before `collectstatic` too (tests, first run)
MEDIA_URL = "/uploads/"
MEDIA_ROOT = Path(env_str("UPLOAD_FOLDER", str(DATA_DIR / "uploads")))

# --- Mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("CROWDFOLD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("MAIL_DEFAULT_SENDER", "crowdfold@localhost")

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
DEFAULT_N_ANSWERS = env_int("CROWDFOLD_DEFAULT_N_ANSWERS", 30)  # PYBOSSA's default redundancy
# PYBOSSA never checked the project password in the API (#1783); we do unless told otherwise.
API_ENFORCES_PROJECT_PASSWORD = env_bool("CROWDFOLD_API_ENFORCES_PROJECT_PASSWORD", True)
PASSWD_COOKIE_TIMEOUT = env_int("PASSWD_COOKIE_TIMEOUT", 1800)
PROJECT_INFO_PUBLIC_FIELDS = env_list("PROJECT_INFO_PUBLIC_FIELDS", [])
USER_INFO_PUBLIC_FIELDS = env_list("USER_INFO_PUBLIC_FIELDS", [])
CATEGORY_INFO_PUBLIC_FIELDS = env_list("CATEGORY_INFO_PUBLIC_FIELDS", [])
DISABLE_TASK_PRESENTER = env_bool("DISABLE_TASK_PRESENTER", False)
FULLTEXTSEARCH_LANGUAGE = env_str("FULLTEXTSEARCH_LANGUAGE", "english")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("CROWDFOLD_LOG_LEVEL", "WARNING")},
}
