"""Admin-written announcements shown across the site."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crowdfold.projects.models import Project


class Audience(models.TextChoices):
    EVERYONE = "all", _("Everyone")
    USER = "user", _("Registered people")
    OWNER = "owner", _("Project owners")
    ADMIN = "admin", _("Admins")


class Announcement(models.Model):
    """A message from the admins, like PYBOSSA's announcement objects, with an audience."""

    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True, default="")
    media_url = models.TextField(_("media URL"), blank=True, default="")
    published = models.BooleanField(_("published"), default=False)
    audience = models.CharField(
        _("audience"), max_length=8, choices=Audience.choices, default=Audience.EVERYONE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "crowdfold_announcement"
        ordering = ["-created"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title


class FeaturedProject(Project):
    """The featured projects on their own admin page, as PYBOSSA's /admin/featured."""

    class Meta:
        proxy = True
        verbose_name = _("featured project")
        verbose_name_plural = _("featured projects")
