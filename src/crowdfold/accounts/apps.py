from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "crowdfold.accounts"
    label = "accounts"
    verbose_name = "Accounts"
