"""PYBOSSA's named cache timeouts govern the pages they name.

Each case changes what a page shows *behind the cache's back* (a queryset ``update()``, which sends
no signal): with the default timeouts the page keeps serving its cached copy; with only that page's
named timeout set to 0 (no caching) the same change shows at once -- so that timeout, and no other,
is the one applied. Saving through the models invalidates (on commit), a stats refresh that changes
the figures invalidates the statistics, entries expire after their timeout,
``PYBOSSA_REDIS_CACHE_DISABLED`` (a DummyCache) and a dead Redis both mean "always fresh".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest
from django.test import Client

from crowdfold.accounts.models import User
from crowdfold.projects.models import Category, Project
from crowdfold.stats.models import LeaderboardEntry, ProjectStats
from crowdfold.stats.refresh import refresh_all
from crowdfold.tasks.models import Task
from tests.conftest import make_tasks


@pytest.fixture
def world(project, owner, volunteer, django_capture_on_commit_callbacks):
    category = Category.objects.create(name="Nature", short_name="nature", description="d")
    project.category = category
    project.save()
    make_tasks(project, 2, n_answers=1)
    User.objects.filter(pk__in=[owner.pk, volunteer.pk]).update(privacy_mode=False)  # listed
    with django_capture_on_commit_callbacks(execute=True):
        refresh_all()
    LeaderboardEntry.objects.create(board="", user=volunteer, score=7, rank=1)
    return {"project": project, "category": category, "owner": owner, "volunteer": volunteer}


def rename_project(world, n):
    Project.objects.filter(pk=world["project"].pk).update(name=f"Renamed Birds {n}")
    return f"Renamed Birds {n}"


def rename_category(world, n):
    Category.objects.filter(pk=world["category"].pk).update(name=f"Renamed Nature {n}")
    return f"Renamed Nature {n}"


def rename_volunteer(world, n):
    User.objects.filter(pk=world["volunteer"].pk).update(fullname=f"Vera Renamed {n}")
    return f"Vera Renamed {n}"


def tamper_stats(world, n):
    ProjectStats.objects.filter(project=world["project"]).update(n_tasks=1000 + n)
    return f'id="stat-tasks">{1000 + n}<'


def tamper_site_stats(world, n):
    ProjectStats.objects.filter(project=world["project"]).update(n_task_runs=2000 + n)
    return f'id="site-answers">{2000 + n}<'


def add_users(world, n):
    User.objects.bulk_create(
        [User(username=f"extra{n}-{i}", email=f"e{n}{i}@x.org") for i in range(5)]
    )
    return f'id="site-users">{User.objects.count()}<'


def add_draft(world, n):
    Project.objects.bulk_create(
        [
            Project(
                name=f"Draft {n}",
                short_name=f"draft{n}",
                description="d",
                owner=world["owner"],
                category=world["category"],
            )
        ]
    )
    return f"({Project.objects.filter(published=False).count()} drafts)"


def add_tasks(world, n):
    make_tasks(world["project"], 3 * n, n_answers=2)
    return f'"n_tasks": {sum(Task.objects.values_list("n_answers", flat=True))}'


def rescore(world, n):
    LeaderboardEntry.objects.update(score=100 + n)
    return f"<td>{100 + n}</td>"


@dataclass
class Case:
    url: str
    timeout: str
    change: object
    # Timeouts of the page around this figure, turned off too so that only ``timeout`` caches it.
    around: list[str] = field(default_factory=list)


CASES = {
    "home project lists": Case("/", "APP_TIMEOUT", rename_project),
    "home categories": Case("/", "N_APPS_PER_CATEGORY_TIMEOUT", rename_category, ["APP_TIMEOUT"]),
    "category page projects": Case(
        "/project/category/nature/", "APP_TIMEOUT", rename_project, ["CATEGORY_TIMEOUT"]
    ),
    "category list": Case(
        "/project/category/nature/", "CATEGORY_TIMEOUT", rename_category, ["APP_TIMEOUT"]
    ),
    "project statistics": Case("/project/birds/stats", "STATS_APP_TIMEOUT", tamper_stats),
    "site statistics": Case("/stats/", "STATS_FRONTPAGE_TIMEOUT", tamper_site_stats),
    "registered users": Case(
        "/stats/", "REGISTERED_USERS_TIMEOUT", add_users, ["STATS_FRONTPAGE_TIMEOUT"]
    ),
    "draft count": Case("/stats/", "STATS_DRAFT_TIMEOUT", add_draft, ["STATS_FRONTPAGE_TIMEOUT"]),
    "globalstats": Case("/api/globalstats", "STATS_FRONTPAGE_TIMEOUT", add_tasks),
    "leaderboard": Case("/leaderboard/", "USER_TOP_TIMEOUT", rescore),
    "user list": Case("/account/", "USER_TIMEOUT", rename_volunteer),
    "profile": Case("/account/owner/", "USER_TIMEOUT", rename_project),
}


def fetch(url: str) -> str:
    res = Client().get(url)
    assert res.status_code == 200, (url, res.status_code)
    return res.content.decode()


@pytest.mark.parametrize("name", list(CASES))
def test_a_page_serves_its_cached_copy_and_its_named_timeout_is_what_caches_it(
    name, world, settings
):
    case = CASES[name]
    fetch(case.url)
    hidden = case.change(world, 1)
    assert hidden not in fetch(case.url)  # the cached copy, although the rows changed

    from django.core.cache import caches

    caches["content"].clear()
    settings.CACHE_TIMEOUTS = {
        **settings.CACHE_TIMEOUTS,
        **{other: 0 for other in case.around},
        case.timeout: 0,
    }
    fetch(case.url)
    shown = case.change(world, 2)
    assert shown in fetch(case.url)  # with this one timeout at 0, the page is computed afresh


def test_saving_a_project_or_category_invalidates_the_pages_that_show_it(
    world, django_capture_on_commit_callbacks
):
    project, category = world["project"], world["category"]
    assert "Bird Count" in fetch("/") and "Bird Count" in fetch("/project/category/nature/")
    with django_capture_on_commit_callbacks(execute=True):
        project.name = "Owls"
        project.save()
    assert "Owls" in fetch("/") and "Owls" in fetch("/project/category/nature/")
    with django_capture_on_commit_callbacks(execute=True):
        category.name = "Night birds"
        category.save()
    assert "Night birds" in fetch("/project/category/nature/") and "Night birds" in fetch("/")


def test_saving_a_user_invalidates_their_profile_and_the_user_list(
    world, django_capture_on_commit_callbacks
):
    volunteer = User.objects.get(pk=world["volunteer"].pk)
    assert "Vera" not in fetch("/account/")
    with django_capture_on_commit_callbacks(execute=True):
        volunteer.fullname = "Vera Volunteer"
        volunteer.save()
    assert "Vera Volunteer" in fetch("/account/") and "Vera Volunteer" in fetch(
        "/account/volunteer/"
    )


def test_a_stats_refresh_that_changes_the_figures_invalidates_the_statistics(
    world, api, django_capture_on_commit_callbacks, settings
):
    settings.STATS_SETTLE_SECONDS = 0
    project = world["project"]
    assert 'id="stat-answers">0<' in fetch("/project/birds/stats")
    client = api(world["volunteer"])
    task = client.get(f"/api/project/{project.pk}/newtask").json()
    client.post("/api/taskrun", {"project_id": project.pk, "task_id": task["id"], "info": 1})
    assert 'id="stat-answers">0<' in fetch("/project/birds/stats")  # not refreshed yet
    with django_capture_on_commit_callbacks(execute=True):
        refresh_all()
    assert 'id="stat-answers">1<' in fetch("/project/birds/stats")
    assert 'id="site-answers">1<' in fetch("/stats/")


def test_a_cached_page_is_computed_afresh_once_its_timeout_expires(world, settings):
    settings.CACHE_TIMEOUTS = {**settings.CACHE_TIMEOUTS, "APP_TIMEOUT": 1}
    fetch("/")
    rename_project(world, 1)
    assert "Renamed Birds 1" not in fetch("/")
    time.sleep(1.1)
    assert "Renamed Birds 1" in fetch("/")


def test_pybossa_redis_cache_disabled_serves_every_page_fresh(world, settings):
    settings.CACHES = {
        **settings.CACHES,
        "content": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    fetch("/")
    assert rename_project(world, 1) in fetch("/")
    assert tamper_stats(world, 3) in fetch("/project/birds/stats")


def test_a_dead_redis_means_uncached_pages_not_errors(world, settings):
    dead = {
        "BACKEND": "crowdfold.ops.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "KEY_PREFIX": "cf-dead",
        "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
    }
    settings.CACHES = {"default": dead, "content": {**dead, "KEY_PREFIX": "cf-dead-content"}}
    fetch("/")
    assert rename_project(world, 1) in fetch("/")
    assert rename_volunteer(world, 2) in fetch("/account/")
    assert tamper_stats(world, 3) in fetch("/project/birds/stats")
