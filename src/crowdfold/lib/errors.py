"""Domain errors raised by services. Each carries the HTTP status and PYBOSSA's ``exception_cls`` so
the API can answer in PYBOSSA's error shape and the web can show the message."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    exception_cls = "BadRequest"

    def __init__(self, message: str = "", *, target: str | None = None):
        super().__init__(message)
        self.message = message
        self.target = target


class BadRequest(DomainError):
    status_code = 400
    exception_cls = "BadRequest"


class Unauthorized(DomainError):
    status_code = 401
    exception_cls = "Unauthorized"


class Forbidden(DomainError):
    status_code = 403
    exception_cls = "Forbidden"


class NotFound(DomainError):
    status_code = 404
    exception_cls = "NotFound"


class MethodNotAllowed(DomainError):
    status_code = 405
    exception_cls = "MethodNotAllowed"


class Conflict(DomainError):
    """A request that cannot be applied to the current state (e.g. an answer beyond redundancy)."""

    status_code = 409
    exception_cls = "Conflict"


class InvalidValue(DomainError):
    status_code = 415
    exception_cls = "ValueError"


class InvalidKey(DomainError):
    status_code = 415
    exception_cls = "TypeError"


class InvalidAttribute(DomainError):
    status_code = 415
    exception_cls = "AttributeError"


class IntegrityFailure(DomainError):
    status_code = 415
    exception_cls = "DBIntegrityError"


class DataError(DomainError):
    status_code = 415
    exception_cls = "DataError"


class TooManyRequests(DomainError):
    status_code = 429
    exception_cls = "TooManyRequests"


class ServiceUnavailable(DomainError):
    status_code = 503
    exception_cls = "ServiceUnavailable"
