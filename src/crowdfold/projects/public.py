"""Which ``info`` keys of projects and categories everyone may read (PYBOSSA reference §1.4).

Owners and admins read the whole ``info``; everyone else only PYBOSSA's public keys plus those the
operator lists in ``PROJECT_INFO_PUBLIC_FIELDS`` / ``CATEGORY_INFO_PUBLIC_FIELDS``. The API, the
presenter frame and the pages all ask here.
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


def _pick(info: dict | None, keys: set[str]) -> dict:
    return {k: v for k, v in (info or {}).items() if k in keys}


def public_project_info(project) -> dict:
    return _pick(
        project.info, set(PUBLIC_PROJECT_INFO_KEYS) | set(settings.PROJECT_INFO_PUBLIC_FIELDS)
    )


def public_category_info(category) -> dict:
    return _pick(
        category.info, set(PUBLIC_CATEGORY_INFO_KEYS) | set(settings.CATEGORY_INFO_PUBLIC_FIELDS)
    )
