"""Import a template's sample tasks into a project (seam: the data helper's import service can
take over; these are a handful of tasks read from the package)."""

from __future__ import annotations

from django.conf import settings

from crowdfold.tasks.models import Task
from crowdfold.workshop.audit import record_changes
from crowdfold.workshop.presenters import sample_tasks


def _absolute(request, info: dict) -> dict:
    # Samples name media by site path; tasks carry full URLs, as PYBOSSA's do.
    return {
        key: request.build_absolute_uri(value)
        if isinstance(value, str) and value.startswith("/static/")
        else value
        for key, value in info.items()
    }


def import_sample_tasks(request, project, template: str) -> int:
    infos = [_absolute(request, info) for info in sample_tasks(template)]
    n_answers = (project.info or {}).get("default_n_answers") or settings.DEFAULT_N_ANSWERS
    Task.objects.bulk_create(
        [Task(project=project, info=info, n_answers=n_answers) for info in infos]
    )
    record_changes(project, request.user, {"tasks.imported": (None, len(infos))})
    return len(infos)
