"""Groups restrict who may contribute; ``crowdfold groups`` manages them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from crowdfold.accounts.services import create_user
from crowdfold.tasks.models import Task
from tests.conftest import make_tasks


def _newtask(api, project, user=None):
    return api(user).get(f"/api/project/{project.pk}/newtask")


def test_open_projects_let_everyone_contribute(api, project, volunteer):
    make_tasks(project, 1)
    assert _newtask(api, project, volunteer).json()["project_id"] == project.pk


def test_a_project_allowed_to_a_group_is_closed_to_others(
    run, api, project, volunteer, outsider, owner
):
    (task,) = make_tasks(project, 1, n_answers=5)
    assert run("groups", "add", "editors", "--description", "Trusted").exit_code == 0
    assert run("groups", "assign", "volunteer", "editors").exit_code == 0
    assert run("groups", "allow", "editors", "--project", project.short_name).exit_code == 0
    refused = _newtask(api, project, outsider)
    assert (
        refused.status_code == 403
        and "members of certain groups" in refused.json()["exception_msg"]
    )
    assert _newtask(api, project).status_code == 401
    assert _newtask(api, project, volunteer).json()["id"] == task.pk
    assert _newtask(api, project, owner).json()["id"] == task.pk
    answer = api(volunteer).post(
        "/api/taskrun", {"project_id": project.pk, "task_id": task.pk, "info": 1}
    )
    assert answer.status_code == 200
    assert run("groups", "resign", "volunteer", "editors").exit_code == 0
    assert _newtask(api, project, volunteer).status_code == 403
    assert run("groups", "disallow", "editors", "--project", project.short_name).exit_code == 0
    assert _newtask(api, project, outsider).status_code == 200


def test_category_grants_restrict_every_project_in_it_including_new_ones(
    run, api, project, owner, volunteer
):
    from crowdfold.projects.services import create_project

    run("groups", "add", "birders")
    run("groups", "assign", "volunteer@example.org", "birders")
    assert (
        run("groups", "allow", "birders", "--category", project.category.short_name).exit_code == 0
    )
    later = create_project(owner, name="Owls", short_name="owls")
    assert later.groups_restricted
    make_tasks(later, 1)
    outsider = create_user("late", "late@example.org", "late-pass-123")
    assert _newtask(api, later, outsider).status_code == 403
    assert _newtask(api, later, volunteer).status_code == 200
    assert run("groups", "remove", "birders").exit_code == 0
    later.refresh_from_db()
    assert not later.groups_restricted


def test_open_projects_pay_no_query_for_the_group_check(api, project, volunteer):
    from crowdfold.data.groups import may_contribute

    with CaptureQueriesContext(connection) as queries:
        assert may_contribute(project, volunteer)
    assert len(queries) == 0


def test_list_shows_members_and_grants(run, project, volunteer):
    run("groups", "add", "editors")
    run("groups", "assign", "volunteer", "editors")
    run("groups", "allow", "editors", "--project", project.short_name)
    assert (
        run("groups", "list").output.strip()
        == "editors\t\tmembers: volunteer\tallowed: project birds"
    )


def test_bad_group_commands_fail_clearly(run, project, volunteer):
    assert "2 to 64 letters" in run("groups", "add", "_bad").output
    run("groups", "add", "editors")
    dup = run("groups", "add", "editors")
    assert dup.exit_code == 1 and "already exists" in dup.output
    assert "no group 'nope'" in run("groups", "assign", "volunteer", "nope").output
    assert "no user named 'ghost'" in run("groups", "assign", "ghost", "editors").output
    both = run("groups", "allow", "editors", "--project", project.short_name, "--category", "x")
    assert both.exit_code == 2
    assert run("groups", "allow", "editors").exit_code == 2
    assert "not a member" in run("groups", "resign", "volunteer", "editors").output
    assert run("groups", "disallow", "editors", "--project", project.short_name).exit_code == 1
    assert Task.objects.count() == 0
