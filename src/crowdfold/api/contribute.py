"""The contribution loop: ``newtask``, ``POST /api/taskrun``, ``userprogress``, ``skip``."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from ninja import Router

from crowdfold.api.auth import api_user, bearer_token
from crowdfold.api.errors import parse_json_body
from crowdfold.api.wire import task_dict, taskrun_dict
from crowdfold.lib import fastsql, hotrows
from crowdfold.lib.errors import BadRequest, Forbidden, InvalidKey, NotFound
from crowdfold.projects.access import ensure_password_access, verify_external_token
from crowdfold.projects.models import Project
from crowdfold.tasks import pg_functions
from crowdfold.tasks.answers import AnswerInput, submit_answer
from crowdfold.tasks.identity import contributor_for
from crowdfold.tasks.models import Task, TaskRun
from crowdfold.tasks.scheduling import assign_next_tasks, skip_task

router = Router(tags=["contribute"])

_NO_ANON = "This project does not allow anonymous contributors"
_TASK_FIELDS = (
    "id",
    "created",
    "project_id",
    "state",
    "quorum",
    "calibration",
    "priority_0",
    "n_answers",
    "fav_user_ids",
)
TASKRUN_WRITABLE = {
    "project_id",
    "task_id",
    "info",
    "external_uid",
    "media_url",
    "link",
    "links",
    "user_id",
    "user_ip",
    "timeout",
    "calibration",
}
TASKRUN_RESERVED = {"id", "created", "finish_time"}


def load_project(project_id: int) -> Project | None:
    return hotrows.projects.get(
        project_id, lambda: fastsql.select_one(Project, "id = %s", [project_id])
    )


def _project(project_id: int, target: str = "project") -> Project:
    project = load_project(project_id)
    if project is None:
        raise NotFound(f"404 Not Found: project {project_id}", target=target)
    return project


def _contributor(request, project: Project, external_uid: str | None):
    user = api_user(request)
    if external_uid:
        verify_external_token(project, bearer_token(request))
    contributor = contributor_for(request, user, external_uid)
    ensure_password_access(request, project, user, contributor.key)
    return contributor


def _refuse_cross_origin_session_write(request) -> None:
    """Writes authenticated by the browser session must come from our own pages (the presenter
    bridge): the API takes no CSRF token (PYBOSSA compatibility), so the Origin (or Referer) header
    is what tells a volunteer's own page from another site or a sandboxed presenter frame. API keys
    and non-browser clients are not affected."""
    if request.META.get("HTTP_AUTHORIZATION") or request.GET.get("api_key"):
        return
    session_user = getattr(request, "user", None)
    if session_user is None or not session_user.is_authenticated:
        return
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        if not referer.scheme:
            return
        origin = f"{referer.scheme}://{referer.netloc}"
    if origin not in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}:
        raise Forbidden("Cross-origin requests with a session cookie are refused; use an API key")


def _parse_bool(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    lowered = value.lower()
    if lowered in {"true", "yes", "on", "y", "1"}:
        return True
    if lowered in {"false", "no", "off", "n", "0"}:
        return False
    raise BadRequest(f"desc must be a boolean, not {value!r}")


@router.get("/project/{int:project_id}/newtask", summary="Hand the caller the next task(s)")
def newtask(
    request,
    project_id: int,
    limit: int = 1,
    offset: int = 0,
    orderby: str | None = None,
    desc: str | None = None,
    external_uid: str | None = None,
):
    """PYBOSSA's ``newtask``: ``{}`` when nothing is left, one object for one task, a list for more.
    Every task handed out is reserved for the caller (see scheduling.md)."""
    project = _project(project_id)
    contributor = _contributor(request, project, external_uid)
    if contributor.is_anonymous and not project.allow_anonymous_contributors:
        empty = dict.fromkeys(_TASK_FIELDS)
        empty["info"] = {"error": _NO_ANON}
        return JsonResponse(empty)
    if project.groups_restricted:  # read from the loaded row: open projects pay no query
        from crowdfold.data.access import ensure_may_contribute

        ensure_may_contribute(project, contributor)
    tasks = assign_next_tasks(
        project, contributor, limit=limit, offset=offset, orderby=orderby, desc=_parse_bool(desc)
    )
    if not tasks:
        return JsonResponse({})
    if len(tasks) == 1:
        return JsonResponse(task_dict(tasks[0]))
    return JsonResponse([task_dict(t) for t in tasks], safe=False)


def _answer_from_payload(payload) -> AnswerInput:
    if not isinstance(payload, dict):
        raise InvalidKey("The task run payload must be a JSON object", target="taskrun")
    reserved = TASKRUN_RESERVED & payload.keys()
    if reserved:
        raise BadRequest("Reserved keys in payload", target="taskrun")
    unknown = payload.keys() - TASKRUN_WRITABLE
    if unknown:
        raise InvalidKey(f"Unknown keys in payload: {', '.join(sorted(unknown))}", target="taskrun")
    try:
        return AnswerInput(
            project_id=int(payload.get("project_id")),
            task_id=int(payload.get("task_id")),
            info=payload.get("info"),
            media_url=payload.get("media_url"),
        )
    except (TypeError, ValueError) as exc:
        raise BadRequest("project_id and task_id must be integers", target="taskrun") from exc


# Routed as the POST of the ``taskrun`` resource (api/resources/taskrun.py): one URL, one view.
def create_taskrun(request, external_uid: str | None = None):
    """PYBOSSA's task-run pipeline (§2.7): reservation guard, one answer per person, redundancy."""
    _refuse_cross_origin_session_write(request)
    payload = parse_json_body(request)
    answer = _answer_from_payload(payload)
    body_uid = payload.get("external_uid") if isinstance(payload, dict) else None
    uid = external_uid or body_uid
    if pg_functions.available():  # one database call stores it; see tasks/pg_functions.py
        task, project = None, load_project(answer.project_id)
    else:  # the task and its project, handed on to the service (this runs per answer)
        task = fastsql.select_one(Task, "id = %s", [answer.task_id])
        project = load_project(task.project_id if task is not None else answer.project_id)
        if task is not None:
            task.project = project
    if project is None:
        raise NotFound("404 Not Found: project", target="taskrun")
    contributor = _contributor(request, project, uid)
    run = submit_answer(answer, contributor, task=task, project=project)
    return JsonResponse(taskrun_dict(run))


@router.get("/project/{project_ref}/userprogress", summary="How many tasks the caller has done")
def userprogress(request, project_ref: str, external_uid: str | None = None):
    # isascii: str.isdigit() is also true for "²", which int() refuses.
    by_id = project_ref.isascii() and project_ref.isdigit()
    lookup = {"pk": int(project_ref)} if by_id else {"short_name": project_ref}
    project = Project.objects.filter(**lookup).first()
    if project is None:
        raise NotFound(f"404 Not Found: project {project_ref}", target="project")
    contributor = contributor_for(request, api_user(request), external_uid)
    done = TaskRun.objects.filter(project_id=project.pk, contributor_key=contributor.key).count()
    total = Task.objects.filter(project_id=project.pk).count()
    return {"done": done, "total": total}


@router.post("/project/{int:project_id}/skip", summary="Pass on a task")
def skip(request, project_id: int, external_uid: str | None = None):
    """Body ``{"task_id": N}``: frees the caller's reservation; the task is not offered to them again."""
    _refuse_cross_origin_session_write(request)
    project = _project(project_id)
    contributor = _contributor(request, project, external_uid)
    payload = parse_json_body(request)
    task_id = payload.get("task_id") if isinstance(payload, dict) else None
    task = (
        Task.objects.filter(pk=task_id, project_id=project.pk).first()
        if isinstance(task_id, int)
        else None
    )
    if task is None:
        raise NotFound("404 Not Found: task", target="task")
    skip_task(project, task, contributor)
    return {"skipped": task.pk}
