"""Privacy rules, pages and API side by side: for the same people and settings, the profile page,
the people list, the leaderboard and the statistics page reveal exactly what ``/api/user`` reveals.

The person looked at is ``volunteer`` (full name "Vera Volunteer", a picture, an ``extra`` note, a
``team`` key the operator may publish and a ``secret`` key nobody else may see); the viewers are an
anonymous visitor and another registered person (``outsider``). Admins and the person themself see
everything, checked once at the end.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from crowdfold.accounts.models import User
from crowdfold.projects.models import Category
from crowdfold.stats.refresh import refresh_all
from tests.conftest import make_tasks
from tests.owner.factories import add_runs

INFO = {"avatar_url": "/uploads/vera.png", "extra": "Birdwatcher", "team": "Owls", "secret": "S3cr"}
INFO_VALUES = {key: value for key, value in INFO.items() if key != "avatar_url"}


@pytest.fixture
def world(project, owner, volunteer, outsider):
    User.objects.filter(pk=volunteer.pk).update(fullname="Vera Volunteer", info=INFO)
    User.objects.filter(pk=owner.pk).update(pro=True)  # its project shows top volunteers
    add_runs(project, make_tasks(project, 2, n_answers=1), [volunteer], [timezone.now()] * 2)
    refresh_all(now=timezone.now() + timedelta(hours=1))
    volunteer.refresh_from_db()
    return volunteer


def browser(user=None) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.40")
    if user is not None:
        client.force_login(user)
    return client


def page_view(client: Client, person: User) -> dict:
    """What the profile page, the people list, the leaderboard and the stats page reveal."""
    profile = client.get(f"/account/{person.username}/")
    html = profile.content.decode() if profile.status_code == 200 else ""
    people = client.get("/account/")
    board = client.get("/leaderboard/")
    stats = client.get("/project/birds/stats").content.decode()
    return {
        "profile": "shown" if profile.status_code == 200 else "hidden",
        "fullname": "Vera Volunteer" in html,
        "created": "Volunteer since" in html,
        "info": sorted(k for k, v in INFO_VALUES.items() if v in html),
        "picture": INFO["avatar_url"] in html,
        "listed": people.status_code == 200
        and f"/account/{person.username}/" in people.content.decode(),
        "ranked as": (
            None
            if board.status_code != 200
            or person.username not in board.content.decode()
            and "Vera Volunteer" not in board.content.decode()
            else "Vera Volunteer"
            if "Vera Volunteer" in board.content.decode()
            else person.username
        ),
        "top volunteer as": "Vera Volunteer"
        if "Vera Volunteer" in stats
        else person.username
        if f"<td>{person.username}</td>" in stats
        else None,
    }


def api_view(api_client, person: User, rankable: bool) -> dict:
    """The same questions, answered from /api/user alone."""
    item = api_client.get(f"/api/user/{person.pk}")
    row = item.json() if item.status_code == 200 else {}
    listed = api_client.get("/api/user", {"name": person.username}).json()
    name = (row.get("fullname") or row.get("name")) if row else None
    return {
        "profile": "shown" if item.status_code == 200 else "hidden",
        "fullname": row.get("fullname") == "Vera Volunteer",
        "created": "created" in row,
        "info": sorted(k for k in INFO_VALUES if k in row.get("info", {})),
        "picture": row.get("info", {}).get("avatar_url") == INFO["avatar_url"],
        "listed": bool(listed),
        "ranked as": name if rankable else None,
        "top volunteer as": name,
    }


CASES = {
    "defaults (privacy mode on)": {},
    "privacy mode off": {"privacy_mode": False},
    "privacy mode off, team published": {"privacy_mode": False, "fields": ["team"]},
    "privacy mode on, team published": {"fields": ["team"]},
    "restricted processing": {"privacy_mode": False, "restrict": True},
    "ENFORCE_PRIVACY": {"privacy_mode": False, "enforce": True},
}


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
@pytest.mark.parametrize("case", list(CASES))
def test_pages_and_api_reveal_the_same_about_a_person(world, outsider, api, settings, case, viewer):
    spec = CASES[case]
    User.objects.filter(pk=world.pk).update(
        privacy_mode=spec.get("privacy_mode", True), restrict=spec.get("restrict", False)
    )
    settings.USER_INFO_PUBLIC_FIELDS = spec.get("fields", [])
    settings.ENFORCE_PRIVACY = spec.get("enforce", False)
    refresh_all(now=timezone.now() + timedelta(hours=1))  # restricted people leave the boards
    world.refresh_from_db()
    who = outsider if viewer == "outsider" else None
    on_pages = page_view(browser(who), world)
    # Leaderboards and statistics pages are refused under ENFORCE_PRIVACY; restricted people
    # are on no board. The API has no leaderboard: the person's name there is what a board shows.
    rankable = not settings.ENFORCE_PRIVACY and not world.restrict
    on_api = api_view(api(who), world, rankable)
    assert on_pages == on_api


def test_the_rules_behind_the_cases(world, api, settings):
    """A few absolute facts, so the side-by-side test cannot pass by both sides being wrong. (A
    restricted person's page answers 404, as if absent; the API answers PYBOSSA's 401/403.)"""
    anonymous = api_view(api(), world, rankable=True)
    assert anonymous["fullname"] is False and anonymous["info"] == ["extra"]
    assert "secret" not in str(api().get(f"/api/user/{world.pk}").json())
    settings.USER_INFO_PUBLIC_FIELDS = ["team"]
    assert page_view(browser(), world)["info"] == ["extra", "team"]
    settings.ENFORCE_PRIVACY = True
    assert browser().get(f"/account/{world.username}/").status_code == 403
    assert api().get("/api/user").json() == []


def test_the_person_and_admins_see_everything_on_both(world, admin, api):
    for viewer in (world, admin):
        on_pages = page_view(browser(viewer), world)
        row = api(viewer).get(f"/api/user/{world.pk}").json()
        assert on_pages["fullname"] and on_pages["created"] and on_pages["picture"]
        assert row["fullname"] == "Vera Volunteer" and row["info"] == INFO  # incl. the secret
    assert page_view(browser(world), world)["info"] == ["extra"]  # pages show public keys only


def test_category_and_project_info_follow_their_public_fields(project, api, settings):
    category = Category.objects.create(name="Birds", short_name="birdcat", info={"a": 1, "b": 2})
    project.info = {"task_presenter": "<p>x</p>", "sched": "default", "private": "p", "pub": 1}
    project.save()
    make_tasks(project, 1)
    settings.CATEGORY_INFO_PUBLIC_FIELDS = ["a"]
    settings.PROJECT_INFO_PUBLIC_FIELDS = ["pub"]
    assert api().get(f"/api/category/{category.pk}").json()["info"] == {"a": 1}
    project_info = api().get(f"/api/project/{project.pk}").json()["info"]
    assert project_info == {"task_presenter": "<p>x</p>", "sched": "default", "pub": 1}
    # The presenter (through the page's bridge) learns what the API tells everyone.
    page = Client().get(f"/project/{project.short_name}/newtask").content.decode()
    config = json.loads(
        page.split('id="cf-bridge-config" type="application/json">')[1].split("<")[0]
    )
    assert config["project"]["info"] == project_info
