"""``/api/result``: readable by anyone (a draft project's by its owners); only ``info`` (the analysis) is writable, by the project's
owners. Results are made by completion, never through the API. Lists default to last_version=true."""

from __future__ import annotations

from crowdfold.api import openapi
from crowdfold.api.resources import values as v
from crowdfold.api.resources.base import ProjectRowsVisibility, Resource, Viewer
from crowdfold.api.resources.query import Column
from crowdfold.api.wire import result_dict, task_dict, taskrun_dict
from crowdfold.tasks import editing
from crowdfold.tasks.models import Result, Task, TaskRun


class ResultResource(ProjectRowsVisibility, Resource):
    name = "result"
    label = "Result"
    row_schema = openapi.RESULT
    model = Result
    columns = {
        "id": Column("id", "int"),
        "created": Column("created", "datetime"),
        "project_id": Column("project_id", "ids"),
        "task_id": Column("task_id", "int"),
        "last_version": Column("last_version", "bool"),
        "task_run_ids": Column("task_run_ids", "ignored", orderable=False),
        "info": Column("info", "json"),
    }
    reserved = frozenset({"id", "created", "project_id", "task_id", "task_run_ids", "last_version"})
    writable = frozenset({"info"})
    types = {"info": v.any_json}
    owner_path = "project__owner_id"

    def base_queryset(self):
        return Result.objects.select_related("project")

    parent_links = (("parent", "project", "project_id"), ("parent", "task", "task_id"))

    def to_dict(self, obj: Result, viewer: Viewer) -> dict:
        return result_dict(obj)

    def default_filters(self, qs, params, viewer: Viewer):
        if "last_version" not in params.filters:
            qs = qs.filter(last_version=True)
        return qs

    def add_related(self, rows, objs) -> None:
        task_ids = {o.task_id for o in objs}
        tasks = {t.pk: task_dict(t) for t in Task.objects.filter(pk__in=task_ids)}
        runs = {r.pk: taskrun_dict(r) for r in TaskRun.objects.filter(task_id__in=task_ids)}
        for row, obj in zip(rows, objs, strict=True):
            row["task"] = tasks.get(obj.task_id)
            row["task_runs"] = [runs[i] for i in (obj.task_run_ids or []) if i in runs]

    def check_create(self, data: dict, viewer: Viewer) -> None:
        viewer.refuse("Results are made when tasks complete; they cannot be created", self.name)

    def check_update(self, obj: Result, viewer: Viewer) -> None:
        if not viewer.manages(obj.project_id):
            viewer.refuse("Only the project's owners may change results", self.name)

    def check_delete(self, obj: Result, viewer: Viewer) -> None:
        viewer.refuse("Results cannot be deleted", self.name)

    def update(self, obj: Result, data: dict, viewer: Viewer) -> Result:
        if "info" in data:
            editing.set_result_info(obj, data["info"])
        return obj


resource = ResultResource()
