"""pbclient, PYBOSSA's Python library, reads tasks, answers and results and writes an analysis."""

from __future__ import annotations

import pytest
import requests

from crowdfold.tasks.models import Result
from tests.conftest import make_tasks

pytestmark = pytest.mark.live


def contribute(live_server, user, project, n: int):
    """Answer ``n`` tasks as ``user`` through newtask + taskrun, as pybossa.js does."""
    session = requests.Session()
    session.headers["Authorization"] = user.api_key
    for _ in range(n):
        task = session.get(f"{live_server.url}/api/project/{project.pk}/newtask").json()
        res = session.post(
            f"{live_server.url}/api/taskrun",
            json={"project_id": project.pk, "task_id": task["id"], "info": "Yes"},
        )
        assert res.status_code == 200, res.text


@pytest.fixture
def answered(live_server, project, volunteer):
    tasks = make_tasks(project, 3, n_answers=1)
    contribute(live_server, volunteer, project, 2)
    return tasks


def test_find_and_get_tasks(pbclient_for, owner, project, answered):
    pbclient = pbclient_for(owner)
    tasks = pbclient.get_tasks(project.pk)
    assert [t.id for t in tasks] == [t.pk for t in answered]
    completed = pbclient.find_tasks(project.pk, state="completed")
    assert [t.id for t in completed] == [answered[0].pk, answered[1].pk]
    assert [t.id for t in pbclient.find_tasks(project.pk, limit=1, last_id=answered[0].pk)] == [
        answered[1].pk
    ]
    assert pbclient.find_tasks(project.pk, info='{"n": 2}')[0].id == answered[2].pk


def test_find_and_get_task_runs(pbclient_for, owner, volunteer, project, answered):
    pbclient = pbclient_for(owner)
    runs = pbclient.get_taskruns(project.pk)
    assert len(runs) == 2 and {r.user_id for r in runs} == {volunteer.pk}
    (one,) = pbclient.find_taskruns(project.pk, task_id=answered[0].pk)
    assert one.info == "Yes"


def test_find_results_and_update_result(pbclient_for, owner, project, answered):
    pbclient = pbclient_for(owner)
    results = pbclient.get_results(project.pk)
    assert sorted(r.task_id for r in results) == [answered[0].pk, answered[1].pk]
    (result,) = pbclient.find_results(project.pk, task_id=answered[0].pk)
    result_id = result.id  # update_result strips the reserved keys from the object itself
    result.info = {"consensus": "Yes"}
    updated = pbclient.update_result(result)
    assert updated.id == result_id and updated.info == {"consensus": "Yes"}
    assert Result.objects.get(pk=result_id).info == {"consensus": "Yes"}


def test_update_result_by_an_outsider_returns_the_error_dict(
    pbclient_for, outsider, project, answered
):
    pbclient = pbclient_for(outsider)
    (result,) = pbclient.find_results(project.pk, task_id=answered[0].pk, all=1)
    result_id = result.id
    result.info = {"forged": True}
    error = pbclient.update_result(result)
    assert error["status"] == "failed" and error["exception_cls"] == "Forbidden"
    assert Result.objects.get(pk=result_id).info is None


def test_pbclient_project_round_trip(pbclient_for, owner, project):
    pbclient = pbclient_for(owner)
    (found,) = pbclient.find_project(short_name=project.short_name)
    found.info["task_presenter"] = "<p>new</p>"
    updated = pbclient.update_project(found)
    assert updated.info["task_presenter"] == "<p>new</p>"
    created = pbclient.create_project("Moths", "moths", "Night flyers")
    assert created.short_name == "moths" and created.owner_id == owner.pk
