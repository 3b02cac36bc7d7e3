"""Template context every page gets: branding, contact, languages, announcements."""

from __future__ import annotations

from django.conf import settings

from crowdfold.site.announcements import announcements_for


def site(request) -> dict:
    return {
        "BRAND": settings.BRAND,
        "LOGO": settings.LOGO,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "CONTACT_TWITTER": settings.CONTACT_TWITTER,
        "TERMSOFUSE": settings.TERMSOFUSE,
        "DATAUSE": settings.DATAUSE,
        "ENFORCE_PRIVACY": settings.ENFORCE_PRIVACY,
        "THEME_NAME": settings.THEME_INFO.get("name", ""),
        "ANALYTICS_SNIPPET": settings.ANALYTICS_SNIPPET,
        "LDAP_ENABLED": bool(settings.LDAP_HOST),
        "announcements": announcements_for(getattr(request, "user", None)),
    }
