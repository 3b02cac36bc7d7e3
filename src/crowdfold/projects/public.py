"""Which ``info`` keys of projects and categories everyone may read (PYBOSSA reference §1.4).

Owners and admins read the whole ``info``; everyone else only PYBOSSA's public keys plus those the
operator lists in ``PROJECT_INFO_PUBLIC_FIELDS`` / ``CATEGORY_INFO_PUBLIC_FIELDS``. The API, the
presenter frame and the pages all ask here, and so do the API's filters: filtering or sorting on a
key one may not read would reveal its value.
"""

from __future__ import annotations

from django.conf import settings

PUBLIC_PROJECT_INFO_KEYS = (
    "container",
    "thumbnail",
    "thumbnail_url",
    "task_presenter",
    "tutorial",
    "sched",
)
PUBLIC_CATEGORY_INFO_KEYS: tuple[str, ...] = ()


def public_project_info_keys() -> set[str]:
    return set(PUBLIC_PROJECT_INFO_KEYS) | set(settings.PROJECT_INFO_PUBLIC_FIELDS)


def public_category_info_keys() -> set[str]:
    return set(PUBLIC_CATEGORY_INFO_KEYS) | set(settings.CATEGORY_INFO_PUBLIC_FIELDS)


def _pick(info: dict | None, keys: set[str]) -> dict:
    return {k: v for k, v in (info or {}).items() if k in keys}


def public_project_info(project) -> dict:
    return _pick(project.info, public_project_info_keys())


def public_category_info(category) -> dict:
    return _pick(category.info, public_category_info_keys())
