from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "crowdfold.stats"
    label = "stats"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from crowdfold.ops import periodic
        from crowdfold.stats import signals  # noqa: F401  (connects the receivers)
        from crowdfold.stats.refresh import refresh_all

        # ops' periodic job runs this every STATS_REFRESH_MINUTES (statistics, then leaderboards).
        periodic.register("stats", refresh_all)
