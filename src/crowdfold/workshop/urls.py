from django.urls import path

from crowdfold.workshop import progress

app_name = "workshop"

urlpatterns = [
    path("project/<str:short_name>/progress", progress.progress, name="progress"),
    path("project/<str:short_name>/progress/stream", progress.progress_stream, name="stream"),
]
