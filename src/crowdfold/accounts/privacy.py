"""Who may see what about a person: privacy mode, ENFORCE_PRIVACY and the public ``info`` keys.

One set of rules for pages and the API alike.
"""

from __future__ import annotations

from django.conf import settings

# PYBOSSA's public info keys for users (§1.4); USER_INFO_PUBLIC_FIELDS adds to them.
DEFAULT_PUBLIC_INFO_KEYS = ("avatar", "container", "extra", "avatar_url")


def is_admin(viewer) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_superuser)


def is_self(viewer, user) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.pk == user.pk)


def people_pages_visible(viewer) -> bool:
    """ENFORCE_PRIVACY hides user lists, profiles and stats from everyone but admins."""
    return not settings.ENFORCE_PRIVACY or is_admin(viewer)


def can_view_profile(viewer, user) -> bool:
    """A person who restricted processing (GDPR) is shown to nobody but themself and admins."""
    if is_self(viewer, user) or is_admin(viewer):
        return True
    return people_pages_visible(viewer) and not user.restrict


def shows_details(viewer, user) -> bool:
    """Full name, contributions and public info are shown unless the person chose privacy mode."""
    return is_self(viewer, user) or is_admin(viewer) or not user.privacy_mode


def public_info(user) -> dict:
    keys = set(DEFAULT_PUBLIC_INFO_KEYS) | set(settings.USER_INFO_PUBLIC_FIELDS)
    return {k: v for k, v in (user.info or {}).items() if k in keys}
