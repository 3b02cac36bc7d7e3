"""``/api/taskrun``: answers are readable by anyone (a draft project's by its owners). ``POST`` is the contribution pipeline in
``api/contribute.py``. Admins, and authors whose answer is not yet part of a result, may edit or
delete an answer; anonymous answers only admins."""

from __future__ import annotations

from crowdfold.api import openapi
from crowdfold.api.resources import values as v
from crowdfold.api.resources.base import ProjectRowsVisibility, Resource, Viewer
from crowdfold.api.resources.query import Column
from crowdfold.api.wire import result_dict, task_dict, taskrun_dict
from crowdfold.tasks import editing
from crowdfold.tasks.answers import delete_answer
from crowdfold.tasks.models import Result, Task, TaskRun


def run_in_result(run: TaskRun) -> bool:
    return any(
        run.pk in (ids or [])
        for ids in Result.objects.filter(task_id=run.task_id).values_list("task_run_ids", flat=True)
    )


class TaskRunResource(ProjectRowsVisibility, Resource):
    name = "taskrun"
    label = "TaskRun"
    row_schema = openapi.TASKRUN
    model = TaskRun
    columns = {
        "id": Column("id", "int"),
        "created": Column("created", "datetime"),
        "finish_time": Column("finish_time", "datetime"),
        "project_id": Column("project_id", "ids"),
        "task_id": Column("task_id", "int"),
        "user_id": Column("user_id", "int"),
        "user_ip": Column("user_ip"),
        "external_uid": Column("external_uid"),
        "media_url": Column("media_url"),
        "timeout": Column("timeout", "int"),
        "calibration": Column("calibration", "int"),
        "info": Column("info", "json"),
    }
    reserved = frozenset({"id", "created", "finish_time"})
    writable = frozenset({"info", "media_url"})
    immutable = frozenset(
        {
            "project_id",
            "task_id",
            "user_id",
            "user_ip",
            "external_uid",
            "timeout",
            "calibration",
        }
    )
    types = {"info": v.any_json, "media_url": v.text(null=True)}
    owner_path = "project__owner_id"

    def base_queryset(self):
        return TaskRun.objects.select_related("project")

    parent_links = (("parent", "project", "project_id"), ("parent", "task", "task_id"))

    @property
    def create_operation(self):
        from crowdfold.api.contribute import create_taskrun

        return create_taskrun

    def to_dict(self, obj: TaskRun, viewer: Viewer) -> dict:
        return taskrun_dict(obj)

    def add_related(self, rows, objs) -> None:
        task_ids = {o.task_id for o in objs}
        tasks = {t.pk: task_dict(t) for t in Task.objects.filter(pk__in=task_ids)}
        results = {
            r.task_id: result_dict(r)
            for r in Result.objects.filter(task_id__in=task_ids, last_version=True)
        }
        for row, obj in zip(rows, objs, strict=True):
            row["task"] = tasks.get(obj.task_id)
            row["result"] = results.get(obj.task_id)

    def check_update(self, obj: TaskRun, viewer: Viewer) -> None:
        if viewer.is_admin:
            return
        if not viewer.authenticated or obj.user_id != viewer.pk:
            viewer.refuse("Only the author of an answer may change it", self.name)
        if run_in_result(obj):
            viewer.refuse("This answer is already part of a result", self.name)

    check_delete = check_update

    def update(self, obj: TaskRun, data: dict, viewer: Viewer) -> TaskRun:
        return editing.update_answer(obj, data)

    def delete(self, obj: TaskRun, viewer: Viewer) -> None:
        delete_answer(obj)


resource = TaskRunResource()
