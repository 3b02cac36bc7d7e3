from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ApiConfig(AppConfig):
    name = "crowdfold.api"
    label = "crowdfold_api"

    def ready(self) -> None:
        from crowdfold.accounts.models import User
        from crowdfold.lib import hotrows
        from crowdfold.projects.models import Project

        # The contribution path reuses these rows for a few seconds (lib/hotrows.py): a change
        # saved in this process must not wait for that.
        for model, rows in ((Project, hotrows.projects), (User, hotrows.api_users)):
            for signal in (post_save, post_delete):
                signal.connect(
                    lambda sender, instance, rows=rows, **kw: rows.forget(instance.pk),
                    sender=model,
                    weak=False,
                    dispatch_uid=f"hotrows-{model.__name__}-{signal is post_save}",
                )
