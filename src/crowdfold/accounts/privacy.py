"""Who may see what about a person: privacy mode, ENFORCE_PRIVACY, GDPR restriction and the public
``info`` keys.

One set of rules for pages and the API alike (profile and list pages, ``/api/user``, leaderboards,
statistics): each caller asks here instead of deciding for itself.

- **Restricted** people (GDPR "restrict processing") exist for nobody but themselves and admins.
- **ENFORCE_PRIVACY** hides everyone else's profile, the people lists and the statistics pages
  from all but admins.
- **Privacy mode** keeps the name (it is in every address) and the public ``info`` keys, and hides
  the full name, the sign-up date and the contributions.
- Only PYBOSSA's public ``info`` keys and those in ``USER_INFO_PUBLIC_FIELDS`` reach others.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

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


def visible_people(viewer, people: QuerySet) -> QuerySet:
    """``people`` narrowed to those ``viewer`` may see (the rule of ``can_view_profile``)."""
    if is_admin(viewer):
        return people
    mine = Q(pk=viewer.pk) if viewer is not None and viewer.is_authenticated else Q(pk__in=[])
    if not people_pages_visible(viewer):
        return people.filter(mine)
    return people.filter(Q(restrict=False) | mine)


def shows_details(viewer, user) -> bool:
    """Full name, contributions and public info are shown unless the person chose privacy mode."""
    return is_self(viewer, user) or is_admin(viewer) or not user.privacy_mode


def public_info_keys() -> set[str]:
    return set(DEFAULT_PUBLIC_INFO_KEYS) | set(settings.USER_INFO_PUBLIC_FIELDS)


def public_info(user) -> dict:
    keys = public_info_keys()
    return {k: v for k, v in (user.info or {}).items() if k in keys}


def public_profile(viewer, user) -> dict:
    """What ``viewer`` may know about ``user`` beyond what only they and admins see: the name, the
    locale and the public ``info`` keys; the full name and sign-up date unless privacy mode."""
    row = {"name": user.username, "locale": user.locale, "info": public_info(user)}
    if shows_details(viewer, user):
        row["fullname"] = user.fullname
        row["created"] = user.date_joined
    return row


def display_name(viewer, user) -> str:
    """How lists that rank people (leaderboards, top volunteers) name ``user`` to ``viewer``."""
    return (user.fullname if shows_details(viewer, user) else "") or user.username
