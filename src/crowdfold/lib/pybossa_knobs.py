"""Every setting named in PYBOSSA's configuration guide (and the common ones of its
``settings_local.py.tmpl``): what Crowdfold does with it.

This table is the single source for ``crowdfold check`` and for the table in docs/configuration.md
(``python -m crowdfold.lib.pybossa_knobs`` prints it; a test keeps the two equal).

Status: ``supported`` (same intent, same name or mapped), ``replaced`` (the intent is served by
something better; the note says what), ``planned`` (another open issue delivers it; the file's value is
passed on but nothing reads it yet), ``not supported`` (ignored; the note says why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SUPPORTED, REPLACED, PLANNED, UNSUPPORTED = "supported", "replaced", "planned", "not supported"


@dataclass(frozen=True)
class Knob:
    name: str  # the PYBOSSA key
    status: str
    env: str  # the environment variable a value in settings_local.py stands for ("" = none)
    setting: str  # how Crowdfold calls it (docs)
    default: str  # Crowdfold's default (docs)
    note: str = ""
    convert: Callable[[object], object] | None = None


def _database_url(value: object) -> object:
    # SQLAlchemy URIs name a driver ("postgresql+psycopg2://"); Django picks its own.
    if isinstance(value, str) and "+" in value.split("://", 1)[0]:
        scheme, rest = value.split("://", 1)
        return f"{scheme.split('+', 1)[0]}://{rest}"
    return value


def _server_name(value: object) -> object:
    return value.rsplit(":", 1)[0] if isinstance(value, str) else value


def _profiler(value: object) -> object:
    return bool(value.get("enabled")) if isinstance(value, dict) else bool(value)


def _k(name, status, env, setting, default, note="", convert=None) -> Knob:
    return Knob(name, status, env, setting, default, note, convert)


_CACHE = "Redis or in-process cache, issue 6.2"
_TIMEOUT_NOTE = f"cache lifetime in seconds ({_CACHE})"

_ALL = [
    # --- Server, security, logging -------------------------------------------------------------
    _k(
        "DEBUG",
        SUPPORTED,
        "CROWDFOLD_DEBUG",
        "CROWDFOLD_DEBUG",
        "false",
        "`crowdfold check` flags it as unsafe",
    ),
    _k(
        "ENABLE_DEBUG_TOOLBAR",
        SUPPORTED,
        "ENABLE_DEBUG_TOOLBAR",
        "ENABLE_DEBUG_TOOLBAR",
        "false",
        "django-debug-toolbar (extra `profiling`), shown to admins only",
    ),
    _k(
        "FLASK_PROFILER",
        REPLACED,
        "CROWDFOLD_PROFILER",
        "CROWDFOLD_PROFILER",
        "false",
        "pyinstrument (maintained; extra `profiling`): admins add `?profile` to any URL. "
        "Its `enabled` key is read; storage and basicAuth are not needed (admin login guards it)",
        _profiler,
    ),
    _k(
        "HOST",
        SUPPORTED,
        "CROWDFOLD_HOST",
        "CROWDFOLD_HOST",
        "127.0.0.1",
        "default of `crowdfold serve --host`",
    ),
    _k(
        "PORT",
        SUPPORTED,
        "CROWDFOLD_PORT",
        "CROWDFOLD_PORT",
        "8000",
        "default of `crowdfold serve --port`",
    ),
    _k(
        "SERVER_NAME",
        SUPPORTED,
        "CROWDFOLD_ALLOWED_HOSTS",
        "CROWDFOLD_ALLOWED_HOSTS",
        "*",
        "becomes the only allowed host name",
        _server_name,
    ),
    _k(
        "SECRET_KEY",
        SUPPORTED,
        "SECRET_KEY",
        "CROWDFOLD_SECRET_KEY or SECRET_KEY",
        "development key",
        "Django's signing key (sessions, CSRF, reset links); `crowdfold check` flags defaults",
    ),
    _k(
        "SECRET",
        REPLACED,
        "",
        "CROWDFOLD_SECRET_KEY",
        "—",
        "Django signs everything with SECRET_KEY",
    ),
    _k(
        "ITSDANGEROUSKEY",
        REPLACED,
        "ITSDANGEROUSKEY",
        "ITSDANGEROUSKEY",
        "—",
        "Django's signing (django.core.signing) replaces itsdangerous: this key is the signing key when "
        "SECRET_KEY is unset, otherwise an accepted fallback key (SECRET_KEY_FALLBACKS)",
    ),
    _k(
        "CRYPTOPAN_KEY",
        SUPPORTED,
        "CRYPTOPAN_KEY",
        "CRYPTOPAN_KEY",
        "PYBOSSA's published key",
        "anonymises volunteers' IPs; `crowdfold check` flags the default",
    ),
    _k(
        "SENTRY_DSN",
        SUPPORTED,
        "SENTRY_DSN",
        "SENTRY_DSN",
        "unset",
        "errors to Sentry (extra `sentry`)",
    ),
    _k(
        "LOG_DICT_CONFIG",
        REPLACED,
        "CROWDFOLD_LOG_DICT_CONFIG",
        "CROWDFOLD_LOG_FORMAT, CROWDFOLD_LOG_FILE",
        "plain to stderr",
        "JSON lines or plain text to stderr, stdout or a file; a full dictConfig is "
        "still accepted (loggers are named `crowdfold.*`, not `pybossa`)",
    ),
    _k(
        "STRICT_SLASHES",
        SUPPORTED,
        "STRICT_SLASHES",
        "STRICT_SLASHES",
        "true",
        "false: `/about/` redirects (308) to `/about` instead of 404",
    ),
    _k(
        "PRO_FEATURES",
        SUPPORTED,
        "PRO_FEATURES",
        "PRO_FEATURES",
        "all pro-only",
        "dict of feature → pro-only; read by crowdfold.lib.features.feature_available",
    ),
    _k("ADMINS", PLANNED, "ADMINS", "ADMINS", "none", "error and failed-job mails, issue 6.6"),
    # --- Database ----------------------------------------------------------------------------------
    _k(
        "SQLALCHEMY_DATABASE_URI",
        SUPPORTED,
        "DATABASE_URL",
        "DATABASE_URL",
        "SQLite under var/",
        "`postgresql://user:pass@host/db`; the `+driver` part is dropped",
        _database_url,
    ),
    _k(
        "SQLALCHEMY_BINDS",
        PLANNED,
        "SQLALCHEMY_BINDS",
        "—",
        "none",
        "read replica (`slave`), issue 6.9",
    ),
    # --- API ---------------------------------------------------------------------------------------
    _k("LIMIT", PLANNED, "LIMIT", "LIMIT", "300", "API rate limit per window, issue 6.3"),
    _k("PER", PLANNED, "PER", "PER", "900", "rate limit window in seconds, issue 6.3"),
    _k(
        "CORS_RESOURCES",
        PLANNED,
        "CORS_RESOURCES",
        "CORS_RESOURCES",
        "`/api/*` from any origin",
        "issue 6.3",
    ),
    # --- Site and theme ----------------------------------------------------------------------------
    _k(
        "BRAND",
        SUPPORTED,
        "CROWDFOLD_BRAND",
        "CROWDFOLD_BRAND",
        "Crowdfold",
        "site name in pages and API",
    ),
    _k("TITLE", PLANNED, "TITLE", "—", "—", "issue 4.3"),
    _k("LOGO", PLANNED, "LOGO", "—", "—", "issue 4.3"),
    _k("COPYRIGHT", PLANNED, "COPYRIGHT", "—", "—", "issue 4.3"),
    _k("DESCRIPTION", PLANNED, "DESCRIPTION", "—", "—", "issue 4.3"),
    _k("CONTACT_EMAIL", PLANNED, "CONTACT_EMAIL", "—", "—", "issue 4.3"),
    _k("CONTACT_TWITTER", PLANNED, "CONTACT_TWITTER", "—", "—", "issue 4.3"),
    _k("TERMSOFUSE", PLANNED, "TERMSOFUSE", "—", "—", "issue 4.3"),
    _k("DATAUSE", PLANNED, "DATAUSE", "—", "—", "issue 4.3"),
    _k("ANNOUNCEMENT", PLANNED, "ANNOUNCEMENT", "—", "—", "issue 4.3"),
    _k("ENFORCE_PRIVACY", PLANNED, "ENFORCE_PRIVACY", "—", "false", "issue 4.2 and 4.3"),
    _k("APPS_PER_PAGE", PLANNED, "APPS_PER_PAGE", "—", "20", "listings, issue 4.3"),
    _k(
        "FULLTEXTSEARCH_LANGUAGE",
        PLANNED,
        "FULLTEXTSEARCH_LANGUAGE",
        "FULLTEXTSEARCH_LANGUAGE",
        "english",
        "project search, issue 4.3",
    ),
    _k("LOCALES", PLANNED, "LOCALES", "—", "en, es, uk", "issue 4.4"),
    _k(
        "DEFAULT_LOCALE",
        SUPPORTED,
        "DEFAULT_LOCALE",
        "DEFAULT_LOCALE",
        "en",
        "Django's LANGUAGE_CODE",
    ),
    _k("LIBSASS_STYLE", UNSUPPORTED, "", "—", "—", "no SASS build step: themes ship plain CSS"),
    # --- Accounts ----------------------------------------------------------------------------------
    _k(
        "ACCOUNT_CONFIRMATION_DISABLED",
        PLANNED,
        "ACCOUNT_CONFIRMATION_DISABLED",
        "—",
        "false",
        "issue 4.1",
    ),
    _k("ACCOUNT_LINK_EXPIRATION", PLANNED, "ACCOUNT_LINK_EXPIRATION", "—", "5 h", "issue 4.1"),
    _k("ENABLE_TWO_FACTOR_AUTH", PLANNED, "ENABLE_TWO_FACTOR_AUTH", "—", "false", "issue 4.1"),
    _k("SPAM", PLANNED, "SPAM", "—", "none", "refused sign-up domains, issue 4.1"),
    *[
        _k(f"LDAP_{part}", PLANNED, f"LDAP_{part}", "—", "—", "issue 4.1")
        for part in (
            "HOST",
            "BASE_DN",
            "USERNAME",
            "PASSWORD",
            "OBJECTS_DN",
            "OPENLDAP",
            "USER_OBJECT_FILTER",
            "USER_FILTER_FIELD",
            "PYBOSSA_FIELDS",
        )
    ],
    *[
        _k(name, PLANNED, name, "—", "—", "optional social sign-in, issue 4.1")
        for name in (
            "GOOGLE_CLIENT_ID",
            "GOOGLE_CLIENT_SECRET",
            "TWITTER_CONSUMER_KEY",
            "TWITTER_CONSUMER_SECRET",
            "FACEBOOK_APP_ID",
            "FACEBOOK_APP_SECRET",
        )
    ],
    _k(
        "PROJECT_INFO_PUBLIC_FIELDS",
        PLANNED,
        "PROJECT_INFO_PUBLIC_FIELDS",
        "PROJECT_INFO_PUBLIC_FIELDS",
        "none",
        "issue 2.5 and 4.2",
    ),
    _k(
        "USER_INFO_PUBLIC_FIELDS",
        PLANNED,
        "USER_INFO_PUBLIC_FIELDS",
        "USER_INFO_PUBLIC_FIELDS",
        "none",
        "issue 2.5 and 4.2",
    ),
    _k(
        "CATEGORY_INFO_PUBLIC_FIELDS",
        PLANNED,
        "CATEGORY_INFO_PUBLIC_FIELDS",
        "CATEGORY_INFO_PUBLIC_FIELDS",
        "none",
        "issue 2.5 and 4.2",
    ),
    _k("AVATAR_ABSOLUTE", PLANNED, "AVATAR_ABSOLUTE", "—", "true", "issue 6.7"),
    # --- Projects and contributing ------------------------------------------------------------------
    _k(
        "PASSWD_COOKIE_TIMEOUT",
        SUPPORTED,
        "PASSWD_COOKIE_TIMEOUT",
        "PASSWD_COOKIE_TIMEOUT",
        "1800",
        "seconds a project password stays valid",
    ),
    _k(
        "DISABLE_TASK_PRESENTER",
        PLANNED,
        "DISABLE_TASK_PRESENTER",
        "DISABLE_TASK_PRESENTER",
        "false",
        "issue 5.1",
    ),
    _k(
        "PRESENTERS",
        PLANNED,
        "PRESENTERS",
        "—",
        "basic, image, sound, video, map, pdf",
        "issue 5.1",
    ),
    _k(
        "TEMPLATE_TASKS",
        PLANNED,
        "TEMPLATE_TASKS",
        "—",
        "samples shipped in the package",
        "issue 5.1",
    ),
    _k("SSE", PLANNED, "SSE", "—", "false", "live progress, issue 5.4"),
    _k("LEADERBOARD", PLANNED, "LEADERBOARD", "—", "20", "issue 5.5"),
    _k("LEADERBOARDS", PLANNED, "LEADERBOARDS", "—", "none", "issue 5.5"),
    # --- Cache ---------------------------------------------------------------------------------------
    _k(
        "PYBOSSA_REDIS_CACHE_DISABLED",
        PLANNED,
        "PYBOSSA_REDIS_CACHE_DISABLED",
        "—",
        "false",
        _CACHE,
    ),
    *[
        _k(name, PLANNED, name, "—", default, _TIMEOUT_NOTE)
        for name, default in (
            ("APP_TIMEOUT", "900"),
            ("REGISTERED_USERS_TIMEOUT", "900"),
            ("ANON_USERS_TIMEOUT", "18000"),
            ("STATS_FRONTPAGE_TIMEOUT", "43200"),
            ("STATS_APP_TIMEOUT", "43200"),
            ("STATS_DRAFT_TIMEOUT", "86400"),
            ("N_APPS_PER_CATEGORY_TIMEOUT", "3600"),
            ("BROWSE_TASKS_TIMEOUT", "10800"),
            ("CATEGORY_TIMEOUT", "86400"),
            ("USER_TIMEOUT", "900"),
            ("USER_TOP_TIMEOUT", "86400"),
            ("USER_TOTAL_TIMEOUT", "86400"),
        )
    ],
    *[
        _k(name, PLANNED, name, "—", default, _CACHE)
        for name, default in (
            ("REDIS_SENTINEL", "none"),
            ("REDIS_MASTER", "—"),
            ("REDIS_HOST", "unset (in-process cache)"),
            ("REDIS_PORT", "6379"),
            ("REDIS_PASSWORD", "none"),
            ("REDIS_DB", "0"),
            ("REDIS_RETRY_ON_TIMEOUT", "—"),
        )
    ],
    _k(
        "REDIS_KEYPREFIX",
        SUPPORTED,
        "REDIS_KEYPREFIX",
        "REDIS_KEYPREFIX",
        "crowdfold",
        "cache key prefix when CROWDFOLD_REDIS_URL is set",
    ),
    _k(
        "REDIS_SOCKET_TIMEOUT",
        SUPPORTED,
        "REDIS_SOCKET_TIMEOUT",
        "REDIS_SOCKET_TIMEOUT",
        "1.0",
        "seconds, when CROWDFOLD_REDIS_URL is set",
    ),
    _k("REDIS_MASTER_DNS", UNSUPPORTED, "", "—", "—", "use REDIS_HOST or REDIS_SENTINEL"),
    _k("REDIS_SLAVE_DNS", UNSUPPORTED, "", "—", "—", "use REDIS_HOST or REDIS_SENTINEL"),
    # --- Background jobs -----------------------------------------------------------------------------
    _k("FAILED_JOBS_RETRIES", PLANNED, "FAILED_JOBS_RETRIES", "—", "3", "issue 6.4"),
    _k("FAILED_JOBS_MAILS", PLANNED, "FAILED_JOBS_MAILS", "—", "7", "issue 6.4"),
    _k("TIMEOUT", PLANNED, "TIMEOUT", "—", "600", "job time limit in seconds, issue 6.4"),
    _k(
        "MINUTE",
        SUPPORTED,
        "",
        "—",
        "—",
        "only a helper constant: usable in the file's expressions (`TIMEOUT = 20 * MINUTE`)",
    ),
    _k("WEEKLY_UPDATE_STATS", PLANNED, "WEEKLY_UPDATE_STATS", "—", "Sunday", "issue 6.4"),
    _k("UNPUBLISH_PROJECTS", PLANNED, "UNPUBLISH_PROJECTS", "—", "true", "issue 6.4"),
    _k(
        "USER_INACTIVE_NOTIFICATION",
        PLANNED,
        "USER_INACTIVE_NOTIFICATION",
        "—",
        "5 (months)",
        "issue 6.4",
    ),
    _k(
        "USER_DELETE_AFTER_NOTIFICATION",
        PLANNED,
        "USER_DELETE_AFTER_NOTIFICATION",
        "—",
        "1 month",
        "issue 6.4",
    ),
    _k("NEWS_URL", PLANNED, "NEWS_URL", "—", "none", "feeds on the admin dashboard, issue 6.4"),
    # --- Mail ------------------------------------------------------------------------------------------
    *[
        _k(f"MAIL_{part}", PLANNED, f"MAIL_{part}", "—", default, "SMTP, issue 6.6")
        for part, default in (
            ("SERVER", "localhost"),
            ("PORT", "25"),
            ("USERNAME", "none"),
            ("PASSWORD", "none"),
            ("USE_TLS", "false"),
            ("USE_SSL", "false"),
            ("FAIL_SILENTLY", "false"),
        )
    ],
    _k(
        "MAIL_DEFAULT_SENDER",
        SUPPORTED,
        "MAIL_DEFAULT_SENDER",
        "MAIL_DEFAULT_SENDER",
        "crowdfold@localhost",
        "Django's DEFAULT_FROM_EMAIL",
    ),
    _k(
        "DISABLE_EMAIL_NOTIFICATIONS",
        PLANNED,
        "DISABLE_EMAIL_NOTIFICATIONS",
        "—",
        "false",
        "blog-post mails, issue 6.6",
    ),
    # --- Uploads ---------------------------------------------------------------------------------------
    _k(
        "UPLOAD_METHOD",
        PLANNED,
        "UPLOAD_METHOD",
        "—",
        "local",
        "local or S3-compatible storage, issue 6.7",
    ),
    _k(
        "UPLOAD_FOLDER",
        SUPPORTED,
        "UPLOAD_FOLDER",
        "UPLOAD_FOLDER",
        "var/uploads",
        "Django's MEDIA_ROOT",
    ),
    _k(
        "ALLOWED_EXTENSIONS",
        PLANNED,
        "ALLOWED_EXTENSIONS",
        "—",
        "js, css, png, jpg, jpeg, gif, zip",
        "issue 6.7",
    ),
    *[
        _k(
            f"RACKSPACE_{part}",
            REPLACED,
            "",
            "UPLOAD_METHOD",
            "—",
            "Rackspace Cloud Files is gone; S3-compatible storage takes its place (issue 6.7)",
        )
        for part in ("USERNAME", "API_KEY", "REGION")
    ],
    # --- Importers and exports ---------------------------------------------------------------------
    _k("IGNORE_FLAT_KEYS", PLANNED, "IGNORE_FLAT_KEYS", "—", "none", "CSV export, issue 3.3"),
    _k("TASK_CSV_EXPORT_INFO_KEY", PLANNED, "TASK_CSV_EXPORT_INFO_KEY", "—", "info", "issue 3.3"),
    _k(
        "TASK_RUN_CSV_EXPORT_INFO_KEY",
        PLANNED,
        "TASK_RUN_CSV_EXPORT_INFO_KEY",
        "—",
        "info",
        "issue 3.3",
    ),
    _k(
        "RESULT_CSV_EXPORT_INFO_KEY",
        PLANNED,
        "RESULT_CSV_EXPORT_INFO_KEY",
        "—",
        "info",
        "issue 3.3",
    ),
    _k("CKAN_NAME", PLANNED, "CKAN_NAME", "—", "—", "issue 3.5"),
    _k("CKAN_URL", PLANNED, "CKAN_URL", "—", "—", "issue 3.5"),
    _k(
        "DROPBOX_APP_KEY",
        UNSUPPORTED,
        "",
        "—",
        "—",
        "the Dropbox chooser needs Dropbox's hosted script; import shared links with the URL importers",
    ),
    _k(
        "YOUTUBE_API_SERVER_KEY",
        UNSUPPORTED,
        "",
        "—",
        "—",
        "the YouTube playlist importer depends on Google's API; import video URLs from CSV/JSON instead",
    ),
    _k("FLICKR_API_KEY", UNSUPPORTED, "", "—", "—", "the Flickr importer depends on Flickr's API"),
    _k(
        "FLICKR_SHARED_SECRET",
        UNSUPPORTED,
        "",
        "—",
        "—",
        "the Flickr importer depends on Flickr's API",
    ),
    # --- Third-party services ------------------------------------------------------------------------
    _k(
        "MAILCHIMP_API_KEY",
        UNSUPPORTED,
        "",
        "—",
        "—",
        "no newsletter sign-up page; sign-up consent is stored for exports to any mailing tool",
    ),
    _k("MAILCHIMP_LIST_ID", UNSUPPORTED, "", "—", "—", "see MAILCHIMP_API_KEY"),
    _k(
        "DISQUS_SECRET_KEY",
        UNSUPPORTED,
        "",
        "—",
        "—",
        "no Disqus single sign-on; a theme can still embed Disqus comments",
    ),
    _k("DISQUS_PUBLIC_KEY", UNSUPPORTED, "", "—", "—", "see DISQUS_SECRET_KEY"),
    _k(
        "ONESIGNAL_APP_ID",
        UNSUPPORTED,
        "",
        "—",
        "—",
        "no web push through OneSignal; volunteers are notified by e-mail",
    ),
    _k("ONESIGNAL_API_KEY", UNSUPPORTED, "", "—", "—", "see ONESIGNAL_APP_ID"),
]

KNOBS: dict[str, Knob] = {knob.name: knob for knob in _ALL}
assert len(KNOBS) == len(_ALL), "duplicate PYBOSSA key in the knob table"


def markdown_table() -> str:
    """The PYBOSSA table of docs/configuration.md."""
    rows = [
        "| PYBOSSA setting | Crowdfold setting | default | status | notes |",
        "|---|---|---|---|---|",
    ]
    for knob in _ALL:
        setting = (
            f"`{knob.setting}`"
            if knob.setting not in ("—", "") and " " not in knob.setting
            else knob.setting
        )
        rows.append(f"| `{knob.name}` | {setting} | {knob.default} | {knob.status} | {knob.note} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
