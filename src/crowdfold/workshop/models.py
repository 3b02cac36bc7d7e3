"""The owner's workshop: the audit log of project changes and the project blog."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crowdfold.projects.models import Project


class AuditEntry(models.Model):
    """One changed attribute of a project: who, when, old → new, through which door.

    Rows outlive the project and the person (names are copied) so a deletion stays on record.
    """

    class Caller(models.TextChoices):
        WEB = "web"
        API = "api"
        CLI = "cli"
        JOB = "job"

    project = models.ForeignKey(
        Project, null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    project_short_name = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(max_length=150, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, default="update")  # create, update, delete
    caller = models.CharField(max_length=8, choices=Caller.choices, default=Caller.WEB)
    attribute = models.CharField(max_length=100)
    old_value = models.TextField(blank=True, default="")
    new_value = models.TextField(blank=True, default="")

    class Meta:
        db_table = "crowdfold_auditlog"
        ordering = ["-id"]
        indexes = [models.Index(fields=["project", "-id"], name="auditlog_project_idx")]


class BlogPost(models.Model):
    """A post on a project's blog; volunteers are told about it (see services.publish_post)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="blog_posts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=255)
    body = models.TextField(help_text="Markdown")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "crowdfold_blogpost"
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["project", "-created"], name="blogpost_project_idx")]
