from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "crowdfold.stats"
    label = "stats"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from crowdfold.stats import signals  # noqa: F401  (connects the receivers)
