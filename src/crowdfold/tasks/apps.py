from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "crowdfold.tasks"
    label = "tasks"
    verbose_name = "Tasks, answers and results"
