from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "crowdfold.projects"
    label = "projects"
    verbose_name = "Projects"
