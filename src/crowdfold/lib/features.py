"""PYBOSSA's PRO_FEATURES: which features only pro users (and admins) may use.

``PRO_FEATURES`` maps a feature to True (pro users only, PYBOSSA's default) or False (everyone).
Features call :func:`feature_available` to gate themselves.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

DEFAULT_PRO_FEATURES = {
    "auditlog": True,
    "webhooks": True,
    "updated_exports": True,
    "notify_blog_updates": True,
    "project_weekly_report": True,
    "autoimporter": True,
    "better_stats": True,
}


def parse_pro_features(value: object) -> dict[str, bool]:
    """PYBOSSA's defaults overridden by the operator's dict (from JSON or settings_local.py)."""
    if not isinstance(value, dict) or not all(isinstance(v, bool) for v in value.values()):
        raise ImproperlyConfigured(
            f"PRO_FEATURES={value!r}: expected a dict of feature name to true/false, "
            'e.g. {"webhooks": false}'
        )
    unknown = set(value) - set(DEFAULT_PRO_FEATURES)
    if unknown:
        raise ImproperlyConfigured(
            f"PRO_FEATURES names unknown features {sorted(unknown)}; known: {sorted(DEFAULT_PRO_FEATURES)}"
        )
    return {**DEFAULT_PRO_FEATURES, **value}


def feature_available(feature: str, user) -> bool:
    """May this user use the feature? Pro-only features need ``user.pro`` (admins always may)."""
    from django.conf import settings

    if not settings.PRO_FEATURES.get(feature, False):
        return True
    return bool(user is not None and user.is_authenticated and (user.pro or user.is_superuser))


FEATURE_NAMES = {"webhooks": "Webhooks", "autoimporter": "The autoimporter"}


def require_feature(feature: str, user, target: str = "project") -> None:
    """Refuse (403 in PYBOSSA's error shape) a pro-only feature to someone who is not pro."""
    from crowdfold.lib.errors import Forbidden

    if not feature_available(feature, user):
        name = FEATURE_NAMES.get(feature, feature)
        raise Forbidden(f"{name}: a pro feature on this server", target=target)
