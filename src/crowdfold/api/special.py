"""PYBOSSA's special endpoints beside the resources: ``/api/globalstats`` and the external-user
token ``/api/auth/project/<short_name>/token`` (reference §2.9, §2.10)."""

from __future__ import annotations

import hmac

from django.db.models import Count, Sum
from django.http import HttpResponse
from ninja import Header, Router

from crowdfold.accounts.models import User
from crowdfold.lib.errors import Forbidden, NotFound
from crowdfold.ops.cache import remember
from crowdfold.projects.access import mint_external_token
from crowdfold.projects.models import Category, Project
from crowdfold.tasks.models import Result, Task, TaskRun

router = Router(tags=["site"])


def global_stats() -> dict:
    """Site-wide counts in PYBOSSA's shape (``n_tasks`` is its sum of redundancies, a quirk kept
    because clients compute ``n_pending_tasks`` from it)."""
    n_tasks = Task.objects.aggregate(total=Sum("n_answers"))["total"] or 0
    n_task_runs = TaskRun.objects.count()
    anonymous = TaskRun.objects.filter(user_ip__isnull=False).values("user_ip").distinct().count()
    categories = [
        {row["short_name"]: row["n"]}
        for row in Category.objects.annotate(n=Count("projects"))
        .values("short_name", "n")
        .order_by("id")
    ]
    categories.append({"featured": Project.objects.filter(featured=True).count()})
    categories.append({"draft": Project.objects.filter(published=False).count()})
    return {
        "n_projects": Project.objects.count(),
        "n_users": User.objects.filter(is_active=True).count() + anonymous,
        "n_tasks": n_tasks,
        "n_task_runs": n_task_runs,
        "n_pending_tasks": n_tasks - n_task_runs,
        "n_results": Result.objects.filter(info__isnull=False).count(),
        "categories": categories,
    }


@router.get("/globalstats", summary="Site-wide counts")
def globalstats(request):
    # The sums scan every task: cached for STATS_FRONTPAGE_TIMEOUT, fresh again as soon as a stats
    # refresh sees new answers or a project or category changes.
    return remember(
        "api:globalstats",
        "STATS_FRONTPAGE_TIMEOUT",
        global_stats,
        scopes=("stats", "projects", "categories"),
    )


@router.get(
    "/auth/project/{short_name}/token",
    summary="Mint the JWT an owner's server hands to its external users",
    description="Send the project's secret key as the raw `Authorization` header; the body is the bare JWT.",
)
def project_token(request, short_name: str, authorization: str | None = Header(None)):
    if not authorization:
        raise Forbidden(
            "Send the project's secret key in the Authorization header", target="project"
        )
    project = Project.objects.filter(short_name=short_name).first()
    if project is None or not hmac.compare_digest(project.secret_key, authorization.strip()):
        raise NotFound("404 Not Found: project or secret key", target="project")
    return HttpResponse(mint_external_token(project), content_type="text/plain")
