from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "crowdfold.site"
    label = "crowdfold_site"
    verbose_name = "Site"
