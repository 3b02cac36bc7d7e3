"""Logs, error reporting and developer tools, configured from settings.py.

Imported by settings.py, so nothing here may touch ``django.conf.settings`` at import time.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import warnings
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

# Attributes every LogRecord has; anything else was passed in `extra=` and belongs in the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the `extra=` fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(level: str, fmt: str, destination: str) -> dict:
    """Django LOGGING for CROWDFOLD_LOG_LEVEL / _FORMAT / _FILE ("" stderr, "-" stdout, else a file)."""
    if fmt not in ("plain", "json"):
        raise ImproperlyConfigured(f"CROWDFOLD_LOG_FORMAT={fmt!r}: use plain or json")
    if level not in logging.getLevelNamesMapping():
        raise ImproperlyConfigured(
            f"CROWDFOLD_LOG_LEVEL={level!r}: use DEBUG, INFO, WARNING or ERROR"
        )
    if destination in ("", "-"):
        handler = {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout" if destination == "-" else "ext://sys.stderr",
        }
    else:
        # WatchedFileHandler reopens the file after logrotate moves it.
        handler = {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": destination,
            "delay": True,
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "crowdfold.lib.observability.JsonFormatter"},
        },
        "filters": {"demote_unavailable": {"()": "crowdfold.lib.unavailable.DemoteUnavailable"}},
        "handlers": {"main": {**handler, "formatter": fmt}},
        # Django's own "django" logger (kept) mails ERROR records, HTTP 500s among them, to ADMINS
        # when DEBUG is off; outages (503) are demoted to warnings first (lib/unavailable.py).
        "loggers": {"django.request": {"filters": ["demote_unavailable"]}},
        "root": {"handlers": ["main"], "level": level},
    }


def init_sentry(dsn: str, environment: str, traces_sample_rate: float) -> bool:
    """Report errors to Sentry. Optional: without the `sentry` extra we warn and carry on
    (`crowdfold check` reports it as an error)."""
    if importlib.util.find_spec("sentry_sdk") is None:
        warnings.warn(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install 'crowdfold[sentry]'",
            stacklevel=2,
        )
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from crowdfold import __version__

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=f"crowdfold@{__version__}",
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # volunteers' addresses and names stay with us
    )
    return True


def require_extra(module: str, setting: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ImproperlyConfigured(f"{setting} needs {module}: pip install 'crowdfold[profiling]'")


def admin_only(request) -> bool:
    """Debug toolbar and profiler: only for a signed-in admin, never for anyone else."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_superuser)
