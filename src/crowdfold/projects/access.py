"""Who may contribute to a project: anonymous volunteers, the project password, external users."""

from __future__ import annotations

import jwt
from django.conf import settings
from django.core import signing

from crowdfold.lib.errors import Forbidden, Unauthorized
from crowdfold.projects.models import Project

_PASSWORD_SALT = "crowdfold.project-password"


def password_cookie_name(project: Project) -> str:
    return f"{project.short_name}pswd"


def has_password_access(request, project: Project, user, contributor_key: str) -> bool:
    """True when the project has no password, the caller manages it, or the caller's signed cookie
    says they gave the password within PASSWD_COOKIE_TIMEOUT."""
    if not project.needs_password:
        return True
    if (
        user is not None
        and user.is_authenticated
        and (user.is_superuser or project.is_owned_by(user))
    ):
        return True
    try:
        keys = request.get_signed_cookie(
            password_cookie_name(project),
            salt=_PASSWORD_SALT,
            max_age=settings.PASSWD_COOKIE_TIMEOUT,
        )
    except (KeyError, signing.BadSignature):
        return False
    return contributor_key in keys.split(",")


def grant_password_access(request, response, project: Project, contributor_key: str) -> None:
    try:
        existing = request.get_signed_cookie(
            password_cookie_name(project),
            salt=_PASSWORD_SALT,
            max_age=settings.PASSWD_COOKIE_TIMEOUT,
        ).split(",")
    except (KeyError, signing.BadSignature):
        existing = []
    keys = ",".join(sorted(set(existing) | {contributor_key}))
    response.set_signed_cookie(
        password_cookie_name(project),
        keys,
        salt=_PASSWORD_SALT,
        max_age=settings.PASSWD_COOKIE_TIMEOUT,
        httponly=True,
        samesite="Lax",
    )


def ensure_password_access(request, project: Project, user, contributor_key: str) -> None:
    if settings.API_ENFORCES_PROJECT_PASSWORD and not has_password_access(
        request, project, user, contributor_key
    ):
        raise Forbidden("This project is protected by a password", target="project")


def mint_external_token(project: Project) -> str:
    """The JWT an owner's server hands its users (PYBOSSA §2.10)."""
    return jwt.encode(
        {"short_name": project.short_name, "project_id": project.pk},
        project.secret_key,
        algorithm="HS256",
    )


def verify_external_token(project: Project, token: str | None) -> None:
    if not token:
        raise Unauthorized("Missing Bearer token for external_uid", target="project")
    try:
        claims = jwt.decode(token, project.secret_key, algorithms=["HS256"])
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"Invalid token: {exc}", target="project") from exc
    if claims.get("project_id") != project.pk or claims.get("short_name") != project.short_name:
        raise Unauthorized("Token is not for this project", target="project")
