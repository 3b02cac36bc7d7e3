"""People: registered volunteers, owners and admins.

PYBOSSA calls the login ``name``; Django calls it ``username``. We keep Django's column and expose it
as ``name`` on the wire. ``admin`` is Django's ``is_superuser``.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_api_key() -> str:
    return str(uuid.uuid4())


class User(AbstractUser):
    fullname = models.CharField(_("full name"), max_length=255, blank=True)
    email = models.EmailField(_("email address"), unique=True)
    api_key = models.CharField(_("API key"), max_length=64, unique=True, default=new_api_key)
    pro = models.BooleanField(_("pro account"), default=False)
    locale = models.CharField(_("language"), max_length=16, default="en")
    info = models.JSONField(_("additional info"), default=dict, blank=True)
    privacy_mode = models.BooleanField(_("privacy mode"), default=True)
    restrict = models.BooleanField(
        _("processing restricted"),
        default=False,
        help_text=_("GDPR: the person asked us to restrict the processing of their data."),
    )
    consent = models.BooleanField(_("consent given"), default=False)
    valid_email = models.BooleanField(_("email confirmed"), default=False)
    subscribed = models.BooleanField(_("receives news by email"), default=True)
    notified_at = models.DateTimeField(_("warned of inactivity at"), null=True, blank=True)

    class Meta:
        db_table = "crowdfold_user"
        ordering = ["id"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def name(self) -> str:
        return self.username

    @property
    def admin(self) -> bool:
        return self.is_superuser

    def __str__(self) -> str:
        return self.username
