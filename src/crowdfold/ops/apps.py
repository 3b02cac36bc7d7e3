from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "crowdfold.ops"
    label = "ops"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from crowdfold.ops import jobs, periodic, webhooks  # noqa: F401 - registers the jobs
        from crowdfold.ops.cache import connect_invalidation
        from crowdfold.tasks.answers import task_completed

        task_completed.connect(webhooks.on_task_completed, dispatch_uid="crowdfold.ops.webhooks")
        connect_invalidation()
        for module in settings.JOB_MODULES:
            import_module(module)
