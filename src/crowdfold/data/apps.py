from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataConfig(AppConfig):
    name = "crowdfold.data"
    label = "data"
    verbose_name = _("Imports, exports, batches and groups")

    def ready(self) -> None:
        from crowdfold.data import signals  # noqa: F401  (connects the receivers)
        from crowdfold.data.jobs import autoimport_all
        from crowdfold.ops.periodic import register

        register("autoimport", autoimport_all)
