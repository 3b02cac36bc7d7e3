from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "crowdfold.tasks"
    label = "tasks"
    verbose_name = _("Tasks, answers and results")
