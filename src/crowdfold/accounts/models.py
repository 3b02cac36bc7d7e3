"""People: registered volunteers, owners and admins.

PYBOSSA calls the login ``name``; Django calls it ``username``. We keep Django's column and expose it
as ``name`` on the wire. ``admin`` is Django's ``is_superuser``.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


def new_api_key() -> str:
    return str(uuid.uuid4())


class User(AbstractUser):
    fullname = models.CharField(max_length=255, blank=True)
    email = models.EmailField(unique=True)
    api_key = models.CharField(max_length=64, unique=True, default=new_api_key)
    pro = models.BooleanField(default=False)
    locale = models.CharField(max_length=16, default="en")
    info = models.JSONField(default=dict, blank=True)
    privacy_mode = models.BooleanField(default=True)
    restrict = models.BooleanField(default=False, help_text="GDPR: restrict processing")
    consent = models.BooleanField(default=False)
    valid_email = models.BooleanField(default=False)
    subscribed = models.BooleanField(default=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "crowdfold_user"
        ordering = ["id"]

    @property
    def name(self) -> str:
        return self.username

    @property
    def admin(self) -> bool:
        return self.is_superuser

    def __str__(self) -> str:
        return self.username
