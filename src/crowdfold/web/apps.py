from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "crowdfold.web"
    label = "crowdfold_web"
