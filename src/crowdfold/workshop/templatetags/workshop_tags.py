"""``{% load workshop_tags %}``: ``user|pro_feature:"auditlog"`` says whether the person may use a
feature that PRO_FEATURES keeps for pro users (admins always may)."""

from django import template

from crowdfold.lib.features import feature_available

register = template.Library()


@register.filter
def pro_feature(user, feature: str) -> bool:
    return feature_available(feature, user)
