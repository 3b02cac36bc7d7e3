"""Which announcements a visitor sees: the ANNOUNCEMENT setting (PYBOSSA's admin/user/owner keys,
``root`` as an alias of admin) and the published Announcement rows for their audience."""

from __future__ import annotations

from django.conf import settings


def audiences(user) -> set[str]:
    found = {"all"}
    if user is None or not user.is_authenticated:
        return found
    found.add("user")
    if user.is_superuser:
        found.add("admin")
    if user.created_projects.exists() or user.owned_projects.exists():
        found.add("owner")
    return found


def announcements_for(user) -> list[dict]:
    from crowdfold.site.models import Announcement

    mine = audiences(user)
    configured = dict(settings.ANNOUNCEMENT)
    if "root" in configured:
        configured.setdefault("admin", configured.pop("root"))
    shown = [{"title": "", "body": text} for key, text in configured.items() if key in mine]
    rows = Announcement.objects.filter(published=True, audience__in=mine).order_by("-created")[:5]
    shown += [{"title": a.title, "body": a.body} for a in rows]
    return shown
