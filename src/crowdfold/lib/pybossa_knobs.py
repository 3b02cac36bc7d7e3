"""Every setting named in PYBOSSA's configuration guide (and the common ones of its
``settings_local.py.tmpl``): what Crowdfold does with it.

This table is the single source for ``crowdfold check`` and for the table in docs/configuration.md
(``python -m crowdfold.lib.pybossa_knobs`` prints it; a test keeps the two equal).

Columns: PYBOSSA key | status | environment variable a value in settings_local.py stands for ("-":
none) | Crowdfold setting | Crowdfold default | note. Status: ``supported`` (same intent, same name or
mapped), ``replaced`` (the intent is served differently; the note says how), ``planned`` (an open
issue delivers it; the file's value is passed on), ``not supported`` (ignored; the note says why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SUPPORTED, REPLACED, PLANNED, UNSUPPORTED = "supported", "replaced", "planned", "not supported"

_TABLE = """
DEBUG | supported | CROWDFOLD_DEBUG | CROWDFOLD_DEBUG | false | `crowdfold check` flags it as unsafe
ENABLE_DEBUG_TOOLBAR | supported | ENABLE_DEBUG_TOOLBAR | ENABLE_DEBUG_TOOLBAR | false | django-debug-toolbar (extra `profiling`), shown to admins only
FLASK_PROFILER | replaced | CROWDFOLD_PROFILER | CROWDFOLD_PROFILER | false | pyinstrument (maintained; extra `profiling`): admins add `?profile` to any URL. Its `enabled` key is read; storage and basicAuth are not needed (admin login guards it)
HOST | supported | CROWDFOLD_HOST | CROWDFOLD_HOST | 127.0.0.1 | default of `crowdfold serve --host`
PORT | supported | CROWDFOLD_PORT | CROWDFOLD_PORT | 8000 | default of `crowdfold serve --port`
SERVER_NAME | supported | CROWDFOLD_ALLOWED_HOSTS | CROWDFOLD_ALLOWED_HOSTS | * | becomes the only allowed host name
SECRET_KEY | supported | SECRET_KEY | CROWDFOLD_SECRET_KEY or SECRET_KEY | development key | Django's signing key (sessions, CSRF, reset links); `crowdfold check` flags defaults
SECRET | replaced | - | CROWDFOLD_SECRET_KEY | — | Django signs everything with SECRET_KEY
ITSDANGEROUSKEY | replaced | ITSDANGEROUSKEY | ITSDANGEROUSKEY | — | Django signs sessions and links with one key: this one is it when SECRET_KEY is unset, otherwise it is unused (`crowdfold check` says so)
CRYPTOPAN_KEY | supported | CRYPTOPAN_KEY | CRYPTOPAN_KEY | PYBOSSA's published key | anonymises volunteers' IPs; `crowdfold check` flags the default
SENTRY_DSN | supported | SENTRY_DSN | SENTRY_DSN | unset | errors to Sentry (extra `sentry`)
LOG_DICT_CONFIG | replaced | CROWDFOLD_LOG_DICT_CONFIG | CROWDFOLD_LOG_FORMAT, CROWDFOLD_LOG_FILE | plain to stderr | JSON lines or plain text to stderr, stdout or a file; a full dictConfig is still accepted (loggers are named `crowdfold.*`, not `pybossa`)
STRICT_SLASHES | supported | STRICT_SLASHES | STRICT_SLASHES | true | false: `/about/` redirects (308) to `/about` instead of 404
PRO_FEATURES | supported | PRO_FEATURES | PRO_FEATURES | all pro-only | dict of feature → pro-only (crowdfold.lib.features); `webhooks` gates setting a project's webhook and its deliveries in the API, `autoimporter` the autoimporter endpoints and its periodic runs
ADMINS | supported | ADMINS | ADMINS | none | who gets mails about errors, failed jobs and failed webhooks
SQLALCHEMY_DATABASE_URI | supported | DATABASE_URL | DATABASE_URL | SQLite under var/ | `postgresql://user:pass@host/db`; the `+driver` part is dropped
SQLALCHEMY_BINDS | supported | DATABASE_REPLICA_URL | DATABASE_REPLICA_URL | none | its `slave` URI becomes the read replica; reads fall back to the primary while it is down
LIMIT | supported | LIMIT | LIMIT | 300 | API requests per window, per endpoint and client (X-RateLimit-* headers, 429 in PYBOSSA's error shape)
PER | supported | PER | PER | 900 | rate-limit window in seconds
CORS_RESOURCES | supported | CORS_RESOURCES | CORS_RESOURCES | `/api/*` from any origin | Flask-CORS's per-path options (origins, methods, headers, credentials, max_age), JSON in the environment
BRAND | supported | CROWDFOLD_BRAND | CROWDFOLD_BRAND | Crowdfold | site name in pages and API
TITLE | not supported | - | — | — | page titles use BRAND
LOGO | supported | LOGO | LOGO | none | a static path inside the theme, e.g. `img/my_brand.png`
COPYRIGHT | not supported | - | — | — | the theme's footer template says it
DESCRIPTION | not supported | - | — | — | the theme's front-page text says it
CONTACT_EMAIL | supported | CONTACT_EMAIL | CONTACT_EMAIL | none | shown in the footer and on the about page
CONTACT_TWITTER | supported | CONTACT_TWITTER | CONTACT_TWITTER | none | shown in the footer
TERMSOFUSE | supported | TERMSOFUSE | TERMSOFUSE | none | link to your terms of use
DATAUSE | supported | DATAUSE | DATAUSE | ODC-By | link to the licence of the answers
ANNOUNCEMENT | supported | ANNOUNCEMENT | ANNOUNCEMENT | none | dict with keys admin (or root), user, owner; JSON in the environment
ENFORCE_PRIVACY | supported | ENFORCE_PRIVACY | ENFORCE_PRIVACY | false | user lists, profiles and stats for admins only
APPS_PER_PAGE | planned | APPS_PER_PAGE | — | 20 | listings, issue 4.3
FULLTEXTSEARCH_LANGUAGE | supported | FULLTEXTSEARCH_LANGUAGE | FULLTEXTSEARCH_LANGUAGE | english | PostgreSQL text-search language of the project search and the API's fulltextsearch=1
LOCALES | supported | LOCALES | LOCALES | en, es, uk | which shipped languages are offered (codes; we ship the names)
DEFAULT_LOCALE | supported | DEFAULT_LOCALE | DEFAULT_LOCALE | en | Django's LANGUAGE_CODE
LIBSASS_STYLE | not supported | - | — | — | no SASS build step: themes ship plain CSS
ACCOUNT_CONFIRMATION_DISABLED | supported | ACCOUNT_CONFIRMATION_DISABLED | ACCOUNT_CONFIRMATION_DISABLED | false | e-mail confirmation at sign-up is on unless this is true
ACCOUNT_LINK_EXPIRATION | replaced | - | CROWDFOLD_PASSWORD_RESET_TIMEOUT | 3 h | Django's signed reset links expire after CROWDFOLD_PASSWORD_RESET_TIMEOUT seconds
ENABLE_TWO_FACTOR_AUTH | supported | ENABLE_TWO_FACTOR_AUTH | ENABLE_TWO_FACTOR_AUTH | false | a one-time code is mailed after the password
SPAM | supported | SPAM | SPAM | none | e-mail domains refused at sign-up
LDAP_HOST | supported | LDAP_HOST | LDAP_HOST | unset | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
LDAP_BASE_DN | supported | LDAP_BASE_DN | LDAP_BASE_DN | — | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
LDAP_USERNAME | supported | LDAP_USERNAME | LDAP_USERNAME | — | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
LDAP_PASSWORD | supported | LDAP_PASSWORD | LDAP_PASSWORD | — | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
LDAP_OBJECTS_DN | supported | LDAP_OBJECTS_DN | LDAP_OBJECTS_DN | — | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
LDAP_OPENLDAP | supported | LDAP_OPENLDAP | LDAP_OPENLDAP | true | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
LDAP_USER_OBJECT_FILTER | supported | LDAP_USER_OBJECT_FILTER | LDAP_USER_OBJECT_FILTER | inetOrgPerson | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
LDAP_USER_FILTER_FIELD | supported | LDAP_USER_FILTER_FIELD | LDAP_USER_FILTER_FIELD | uid | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
LDAP_PYBOSSA_FIELDS | supported | LDAP_PYBOSSA_FIELDS | LDAP_PYBOSSA_FIELDS | fullname=cn, name=uid, email_addr=mail | directory sign-in (django-python3-ldap); local sign-up is off when LDAP_HOST is set
GOOGLE_CLIENT_ID | supported | GOOGLE_CLIENT_ID | GOOGLE_CLIENT_ID | unset | social sign-in (django-allauth), on when both of a pair are set
GOOGLE_CLIENT_SECRET | supported | GOOGLE_CLIENT_SECRET | GOOGLE_CLIENT_SECRET | unset | social sign-in (django-allauth), on when both of a pair are set
TWITTER_CONSUMER_KEY | supported | TWITTER_CONSUMER_KEY | TWITTER_CONSUMER_KEY | unset | social sign-in (django-allauth), on when both of a pair are set
TWITTER_CONSUMER_SECRET | supported | TWITTER_CONSUMER_SECRET | TWITTER_CONSUMER_SECRET | unset | social sign-in (django-allauth), on when both of a pair are set
FACEBOOK_APP_ID | supported | FACEBOOK_APP_ID | FACEBOOK_APP_ID | unset | social sign-in (django-allauth), on when both of a pair are set
FACEBOOK_APP_SECRET | supported | FACEBOOK_APP_SECRET | FACEBOOK_APP_SECRET | unset | social sign-in (django-allauth), on when both of a pair are set
PROJECT_INFO_PUBLIC_FIELDS | supported | PROJECT_INFO_PUBLIC_FIELDS | PROJECT_INFO_PUBLIC_FIELDS | none | `info` keys of a project everyone may read
USER_INFO_PUBLIC_FIELDS | supported | USER_INFO_PUBLIC_FIELDS | USER_INFO_PUBLIC_FIELDS | none | `info` keys of a user everyone may read
CATEGORY_INFO_PUBLIC_FIELDS | supported | CATEGORY_INFO_PUBLIC_FIELDS | CATEGORY_INFO_PUBLIC_FIELDS | none | `info` keys of a category everyone may read
AVATAR_ABSOLUTE | supported | AVATAR_ABSOLUTE | AVATAR_ABSOLUTE | true | absolute avatar URLs (for single-page apps)
PASSWD_COOKIE_TIMEOUT | supported | PASSWD_COOKIE_TIMEOUT | PASSWD_COOKIE_TIMEOUT | 1800 | seconds a project password stays valid
DISABLE_TASK_PRESENTER | supported | DISABLE_TASK_PRESENTER | DISABLE_TASK_PRESENTER | false | publish without a task presenter (projects with their own front end)
PRESENTERS | supported | PRESENTERS | PRESENTERS | basic, image, sound, video, map, pdf | stock presenters offered by the project wizard
TEMPLATE_TASKS | replaced | - | — | samples shipped in the package | every stock presenter's sample tasks ship with Crowdfold (works offline); PYBOSSA's Google Sheets links are not fetched
SSE | supported | SSE | SSE | false | live project progress by Server-Sent Events (polling otherwise)
LEADERBOARD | supported | LEADERBOARD | LEADERBOARD | 20 | people shown on /leaderboard/
LEADERBOARDS | supported | LEADERBOARDS | LEADERBOARDS | none | extra boards scored by a numeric key of a user's `info` (`/leaderboard/?info=foo`)
PYBOSSA_REDIS_CACHE_DISABLED | supported | PYBOSSA_REDIS_CACHE_DISABLED | PYBOSSA_REDIS_CACHE_DISABLED | false | turns the content cache off (shared state such as rate limits stays)
APP_TIMEOUT | supported | APP_TIMEOUT | APP_TIMEOUT | 900 | seconds: project lists of the home and category pages; saving a project or category invalidates them
REGISTERED_USERS_TIMEOUT | supported | REGISTERED_USERS_TIMEOUT | REGISTERED_USERS_TIMEOUT | 900 | seconds: the registered-volunteer count of /stats/
ANON_USERS_TIMEOUT | supported | ANON_USERS_TIMEOUT | ANON_USERS_TIMEOUT | 18000 | seconds: the anonymous-volunteer count of /stats/
STATS_FRONTPAGE_TIMEOUT | supported | STATS_FRONTPAGE_TIMEOUT | STATS_FRONTPAGE_TIMEOUT | 43200 | seconds: /stats/ and /api/globalstats; a stats refresh that sees new answers invalidates them
STATS_APP_TIMEOUT | supported | STATS_APP_TIMEOUT | STATS_APP_TIMEOUT | 43200 | seconds: a published project's statistics page; invalidated when a stats refresh changes its figures
STATS_DRAFT_TIMEOUT | supported | STATS_DRAFT_TIMEOUT | STATS_DRAFT_TIMEOUT | 86400 | seconds: a draft project's statistics page and the draft count of /stats/
N_APPS_PER_CATEGORY_TIMEOUT | supported | N_APPS_PER_CATEGORY_TIMEOUT | N_APPS_PER_CATEGORY_TIMEOUT | 3600 | seconds: the per-category project counts of the home page
BROWSE_TASKS_TIMEOUT | not supported | - | — | — | the task browser is an owner's page that must show imports and deletions at once, so it is not cached (it pages by index)
CATEGORY_TIMEOUT | supported | CATEGORY_TIMEOUT | CATEGORY_TIMEOUT | 86400 | seconds: the category list of the category pages; saving a category invalidates it
USER_TIMEOUT | supported | USER_TIMEOUT | USER_TIMEOUT | 900 | seconds: profile pages (projects, answer count) and the volunteer list; saving the user invalidates them
USER_TOP_TIMEOUT | supported | USER_TOP_TIMEOUT | USER_TOP_TIMEOUT | 86400 | seconds: the leaderboard's top rows; invalidated by each leaderboard refresh
USER_TOTAL_TIMEOUT | supported | USER_TOTAL_TIMEOUT | USER_TOTAL_TIMEOUT | 86400 | seconds: the number of accounts behind the volunteer list's pages
REDIS_SENTINEL | supported | REDIS_SENTINEL | REDIS_SENTINEL | none | Sentinel `host:port` list; wins over REDIS_HOST
REDIS_MASTER | supported | REDIS_MASTER | REDIS_MASTER | mymaster | Sentinel service name
REDIS_HOST | supported | REDIS_HOST | REDIS_HOST | unset (in-process and file cache) | plain Redis server
REDIS_PORT | supported | REDIS_PORT | REDIS_PORT | 6379 | plain Redis server
REDIS_PASSWORD | supported | REDIS_PASSWORD | REDIS_PASSWORD | none | Redis password
REDIS_DB | supported | REDIS_DB | REDIS_DB | 0 | Redis database number
REDIS_RETRY_ON_TIMEOUT | supported | REDIS_RETRY_ON_TIMEOUT | REDIS_RETRY_ON_TIMEOUT | true | retry a Redis call once after a timeout
REDIS_KEYPREFIX | supported | REDIS_KEYPREFIX | REDIS_KEYPREFIX | crowdfold | cache key prefix
REDIS_SOCKET_TIMEOUT | supported | REDIS_SOCKET_TIMEOUT | REDIS_SOCKET_TIMEOUT | 0.5 | seconds before a Redis call gives up (the request then runs uncached)
REDIS_MASTER_DNS | not supported | - | — | — | use REDIS_HOST or REDIS_SENTINEL
REDIS_SLAVE_DNS | not supported | - | — | — | use REDIS_HOST or REDIS_SENTINEL
FAILED_JOBS_RETRIES | supported | FAILED_JOBS_RETRIES | FAILED_JOBS_RETRIES | 3 | retries of a failed background job (Huey)
FAILED_JOBS_MAILS | supported | FAILED_JOBS_MAILS | FAILED_JOBS_MAILS | 7 | days between reminders about a job that still fails
TIMEOUT | supported | TIMEOUT | TIMEOUT | 600 | seconds one background job may run
MINUTE | supported | - | — | — | only a helper constant: usable in the file's expressions (`TIMEOUT = 20 * MINUTE`)
WEEKLY_UPDATE_STATS | supported | WEEKLY_UPDATE_STATS | WEEKLY_UPDATE_STATS | Sunday | day of the weekly stats mail to pro owners
UNPUBLISH_PROJECTS | supported | UNPUBLISH_PROJECTS | UNPUBLISH_PROJECTS | true | unpublish inactive projects after warning their owners
USER_INACTIVE_NOTIFICATION | supported | USER_INACTIVE_NOTIFICATION | USER_INACTIVE_NOTIFICATION | 5 (months) | warn inactive accounts before deletion
USER_DELETE_AFTER_NOTIFICATION | supported | USER_DELETE_AFTER_NOTIFICATION | USER_DELETE_AFTER_NOTIFICATION | 1 month | then delete them (never restricted users or project owners)
NEWS_URL | supported | NEWS_URL | NEWS_URL | none | Atom feeds fetched for the admin dashboard
MAIL_SERVER | supported | MAIL_SERVER | MAIL_SERVER | unset (mail printed to the console) | SMTP server; setting it turns SMTP on
MAIL_PORT | supported | MAIL_PORT | MAIL_PORT | 25 | SMTP port
MAIL_USERNAME | supported | MAIL_USERNAME | MAIL_USERNAME | none | SMTP user
MAIL_PASSWORD | supported | MAIL_PASSWORD | MAIL_PASSWORD | none | SMTP password
MAIL_USE_TLS | supported | MAIL_USE_TLS | MAIL_USE_TLS | false | STARTTLS
MAIL_USE_SSL | supported | MAIL_USE_SSL | MAIL_USE_SSL | false | implicit TLS
MAIL_FAIL_SILENTLY | not supported | - | — | — | mail goes out from background jobs, which retry and report failures to ADMINS
MAIL_DEFAULT_SENDER | supported | MAIL_DEFAULT_SENDER | MAIL_DEFAULT_SENDER | crowdfold@localhost | Django's DEFAULT_FROM_EMAIL
DISABLE_EMAIL_NOTIFICATIONS | supported | DISABLE_EMAIL_NOTIFICATIONS | DISABLE_EMAIL_NOTIFICATIONS | false | no mails to volunteers about projects' blog posts
UPLOAD_METHOD | supported | UPLOAD_METHOD | UPLOAD_METHOD | local | `local` (UPLOAD_FOLDER) or `s3` (any S3-compatible store, CROWDFOLD_S3_*); `rackspace` is ignored with a warning
UPLOAD_FOLDER | supported | UPLOAD_FOLDER | UPLOAD_FOLDER | var/uploads | Django's MEDIA_ROOT
ALLOWED_EXTENSIONS | supported | ALLOWED_EXTENSIONS | ALLOWED_EXTENSIONS | js, css, png, jpg, jpeg, gif, zip | also checked against the file's content
RACKSPACE_USERNAME | replaced | - | UPLOAD_METHOD=s3 | — | Rackspace Cloud Files is gone; any S3-compatible store takes its place (CROWDFOLD_S3_*)
RACKSPACE_API_KEY | replaced | - | UPLOAD_METHOD=s3 | — | Rackspace Cloud Files is gone; any S3-compatible store takes its place (CROWDFOLD_S3_*)
RACKSPACE_REGION | replaced | - | UPLOAD_METHOD=s3 | — | Rackspace Cloud Files is gone; any S3-compatible store takes its place (CROWDFOLD_S3_*)
IGNORE_FLAT_KEYS | supported | IGNORE_FLAT_KEYS | IGNORE_FLAT_KEYS | none | `info` keys left out of CSV flattening
TASK_CSV_EXPORT_INFO_KEY | supported | TASK_CSV_EXPORT_INFO_KEY | TASK_CSV_EXPORT_INFO_KEY | info | the `info` sub-key CSV exports of tasks flatten from
TASK_RUN_CSV_EXPORT_INFO_KEY | supported | TASK_RUN_CSV_EXPORT_INFO_KEY | TASK_RUN_CSV_EXPORT_INFO_KEY | info | the `info` sub-key CSV exports of task runs flatten from
RESULT_CSV_EXPORT_INFO_KEY | supported | RESULT_CSV_EXPORT_INFO_KEY | RESULT_CSV_EXPORT_INFO_KEY | info | the `info` sub-key CSV exports of results flatten from
CKAN_NAME | supported | CKAN_NAME | CKAN_NAME | CKAN | the CKAN server's name in pages and mails
CKAN_URL | supported | CKAN_URL | CKAN_URL | unset (off) | owners push tasks, task runs and results there (export page, `crowdfold ckan push`) with their CKAN API key; guarded like every outgoing URL
DROPBOX_APP_KEY | not supported | - | — | — | the Dropbox chooser needs Dropbox's hosted script; import shared links with the URL importers
YOUTUBE_API_SERVER_KEY | not supported | - | — | — | the YouTube playlist importer depends on Google's API; import video URLs from CSV/JSON instead
FLICKR_API_KEY | not supported | - | — | — | the Flickr importer depends on Flickr's API
FLICKR_SHARED_SECRET | not supported | - | — | — | the Flickr importer depends on Flickr's API
MAILCHIMP_API_KEY | not supported | - | — | — | no newsletter sign-up page; sign-up consent is stored for exports to any mailing tool
MAILCHIMP_LIST_ID | not supported | - | — | — | see MAILCHIMP_API_KEY
DISQUS_SECRET_KEY | not supported | - | — | — | no Disqus single sign-on; a theme can still embed Disqus comments
DISQUS_PUBLIC_KEY | not supported | - | — | — | see DISQUS_SECRET_KEY
ONESIGNAL_APP_ID | not supported | - | — | — | no web push through OneSignal; volunteers are notified by e-mail
ONESIGNAL_API_KEY | not supported | - | — | — | see ONESIGNAL_APP_ID
"""


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


def _replica(value: object) -> object:
    # SQLALCHEMY_BINDS {'slave': 'postgresql://...'} -> the replica's URL (other binds are unused).
    return _database_url(value.get("slave")) if isinstance(value, dict) else None


def _server_name(value: object) -> object:
    return value.rsplit(":", 1)[0] if isinstance(value, str) else value


def _upload_method(value: object) -> object:
    # Rackspace Cloud Files is gone: keep the local uploader (and `crowdfold check` says so).
    return None if isinstance(value, str) and value.lower() == "rackspace" else value


def _profiler(value: object) -> object:
    return bool(value.get("enabled")) if isinstance(value, dict) else bool(value)


def _locales(value: object) -> object:
    # [('en', 'English'), ('es', u'Español')] -> en,es: we ship the names ourselves.
    if isinstance(value, list | tuple):
        return [item[0] if isinstance(item, list | tuple) and item else item for item in value]
    return value


def _pairs(value: object) -> object:
    # LDAP_PYBOSSA_FIELDS {'fullname': 'givenName'} -> fullname=givenName
    return [f"{key}={val}" for key, val in value.items()] if isinstance(value, dict) else value


def _hostports(value: object) -> object:
    # REDIS_SENTINEL [('10.0.0.5', 26379)] -> 10.0.0.5:26379
    if isinstance(value, list | tuple):
        return [
            f"{item[0]}:{item[1]}" if isinstance(item, list | tuple) else item for item in value
        ]
    return value


# How a value in settings_local.py becomes the value of its environment variable, where that differs.
_CONVERT = {
    "SQLALCHEMY_DATABASE_URI": _database_url,
    "SQLALCHEMY_BINDS": _replica,
    "SERVER_NAME": _server_name,
    "FLASK_PROFILER": _profiler,
    "LOCALES": _locales,
    "LDAP_PYBOSSA_FIELDS": _pairs,
    "REDIS_SENTINEL": _hostports,
    "UPLOAD_METHOD": _upload_method,
}


def _parse(table: str) -> dict[str, Knob]:
    knobs: dict[str, Knob] = {}
    for line in table.strip().splitlines():
        name, status, env, setting, default, note = (cell.strip() for cell in line.split(" | "))
        assert status in (SUPPORTED, REPLACED, PLANNED, UNSUPPORTED), line
        assert name not in knobs, f"{name} twice in the knob table"
        knobs[name] = Knob(
            name, status, "" if env == "-" else env, setting, default, note, _CONVERT.get(name)
        )
    return knobs


KNOBS: dict[str, Knob] = _parse(_TABLE)


def markdown_table() -> str:
    """The PYBOSSA table of docs/configuration.md."""
    rows = [
        "| PYBOSSA setting | Crowdfold setting | default | status | notes |",
        "|---|---|---|---|---|",
    ]
    for knob in KNOBS.values():
        rows.append(
            f"| `{knob.name}` | {knob.setting} | {knob.default} | {knob.status} | {knob.note} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
