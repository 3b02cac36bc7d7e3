"""Operational records: failed background jobs, webhook deliveries, inactivity warnings, news."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crowdfold.projects.models import Project


class FailedJob(models.Model):
    """A background job that failed after all its retries. Admins are mailed when it is recorded
    and reminded every ``FAILED_JOBS_MAILS`` days until someone marks it resolved."""

    task_name = models.CharField(_("job"), max_length=255)
    task_id = models.CharField(_("job ID"), max_length=64)
    arguments = models.TextField(_("arguments"), blank=True, default="")
    error = models.TextField(_("error"), blank=True, default="")
    timed_out = models.BooleanField(_("timed out"), default=False)
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now)
    mailed_at = models.DateTimeField(_("admins mailed at"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        db_table = "crowdfold_failed_job"
        ordering = ["-id"]
        indexes = [models.Index(fields=["resolved", "mailed_at"], name="failedjob_pending_idx")]
        verbose_name = _("failed job")
        verbose_name_plural = _("failed jobs")

    def __str__(self) -> str:
        return f"{self.task_name} ({self.task_id})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCESS = "success", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One webhook event for one completed task (PYBOSSA's ``webhook`` row): the payload, where it
    stands, and the last answer. Every attempt is kept in ``WebhookAttempt``."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="webhook_deliveries",
        verbose_name=_("project"),
    )
    url = models.TextField(_("URL"))
    payload = models.JSONField(_("payload"))
    # The result the event is about (also in the payload): finds an event already recorded without
    # reading every payload of the project (ops.webhooks: no event is recorded twice).
    result_id = models.BigIntegerField(_("result ID"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    response_status_code = models.IntegerField(_("response status code"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True, default="")
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "crowdfold_webhook_delivery"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["project", "status", "id"], name="webhook_project_idx"),
            models.Index(fields=["result_id"], name="webhook_result_idx"),
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("webhook delivery"),
    )
    started = models.DateTimeField(_("started"), default=timezone.now)
    rerun = models.BooleanField(_("rerun"), default=False)
    status_code = models.IntegerField(_("status code"), null=True, blank=True)
    # The excerpt of the answer, or the connection error.
    response = models.TextField(_("response"), blank=True, default="")
    ok = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        db_table = "crowdfold_webhook_attempt"
        ordering = ["id"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")


class ProjectInactivityWarning(models.Model):
    """When the owners of an inactive published project were warned it will be unpublished."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+")
    warned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "crowdfold_project_inactivity_warning"


class NewsItem(models.Model):
    """An entry of a ``NEWS_URL`` feed, shown on the admin dashboard."""

    feed_url = models.TextField(_("feed URL"))
    guid = models.CharField(_("GUID"), max_length=500)
    title = models.CharField(_("title"), max_length=500)
    link = models.TextField(_("link"), blank=True, default="")
    updated = models.DateTimeField(_("updated"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now)

    class Meta:
        db_table = "crowdfold_news_item"
        ordering = ["-updated", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["feed_url", "guid"], name="newsitem_one_per_feed_guid")
        ]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def __str__(self) -> str:
        return self.title
