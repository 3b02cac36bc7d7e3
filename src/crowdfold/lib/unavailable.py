"""A backing service that is away (the database restarting, Redis stopped) is an outage, not a bug:
the client gets a retryable ``503 Service Unavailable`` with ``Retry-After`` (PYBOSSA's error shape
under ``/api/``), the log gets one warning line per request instead of a traceback, and ``ADMINS``
get no mail per request.

The API's exception handler and the site's ``handler500`` (which also sees errors raised inside
middleware, e.g. the session store) ask ``is_unavailable`` and answer with ``unavailable_body``.

Imported by settings.py (the logging filter), so nothing here touches ``django.conf.settings`` at
import time.
"""

from __future__ import annotations

import logging

MESSAGE = "The service is briefly unavailable, please retry"


def _unavailable_types() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError

    types: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        import redis

        types += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return tuple(types)


def is_unavailable(exc: BaseException | None) -> bool:
    """True for errors that mean "a service we depend on is not answering right now": the
    database refusing or dropping connections (also SQLite's "database is locked" and PostgreSQL's
    serialization failures, all OperationalError) and Redis connection errors."""
    while exc is not None:
        if isinstance(exc, _unavailable_types()):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def retry_after() -> int:
    from django.conf import settings

    return int(settings.UNAVAILABLE_RETRY_AFTER)


def log_unavailable(logger: logging.Logger, request, exc: BaseException) -> None:
    logger.warning(
        "Service unavailable on %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).strip().splitlines()[0] if str(exc).strip() else "",
    )


class DemoteUnavailable(logging.Filter):
    """On ``django.request``: a 503, or an error caused by a service being away, becomes a warning
    without traceback, so the log stays readable during an outage and ``ADMINS`` (mailed at
    ERROR) are not sent one mail per request."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 503 or is_unavailable(exc):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            if exc is not None:
                detail = str(exc).strip()[:200].replace("%", "%%")
                record.msg = f"{record.msg} ({type(exc).__name__}: {detail})"
            record.exc_info = record.exc_text = None
        return True
