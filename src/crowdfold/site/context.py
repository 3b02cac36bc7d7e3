"""Template context every page gets: branding, contact, languages, announcements."""

from __future__ import annotations

from django.conf import settings

from crowdfold.lib.csp import with_nonce
from crowdfold.site.announcements import announcements_for


def site(request) -> dict:
    nonce = getattr(request, "csp_nonce", "")
    return {
        "BRAND": settings.BRAND,
        "LOGO": settings.LOGO,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "CONTACT_TWITTER": settings.CONTACT_TWITTER,
        "TERMSOFUSE": settings.TERMSOFUSE,
        "DATAUSE": settings.DATAUSE,
        "ENFORCE_PRIVACY": settings.ENFORCE_PRIVACY,
        "THEME_NAME": settings.THEME_INFO.get("name", ""),
        # Operators' inline scripts run under the page's Content-Security-Policy nonce.
        "ANALYTICS_SNIPPET": with_nonce(settings.ANALYTICS_SNIPPET, nonce),
        "CSP_NONCE": nonce,
        "LDAP_ENABLED": bool(settings.LDAP_HOST),
        "announcements": announcements_for(getattr(request, "user", None)),
    }
