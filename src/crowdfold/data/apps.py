from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "crowdfold.data"
    label = "data"
    verbose_name = "Imports, exports, batches and groups"

    def ready(self) -> None:
        from crowdfold.data import signals  # noqa: F401  (connects the receivers)
