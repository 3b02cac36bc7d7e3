"""The admin's views of operations: failed jobs (PYBOSSA's failed-jobs page), webhooks, news."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from crowdfold.ops.models import FailedJob, NewsItem, WebhookAttempt, WebhookDelivery


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):
    list_display = ("task_name", "task_id", "failed_at", "timed_out", "mailed_at", "resolved")
    list_filter = ("resolved", "timed_out", "task_name")
    readonly_fields = (
        "task_name",
        "task_id",
        "arguments",
        "error",
        "timed_out",
        "failed_at",
        "mailed_at",
    )
    actions = ["mark_resolved"]

    @admin.action(description=_("Mark as resolved (stops the reminder mails)"))
    def mark_resolved(self, request, queryset):
        queryset.update(resolved=True)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("started", "rerun", "status_code", "ok", "response")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "project", "status", "response_status_code", "attempts", "created")
    list_filter = ("status",)
    readonly_fields = (
        "project",
        "url",
        "payload",
        "status",
        "response_status_code",
        "response",
        "attempts",
    )
    inlines = [WebhookAttemptInline]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ("title", "updated", "feed_url")
