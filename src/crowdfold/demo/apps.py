from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "crowdfold.demo"
    label = "crowdfold_demo"
