"""Batches of tasks, contributor groups and their grants, import jobs and saved import sources.

A ``Batch`` is a named slice of a project's tasks loaded together (Vulyk's batches): stats and exports
can be cut by batch, and each batch carries ``meta`` copied from the project's default batch. Groups
restrict who may contribute: a project is open to everyone unless a group is granted on it or on its
category, in which case only members of a granted group (and the project's owners and admins) may
contribute. ``Project.groups_restricted`` mirrors "has any grant" so the contribution hot path reads it
from the row it already loaded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from crowdfold.projects.models import Category, Project

DEFAULT_BATCH = "default"


class Batch(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="batches")
    name = models.CharField(max_length=50)
    meta = models.JSONField(default=dict, blank=True)
    is_default = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "crowdfold_batch"
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="batch_name_unique_in_project"
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(is_default=True),
                name="batch_one_default_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.name}"


class ContributorGroup(models.Model):
    """A named set of users (Vulyk's groups). ``name`` is a symbolic code: letters, digits, ``_``."""

    name = models.CharField(max_length=64, unique=True)
    description = models.CharField(max_length=255, blank=True, default="")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="contributor_groups", blank=True
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "crowdfold_group"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupGrant(models.Model):
    """Group ``group`` may contribute to ``project`` (or to every project of ``category``)."""

    group = models.ForeignKey(ContributorGroup, on_delete=models.CASCADE, related_name="grants")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "crowdfold_group_grant"
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, category__isnull=True)
                | Q(project__isnull=True, category__isnull=False),
                name="grant_project_xor_category",
            ),
            models.UniqueConstraint(fields=["group", "project"], name="grant_once_per_project"),
            models.UniqueConstraint(fields=["group", "category"], name="grant_once_per_category"),
        ]

    def __str__(self) -> str:
        target = f"project {self.project_id}" if self.project_id else f"category {self.category_id}"
        return f"{self.group_id} may contribute to {target}"


class JobState(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(models.Model):
    """A background import: where the rows come from, how far it got and how it ended."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="import_jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.JSONField(default=dict)  # {"type": ..., importer arguments...}
    options = models.JSONField(default=dict)  # batch, meta, n_answers, priority, allow_duplicates
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    rows_read = models.BigIntegerField(default=0)
    n_created = models.BigIntegerField(default=0)
    n_duplicates = models.BigIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "crowdfold_import_job"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"import {self.pk} into project {self.project_id} ({self.state})"


class AutoImporter(models.Model):
    """A saved URL source re-imported periodically; duplicates are skipped, so only new rows land."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="autoimporter")
    source = models.JSONField(default=dict)
    options = models.JSONField(default=dict)
    last_run = models.DateTimeField(null=True, blank=True)
    last_created = models.BigIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        db_table = "crowdfold_autoimporter"

    def __str__(self) -> str:
        return f"autoimporter of project {self.project_id}"


class CkanPush(models.Model):
    """A background push of a project's data to CKAN (``crowdfold.data.ckan``).

    ``api_key`` holds the key given for this push only while the job waits or runs; it is blanked
    when the job ends."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ckan_pushes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    api_key = models.CharField(max_length=255, blank=True, default="")
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    stage = models.CharField(max_length=16, blank=True, default="")  # resource being written
    rows = models.BigIntegerField(default=0)  # rows written in total when done
    dataset_url = models.URLField(max_length=500, blank=True, default="")
    error = models.TextField(blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "crowdfold_ckan_push"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"CKAN push {self.pk} of project {self.project_id} ({self.state})"
