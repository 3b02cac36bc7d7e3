from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "crowdfold.api"
    label = "crowdfold_api"
