"""A list filter is an oracle: ``/api/project?info=budget::42`` answers with the project exactly when
its private ``budget`` is 42, without ever showing it. So filters, full-text search and sorting on an
``info`` key are for those who may read that key: the project's managers (admin, owner, co-owners)
for a project's private keys, admins for a category's. Others get a 400 in PYBOSSA's error shape, the
same whatever the value they guessed. Users: ``test_private_info.py``
(``test_filters_and_sorting_do_not_reveal_private_details``).
"""

from __future__ import annotations

import pytest

from crowdfold.projects.services import create_project
from tests.api.conftest import assert_error

BUDGET = "budget4217"
SNOOPING = [
    {"info": f"budget::{BUDGET}"},
    {"info": f'{{"budget": "{BUDGET}"}}'},
    {"info": f"budget::{BUDGET}|thumbnail::t.png"},
    {"info": f"budget::{BUDGET}", "fulltextsearch": "1"},  # the headline would quote the value
    {"orderby": "info"},
    {"orderby": "info", "desc": "true"},
]


@pytest.fixture
def budgeted(world):
    world.project.info = {**world.project.info, "budget": BUDGET, "thumbnail": "t.png"}
    world.project.save()
    return world


def _names(res) -> list[str]:
    assert res.status_code == 200, res.content
    return [row["short_name"] for row in res.json()]


@pytest.mark.parametrize("query", SNOOPING)
@pytest.mark.parametrize("persona", ["other", "anonymous"])
def test_outsiders_cannot_filter_or_sort_projects_on_private_info(budgeted, api, persona, query):
    client = api(budgeted.user(persona))
    res = client.get("/api/project", {**query, "all": "1"})
    body = assert_error(res, 400, "BadRequest", target="project")
    assert "info" in body["exception_msg"] and BUDGET not in body["exception_msg"]
    # The refusal is the same for a wrong guess: the error itself tells nothing.
    wrong = {k: v.replace("4217", "0000") for k, v in query.items()}
    assert client.get("/api/project", {**wrong, "all": "1"}).json() == res.json()


@pytest.mark.parametrize("persona", ["admin", "owner", "coowner"])
def test_managers_filter_and_search_their_projects_on_private_info(budgeted, api, persona):
    client = api(budgeted.user(persona))
    assert _names(client.get("/api/project", {"info": f"budget::{BUDGET}", "all": "1"})) == [
        "birds"
    ]
    found = client.get(
        "/api/project", {"info": f"budget::{BUDGET}", "fulltextsearch": "1", "all": "1"}
    )
    assert _names(found) == ["birds"] and BUDGET in found.json()[0]["headline"]
    assert "birds" in _names(client.get("/api/project", {"orderby": "info", "all": "1"}))


def test_an_owner_filtering_on_private_info_sees_only_projects_they_manage(
    budgeted, api, volunteer
):
    """An owner may filter on private keys, but only among their own projects: another owner's
    project with the same private value does not come back (nor would a different one)."""
    wasps = create_project(volunteer, name="Wasps", short_name="wasps", description="Wasps")
    wasps.info = {"budget": BUDGET}
    wasps.published = True
    wasps.save()
    owner, query = budgeted.user("owner"), {"info": f"budget::{BUDGET}", "all": "1"}
    assert _names(api(owner).get("/api/project", query)) == ["birds"]
    assert _names(api(volunteer).get("/api/project", query)) == ["wasps"]
    assert sorted(_names(api(budgeted.user("admin")).get("/api/project", query))) == [
        "birds",
        "wasps",
    ]


@pytest.mark.parametrize("persona", ["other", "anonymous"])
def test_public_info_keys_stay_filterable_by_everyone(budgeted, api, persona, settings):
    client = api(budgeted.user(persona))
    assert _names(client.get("/api/project", {"info": "thumbnail::t.png", "all": "1"})) == ["birds"]
    settings.PROJECT_INFO_PUBLIC_FIELDS = ["budget"]
    assert _names(client.get("/api/project", {"info": f"budget::{BUDGET}", "all": "1"})) == [
        "birds"
    ]


CATEGORY_SNOOPING = [
    {"info": "code::cat-7731"},
    {"info": '{"code": "cat-7731"}'},
    {"info": "code::cat", "fulltextsearch": "1"},
    {"orderby": "info"},
]


@pytest.mark.parametrize("query", CATEGORY_SNOOPING)
@pytest.mark.parametrize("persona", ["owner", "other", "anonymous"])
def test_only_admins_filter_or_sort_categories_on_private_info(world, api, persona, query):
    world.category.info = {"code": "cat-7731"}
    world.category.save()
    res = api(world.user(persona)).get("/api/category", query)
    assert_error(res, 400, "BadRequest", target="category")
    admin_view = api(world.user("admin")).get("/api/category", query)
    assert admin_view.status_code == 200 and "nature" in _names(admin_view)


def test_public_category_info_keys_stay_filterable(world, api, settings):
    world.category.info = {"code": "cat-7731"}
    world.category.save()
    settings.CATEGORY_INFO_PUBLIC_FIELDS = ["code"]
    assert _names(api().get("/api/category", {"info": "code::cat-7731"})) == ["nature"]
