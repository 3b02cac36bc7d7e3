"""Projects, their categories and the helping material shown in tutorials."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


def new_secret_key() -> str:
    return str(uuid.uuid4())


class Category(models.Model):
    name = models.CharField(max_length=255, unique=True)
    short_name = models.SlugField(max_length=255, unique=True)
    description = models.TextField(blank=True, default="")
    info = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "crowdfold_category"
        ordering = ["id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A body of work: tasks, a presenter that shows them, and the people who own it.

    ``owner`` is the creator (PYBOSSA's ``owner_id``); ``owners`` holds everyone who may manage the
    project, the creator included (PYBOSSA's ``owners_ids``).
    """

    short_name = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255, unique=True)
    description = models.CharField(max_length=255, blank=True, default="")
    long_description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_projects"
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="owned_projects", blank=True
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="projects")
    info = models.JSONField(default=dict, blank=True)
    published = models.BooleanField(default=False)
    featured = models.BooleanField(default=False)
    allow_anonymous_contributors = models.BooleanField(default=True)
    zip_download = models.BooleanField(default=True)
    # True when a contributor group is granted on the project or its category (crowdfold.data keeps
    # it in step), so unrestricted projects pay nothing on the contribution hot path.
    groups_restricted = models.BooleanField(default=False)
    contacted = models.BooleanField(default=False)
    webhook = models.TextField(blank=True, default="")
    secret_key = models.CharField(max_length=64, default=new_secret_key)
    password_hash = models.CharField(max_length=255, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "crowdfold_project"
        ordering = ["id"]
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
