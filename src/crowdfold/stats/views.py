"""Statistics and leaderboard pages: they read precomputed rows only, cached for PYBOSSA's
``STATS_APP_TIMEOUT`` (a draft's: ``STATS_DRAFT_TIMEOUT``), ``STATS_FRONTPAGE_TIMEOUT`` and
``USER_TOP_TIMEOUT``; a stats refresh that changes the figures invalidates them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from crowdfold.accounts import privacy
from crowdfold.ops.cache import remember
from crowdfold.stats import leaderboard, report
from crowdfold.workshop.access import better_stats, can_manage, owner_view, viewable_project

MAX_WINDOW = 10


def _privacy_blocks(request) -> bool:
    return not privacy.people_pages_visible(request.user)


@owner_view
def project_stats(request, short_name: str):
    project = viewable_project(request, short_name)
    # Top volunteers are PYBOSSA's "better stats" (pro owners' projects; admins see them always).
    show_people = better_stats(project, request.user) and not _privacy_blocks(request)
    data = remember(
        f"stats:project:{project.pk}:{int(show_people)}",
        "STATS_APP_TIMEOUT" if project.published else "STATS_DRAFT_TIMEOUT",
        lambda: report.project_report(project, show_people=show_people),
        scopes=(f"stats:{project.pk}",),
    )
    for volunteer in data.top_volunteers:  # privacy mode hides the full name, as on profiles
        volunteer["shown"] = privacy.display_name(request.user, volunteer.pop("user"))
    return render(
        request,
        "stats/project.html",
        {
            "project": project,
            "report": data,
            "manager": can_manage(project, request.user),
            "better_stats": better_stats(project, request.user),
        },
    )


def site_stats(request):
    if _privacy_blocks(request):
        raise PermissionDenied(_("Statistics are private on this server"))
    site = remember(
        "stats:site", "STATS_FRONTPAGE_TIMEOUT", report.site_report, scopes=("stats", "projects")
    )
    return render(request, "stats/site.html", {"site": site})


def leaderboard_page(request, window: int = 0):
    if _privacy_blocks(request):
        raise PermissionDenied(_("The leaderboard is private on this server"))
    board = request.GET.get("info", leaderboard.ANSWERS_BOARD)
    if board and board not in leaderboard.custom_boards():
        raise Http404("No such leaderboard")
    top = remember(
        f"leaderboard:{board}",
        "USER_TOP_TIMEOUT",
        lambda: list(leaderboard.top_entries(board)),
        scopes=("leaderboard",),
    )
    extra = []
    if request.user.is_authenticated and all(e.user_id != request.user.pk for e in top):
        around = leaderboard.entries_around(board, request.user, min(window, MAX_WINDOW))
        extra = [e for e in around if e.rank > len(top)]
    for entry in [*top, *extra]:
        entry.shown = privacy.display_name(request.user, entry.user)
    return render(
        request,
        "stats/leaderboard.html",
        {
            "board": board,
            "boards": leaderboard.custom_boards(),
            "top": top,
            "extra": extra,
        },
    )
