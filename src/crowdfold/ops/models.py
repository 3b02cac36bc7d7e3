"""Operational records: failed background jobs, webhook deliveries, inactivity warnings, news."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from crowdfold.projects.models import Project


class FailedJob(models.Model):
    """A background job that failed after all its retries. Admins are mailed when it is recorded
    and reminded every ``FAILED_JOBS_MAILS`` days until someone marks it resolved."""

    task_name = models.CharField(max_length=255)
    task_id = models.CharField(max_length=64)
    arguments = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    timed_out = models.BooleanField(default=False)
    failed_at = models.DateTimeField(default=timezone.now)
    mailed_at = models.DateTimeField(null=True, blank=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        db_table = "crowdfold_failed_job"
        ordering = ["-id"]
        indexes = [models.Index(fields=["resolved", "mailed_at"], name="failedjob_pending_idx")]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.task_id})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"


class WebhookDelivery(models.Model):
    """One webhook event for one completed task (PYBOSSA's ``webhook`` row): the payload, where it
    stands, and the last answer. Every attempt is kept in ``WebhookAttempt``."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    url = models.TextField()
    payload = models.JSONField()
    # The result the event is about (also in the payload): finds an event already recorded without
    # reading every payload of the project (ops.webhooks: no event is recorded twice).
    result_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    response_status_code = models.IntegerField(null=True, blank=True)
    response = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "crowdfold_webhook_delivery"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["project", "status", "id"], name="webhook_project_idx"),
            models.Index(fields=["result_id"], name="webhook_result_idx"),
        ]


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    started = models.DateTimeField(default=timezone.now)
    rerun = models.BooleanField(default=False)
    status_code = models.IntegerField(null=True, blank=True)
    response = models.TextField(blank=True, default="")  # excerpt, or the connection error
    ok = models.BooleanField(default=False)

    class Meta:
        db_table = "crowdfold_webhook_attempt"
        ordering = ["id"]


class ProjectInactivityWarning(models.Model):
    """When the owners of an inactive published project were warned it will be unpublished."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+")
    warned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "crowdfold_project_inactivity_warning"


class NewsItem(models.Model):
    """An entry of a ``NEWS_URL`` feed, shown on the admin dashboard."""

    feed_url = models.TextField()
    guid = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    link = models.TextField(blank=True, default="")
    updated = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "crowdfold_news_item"
        ordering = ["-updated", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["feed_url", "guid"], name="newsitem_one_per_feed_guid")
        ]

    def __str__(self) -> str:
        return self.title
