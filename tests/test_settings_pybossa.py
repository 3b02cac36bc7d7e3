"""An operator's PYBOSSA settings_local.py: read safely, mapped onto Crowdfold, documented truthfully."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crowdfold.lib.pybossa_knobs import (
    KNOBS,
    PLANNED,
    REPLACED,
    SUPPORTED,
    UNSUPPORTED,
    markdown_table,
)
from crowdfold.lib.pybossa_settings import PybossaSettingsError, load, parse
from tests.settings_probe import probe_settings

ROOT = Path(__file__).resolve().parent.parent

# Every setting the PYBOSSA configuration guide names (docs.pybossa.com, "Configuring PYBOSSA").
GUIDE_KEYS = """
DEBUG ENABLE_DEBUG_TOOLBAR FLASK_PROFILER HOST PORT SECRET SECRET_KEY CRYPTOPAN_KEY SQLALCHEMY_DATABASE_URI
SQLALCHEMY_BINDS ITSDANGEROUSKEY CORS_RESOURCES BRAND LOGO LOCALES DEFAULT_LOCALE CONTACT_EMAIL
CONTACT_TWITTER TERMSOFUSE DATAUSE ADMINS FAILED_JOBS_MAILS FAILED_JOBS_RETRIES ANNOUNCEMENT
DISABLE_EMAIL_NOTIFICATIONS APP_TIMEOUT REGISTERED_USERS_TIMEOUT ANON_USERS_TIMEOUT STATS_FRONTPAGE_TIMEOUT
STATS_APP_TIMEOUT STATS_DRAFT_TIMEOUT N_APPS_PER_CATEGORY_TIMEOUT BROWSE_TASKS_TIMEOUT CATEGORY_TIMEOUT
USER_TIMEOUT USER_TOP_TIMEOUT USER_TOTAL_TIMEOUT PYBOSSA_REDIS_CACHE_DISABLED REDIS_KEYPREFIX REDIS_SENTINEL
REDIS_HOST REDIS_PORT REDIS_PASSWORD REDIS_MASTER REDIS_DB REDIS_SOCKET_TIMEOUT REDIS_RETRY_ON_TIMEOUT LIMIT
PER UPLOAD_METHOD UPLOAD_FOLDER RACKSPACE_USERNAME RACKSPACE_API_KEY RACKSPACE_REGION CKAN_NAME CKAN_URL
ENFORCE_PRIVACY PROJECT_INFO_PUBLIC_FIELDS USER_INFO_PUBLIC_FIELDS CATEGORY_INFO_PUBLIC_FIELDS PRESENTERS
TEMPLATE_TASKS PASSWD_COOKIE_TIMEOUT ACCOUNT_CONFIRMATION_DISABLED ENABLE_TWO_FACTOR_AUTH WEEKLY_UPDATE_STATS
MAILCHIMP_API_KEY MAILCHIMP_LIST_ID DROPBOX_APP_KEY YOUTUBE_API_SERVER_KEY SSE NEWS_URL PRO_FEATURES
STRICT_SLASHES DISQUS_SECRET_KEY DISQUS_PUBLIC_KEY MINUTE TIMEOUT ONESIGNAL_APP_ID ONESIGNAL_API_KEY
IGNORE_FLAT_KEYS TASK_CSV_EXPORT_INFO_KEY TASK_RUN_CSV_EXPORT_INFO_KEY RESULT_CSV_EXPORT_INFO_KEY
DISABLE_TASK_PRESENTER LEADERBOARDS LEADERBOARD UNPUBLISH_PROJECTS LDAP_HOST LDAP_BASE_DN LDAP_USERNAME
LDAP_PASSWORD LDAP_OBJECTS_DN LDAP_OPENLDAP LDAP_USER_OBJECT_FILTER LDAP_USER_FILTER_FIELD LDAP_PYBOSSA_FIELDS
ALLOWED_EXTENSIONS SPAM FULLTEXTSEARCH_LANGUAGE AVATAR_ABSOLUTE USER_INACTIVE_NOTIFICATION
USER_DELETE_AFTER_NOTIFICATION
""".split()


def test_every_setting_of_the_pybossa_guide_has_a_status():
    missing = [key for key in GUIDE_KEYS if key not in KNOBS]
    assert missing == []
    assert {knob.status for knob in KNOBS.values()} <= {SUPPORTED, REPLACED, PLANNED, UNSUPPORTED}
    assert all(
        knob.note for knob in KNOBS.values() if knob.status in (REPLACED, PLANNED, UNSUPPORTED)
    )


def test_the_configuration_doc_carries_the_table_exactly():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert markdown_table() in doc, "regenerate it: python -m crowdfold.lib.pybossa_knobs"


def test_every_supported_setting_is_read_by_the_code():
    sources = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "src" / "crowdfold").rglob("*.py")
        if p.name != "pybossa_knobs.py"
    )
    unread = [
        knob.name
        for knob in KNOBS.values()
        if knob.status in (SUPPORTED, REPLACED) and knob.env and f'"{knob.env}"' not in sources
    ]
    assert unread == []


def test_only_literals_are_read_and_nothing_in_the_file_runs(tmp_path):
    canary = tmp_path / "ran"
    found = parse(
        "import os\n"
        f"os.system('touch {canary}')\n"
        f"SECRET_KEY = __import__('os').system('touch {canary}')\n"
        f"BRAND = open('{canary}', 'w').name\n"
        "HUGE = 'x' * 1000000000\n"
        "MINUTE = 60\n"
        "TIMEOUT = 20 * MINUTE\n"
        "LOCALES = [('en', 'English'), ('es', u'Español')]\n"
        "ANNOUNCEMENT = {'admin': u'Señal'}\n"
        "lowercase_helper = 5\n"
        "LIMIT = lowercase_helper * 10\n"
    )
    assert not canary.exists()
    assert found.values == {
        "ANNOUNCEMENT": {"admin": "Señal"},
        "MINUTE": 60,
        "TIMEOUT": 1200,
        "LOCALES": [("en", "English"), ("es", "Español")],
        "LIMIT": 50,
    }
    skipped = [what for _, what in found.unreadable]
    assert skipped == [
        "import statement ignored",
        "expr statement ignored",
        "SECRET_KEY: not a literal value, ignored",
        "BRAND: not a literal value, ignored",
        "HUGE: not a literal value, ignored",
    ]
    # How they stand in for environment variables: numbers as text, lists of pairs reduced, dicts as JSON.
    assert found.env["TIMEOUT"] == "1200"
    assert found.env["LOCALES"] == "en,es"
    assert found.env["ANNOUNCEMENT"] == '{"admin": "Señal"}'


def test_a_file_that_is_not_python_is_a_clear_error(tmp_path):
    path = tmp_path / "settings_local.py"
    path.write_text("DEBUG = True\nprint 'python 2'\n")
    with pytest.raises(PybossaSettingsError, match=r"settings_local.py:2: cannot parse"):
        load(str(path))
    with pytest.raises(PybossaSettingsError, match="No such file"):
        load(str(tmp_path / "missing.py"))


def test_a_pybossa_settings_file_configures_crowdfold_and_the_environment_wins(tmp_path):
    path = tmp_path / "settings_local.py"
    path.write_text(
        "SQLALCHEMY_DATABASE_URI = 'postgresql+psycopg2://pybossa:tester@db.internal:5433/pybossa'\n"
        "BRAND = 'Citizen Lab'\nSECRET_KEY = 'aaa' + 'file-secret'\nITSDANGEROUSKEY = 'its'\n"
        "HOST = '0.0.0.0'\nPORT = 5000\nSERVER_NAME = 'crowd.example.org:443'\n"
        "DEFAULT_LOCALE = 'es'\nPASSWD_COOKIE_TIMEOUT = 60 * 10\nSTRICT_SLASHES = False\n"
        "PRO_FEATURES = {'webhooks': False, 'auditlog': True}\n"
        "FLASK_PROFILER = {'enabled': True, 'storage': {'engine': 'sqlite'}}\n"
        "CRYPTOPAN_KEY = '0123456789abcdef0123456789abcdef'\n"
        "SQLALCHEMY_BINDS = {'slave': 'postgresql+psycopg2://ro@replica.internal/pybossa'}\n"
        "MINUTE = 60\nAPP_TIMEOUT = 5 * MINUTE\nUSER_TOP_TIMEOUT = 10\n"
        "CORS_RESOURCES = {r'/api/*': {'origins': ['https://app.example.org']}}\n"
    )
    got = probe_settings(
        "DATABASE_REPLICA_URL",
        "CACHE_TIMEOUTS",
        "CORS_RESOURCES",
        "DATABASES",
        "BRAND",
        "SECRET_KEY",
        "SERVE_HOST",
        "SERVE_PORT",
        "ALLOWED_HOSTS",
        "LANGUAGE_CODE",
        "PASSWD_COOKIE_TIMEOUT",
        "STRICT_SLASHES",
        "PRO_FEATURES",
        "PROFILER",
        "CRYPTOPAN_KEY",
        CROWDFOLD_PYBOSSA_SETTINGS=str(path),
        CROWDFOLD_BRAND="From The Environment",
    )
    db = got["DATABASES"]["default"]
    assert (db["ENGINE"], db["NAME"], db["HOST"], db["PORT"], db["USER"]) == (
        "crowdfold.lib.postgresql",  # Django's, with a cheaper health check
        "pybossa",
        "db.internal",
        5433,
        "pybossa",
    )
    assert got["BRAND"] == "From The Environment"
    assert got["SECRET_KEY"] == "aaafile-secret"
    assert (got["SERVE_HOST"], got["SERVE_PORT"]) == ("0.0.0.0", 5000)
    assert got["ALLOWED_HOSTS"] == ["crowd.example.org"]
    assert got["LANGUAGE_CODE"] == "es"
    assert got["PASSWD_COOKIE_TIMEOUT"] == 600
    assert got["STRICT_SLASHES"] is False
    assert got["PRO_FEATURES"]["webhooks"] is False and got["PRO_FEATURES"]["better_stats"] is True
    assert got["PROFILER"] is True
    assert got["CRYPTOPAN_KEY"] == "0123456789abcdef0123456789abcdef"
    assert got["DATABASE_REPLICA_URL"] == "postgresql://ro@replica.internal/pybossa"
    assert (got["CACHE_TIMEOUTS"]["APP_TIMEOUT"], got["CACHE_TIMEOUTS"]["USER_TOP_TIMEOUT"]) == (
        300,
        10,
    )
    assert got["CORS_RESOURCES"] == {"/api/*": {"origins": ["https://app.example.org"]}}


def test_itsdangerouskey_signs_when_there_is_no_secret_key(tmp_path):
    path = tmp_path / "settings_local.py"
    path.write_text("ITSDANGEROUSKEY = 'only-the-itsdangerous-key-is-set-here'\n")
    got = probe_settings("SECRET_KEY", CROWDFOLD_PYBOSSA_SETTINGS=str(path))
    assert got["SECRET_KEY"] == "only-the-itsdangerous-key-is-set-here"


def test_the_doc_names_every_crowdfold_environment_variable():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    source = (ROOT / "src" / "crowdfold" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_\w+\("([A-Z0-9_]+)"', source))
    assert names, "settings.py reads no variables?"
    assert sorted(name for name in names if f"`{name}`" not in doc) == []
