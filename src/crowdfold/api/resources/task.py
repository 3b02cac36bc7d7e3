"""``/api/task``: readable by anyone (a draft project's by its owners only); created and changed by
the project's owners; deleted by admins, or by owners while the task has no result. Redundancy
edits re-decide completion."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from crowdfold.api import openapi
from crowdfold.api.resources import values as v
from crowdfold.api.resources.base import ProjectRowsVisibility, Resource, Viewer
from crowdfold.api.resources.query import Column
from crowdfold.api.wire import result_dict, task_dict, taskrun_dict
from crowdfold.lib.errors import BadRequest
from crowdfold.projects.models import Project
from crowdfold.tasks import editing
from crowdfold.tasks.identity import contributor_for
from crowdfold.tasks.models import Result, Task, TaskRun


class TaskResource(ProjectRowsVisibility, Resource):
    name = "task"
    label = "Task"
    row_schema = openapi.TASK
    model = Task
    columns = {
        "id": Column("id", "int"),
        "created": Column("created", "datetime"),
        "project_id": Column("project_id", "ids"),
        "state": Column("state"),
        "quorum": Column("quorum", "int"),
        "calibration": Column("calibration", "int"),
        "priority_0": Column("priority_0", "float"),
        "n_answers": Column("n_answers", "int"),
        "fav_user_ids": Column("fav_user_ids", "ignored", orderable=False),
        "info": Column("info", "json"),
    }
    extra_params = {
        "participated": "Leave out tasks the caller has already answered",
        "external_uid": "With participated: the external user whose answers count",
    }
    reserved = frozenset({"id", "created", "state", "fav_user_ids"})
    writable = frozenset({"project_id", "info", "n_answers", "priority_0", "quorum", "calibration"})
    types = {
        "project_id": v.integer(),
        "info": v.any_json,
        "n_answers": v.integer(minimum=1, maximum=100_000),
        "priority_0": v.number,
        "quorum": v.integer(),
        "calibration": v.integer(),
    }
    owner_path = "project__owner_id"

    def base_queryset(self):
        return Task.objects.select_related("project")

    parent_links = (("parent", "project", "project_id"),)

    def to_dict(self, obj: Task, viewer: Viewer) -> dict:
        return task_dict(obj)

    def default_filters(self, qs, params, viewer: Viewer):
        if not params.extras.get("participated"):
            return qs
        # Let a front-end do its own scheduling: hide what this caller (or external user) answered.
        request_user = viewer.user if viewer.authenticated else None
        contributor = contributor_for(
            viewer.request, request_user, params.extras.get("external_uid")
        )
        answered = TaskRun.objects.filter(task_id=OuterRef("pk"), contributor_key=contributor.key)
        return qs.filter(~Exists(answered))

    def add_related(self, rows, objs) -> None:
        ids = [o.pk for o in objs]
        runs: dict[int, list] = {i: [] for i in ids}
        for run in TaskRun.objects.filter(task_id__in=ids).order_by("id"):
            runs[run.task_id].append(taskrun_dict(run))
        results = {
            r.task_id: result_dict(r)
            for r in Result.objects.filter(task_id__in=ids, last_version=True)
        }
        for row, obj in zip(rows, objs, strict=True):
            row["task_runs"] = runs[obj.pk]
            row["result"] = results.get(obj.pk)

    # -- permissions ------------------------------------------------------------------------------
    def check_create(self, data: dict, viewer: Viewer) -> None:
        project_id = data.get("project_id")
        if project_id is None or not Project.objects.filter(pk=project_id).exists():
            raise BadRequest("project_id does not exist", target=self.name)
        if not viewer.manages(project_id):
            viewer.refuse("Only the project's owners may add tasks", self.name)

    def check_update(self, obj: Task, viewer: Viewer) -> None:
        if not viewer.manages(obj.project_id):
            viewer.refuse("Only the project's owners may change tasks", self.name)

    def check_delete(self, obj: Task, viewer: Viewer) -> None:
        self.check_update(obj, viewer)
        # Owners may delete a task only while it has no result; admins always (editing.delete_task).

    # -- changes ------------------------------------------------------------------------------------
    def clean_payload(self, payload, *, obj=None) -> dict:
        data = super().clean_payload(payload, obj=obj)
        if obj is not None and "project_id" in data:
            if data["project_id"] != obj.project_id:
                raise BadRequest("A task cannot move to another project", target=self.name)
            del data["project_id"]
        return data

    def create(self, data: dict, viewer: Viewer) -> Task:
        project = Project.objects.get(pk=data.pop("project_id"))
        return editing.create_task(project, **data)

    def update(self, obj: Task, data: dict, viewer: Viewer) -> Task:
        return editing.update_task(obj, data)

    def delete(self, obj: Task, viewer: Viewer) -> None:
        editing.delete_task(obj, force=viewer.is_admin)


resource = TaskResource()
