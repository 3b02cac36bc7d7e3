"""Projects, their categories and the helping material shown in tutorials."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_secret_key() -> str:
    return str(uuid.uuid4())


class Category(models.Model):
    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.SlugField(_("short name"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True, default="")
    info = models.JSONField(_("additional info"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "crowdfold_category"
        ordering = ["id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A body of work: tasks, a presenter that shows them, and the people who own it.

    ``owner`` is the creator (PYBOSSA's ``owner_id``); ``owners`` holds everyone who may manage the
    project, the creator included (PYBOSSA's ``owners_ids``).
    """

    short_name = models.CharField(_("short name"), max_length=255, unique=True)
    name = models.CharField(_("name"), max_length=255, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True, default="")
    long_description = models.TextField(_("long description"), blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_projects",
        verbose_name=_("owner"),
        help_text=_("The person who created the project."),
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="owned_projects",
        blank=True,
        verbose_name=_("owners"),
        help_text=_("Everyone who may manage the project, its creator included."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="projects", verbose_name=_("category")
    )
    info = models.JSONField(_("additional info"), default=dict, blank=True)
    published = models.BooleanField(_("published"), default=False)
    featured = models.BooleanField(_("featured"), default=False)
    allow_anonymous_contributors = models.BooleanField(
        _("anonymous contributors allowed"), default=True
    )
    zip_download = models.BooleanField(_("ZIP downloads allowed"), default=True)
    # True when a contributor group is granted on the project or its category (crowdfold.data keeps
    # it in step), so unrestricted projects pay nothing on the contribution hot path.
    groups_restricted = models.BooleanField(_("restricted to groups"), default=False)
    contacted = models.BooleanField(_("owners warned of inactivity"), default=False)
    webhook = models.TextField(_("webhook URL"), blank=True, default="")
    secret_key = models.CharField(_("secret key"), max_length=64, default=new_secret_key)
    password_hash = models.CharField(_("password (hashed)"), max_length=255, blank=True, default="")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "crowdfold_project"
        ordering = ["id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["owner", "id"], name="project_owner_idx"),
            models.Index(fields=["category", "id"], name="project_category_idx"),
            models.Index(fields=["id"], condition=Q(published=True), name="project_published_idx"),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def scheduler(self) -> str:
        return (self.info or {}).get("sched") or "default"

    @property
    def needs_password(self) -> bool:
        return bool(self.password_hash)

    def owner_ids(self) -> list[int]:
        """Everyone who may manage the project (PYBOSSA's ``owners_ids``), creator first."""
        ids = [u.pk for u in self.owners.all()]
        return [self.owner_id] + sorted(i for i in ids if i != self.owner_id)

    def is_owned_by(self, user) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return user.pk == self.owner_id or self.owners.filter(pk=user.pk).exists()


class HelpingMaterial(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="helping_materials")
    info = models.JSONField(default=dict, blank=True)
    media_url = models.TextField(null=True, blank=True)
    priority = models.FloatField(default=0.0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "crowdfold_helpingmaterial"
        ordering = ["id"]
