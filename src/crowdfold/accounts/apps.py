from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "crowdfold.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from crowdfold.accounts import signals  # noqa: F401  (connects the receivers)
