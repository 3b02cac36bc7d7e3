"""The audit log: every change to a project, whoever made it and through whichever door.

``record_changes`` is the one entry point; the web pages here and the API's project PUT call it.
"""

from __future__ import annotations

import json
from typing import Any

from crowdfold.projects.models import Project
from crowdfold.workshop.models import AuditEntry

# Attributes whose values are never written to the log (only that they changed).
SECRET_ATTRIBUTES = {"password", "password_hash", "secret_key", "passwd_hash"}
HIDDEN = "(hidden)"

AUDITED_FIELDS = [
    "name",
    "short_name",
    "description",
    "long_description",
    "category_id",
    "allow_anonymous_contributors",
    "zip_download",
    "webhook",
    "published",
    "featured",
    "password_hash",
    "secret_key",
    "owner_id",
    "info",
]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def record_changes(
    project: Project, user, changes: dict[str, tuple[Any, Any]], caller: str = "web"
) -> list[AuditEntry]:
    """Log each ``attribute: (old, new)`` pair that really changed. ``caller`` is web, api, cli or
    job. Secret values are logged as changed without their values."""
    entries = []
    for attribute, (old, new) in changes.items():
        if old == new:
            continue
        hide = attribute in SECRET_ATTRIBUTES
        entries.append(
            AuditEntry(
                project=project if project.pk else None,
                project_short_name=project.short_name,
                user=user if getattr(user, "is_authenticated", False) else None,
                user_name=getattr(user, "username", "") or "",
                caller=caller,
                action="update",
                attribute=attribute,
                old_value=HIDDEN if hide and old else _text(old),
                new_value=HIDDEN if hide and new else _text(new),
            )
        )
    return AuditEntry.objects.bulk_create(entries)


def record_action(project: Project, user, action: str, caller: str = "web", note: str = "") -> None:
    """Log a whole-project event (create, delete, publish…) as one row."""
    AuditEntry.objects.create(
        project=project if project.pk else None,
        project_short_name=project.short_name,
        user=user if getattr(user, "is_authenticated", False) else None,
        user_name=getattr(user, "username", "") or "",
        caller=caller,
        action=action,
        attribute=action,
        new_value=note,
    )


def snapshot(project: Project) -> dict[str, Any]:
    """The audited attributes now; pair with ``changes_since`` around an update."""
    values = {field: getattr(project, field) for field in AUDITED_FIELDS}
    values["info"] = dict(project.info or {})
    return values


def changes_since(before: dict[str, Any], project: Project) -> dict[str, tuple[Any, Any]]:
    after = snapshot(project)
    changes = {k: (before[k], after[k]) for k in AUDITED_FIELDS if k != "info"}
    # info is logged key by key so a presenter edit does not repeat the whole tutorial.
    old_info, new_info = before["info"], after["info"]
    for key in sorted(set(old_info) | set(new_info)):
        changes[f"info.{key}"] = (old_info.get(key), new_info.get(key))
    return changes
