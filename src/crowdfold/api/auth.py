"""Who is calling the API: the raw-key ``Authorization`` header, the ``api_key`` parameter, or the
browser session, in that order (PYBOSSA's rules). An unknown key is silently anonymous."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from crowdfold.accounts.models import User
from crowdfold.lib import fastsql, hotrows

_CACHE_ATTR = "_crowdfold_api_user"


def _key_from_request(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    if header and not header.lower().startswith("bearer "):
        return header
    return request.GET.get("api_key") or None


def api_user(request):
    """The authenticated user of an API request, or AnonymousUser. Memoised on the request."""
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    user = None
    key = _key_from_request(request)
    if key:
        user = hotrows.api_users.get(
            key, lambda: fastsql.select_one(User, "api_key = %s AND is_active", [key])
        )
    if user is None and key is None:
        session_user = getattr(request, "user", None)
        if session_user is not None and session_user.is_authenticated:
            user = session_user
    user = user or AnonymousUser()
    setattr(request, _CACHE_ATTR, user)
    return user


def bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None
