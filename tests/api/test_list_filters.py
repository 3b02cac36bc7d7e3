"""Collection GET parameters, as PYBOSSA reads them (reference §2.4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crowdfold.projects.services import create_project
from crowdfold.tasks.models import Task
from tests.api.conftest import assert_error
from tests.conftest import make_tasks


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


@pytest.fixture
def tasks(project):
    return make_tasks(project, 30)


def test_limit_defaults_to_20_and_is_clamped_at_100(api, tasks):
    assert len(api().get("/api/task").json()) == 20
    more = make_tasks(tasks[0].project, 90)
    assert len(api().get("/api/task", {"limit": 500}).json()) == 100
    assert more


def test_offset_and_keyset_pagination(api, tasks):
    all_ids = [t.pk for t in tasks]
    assert ids(api().get("/api/task", {"limit": 5, "offset": 5})) == all_ids[5:10]
    assert ids(api().get("/api/task", {"limit": 5, "last_id": all_ids[9]})) == all_ids[10:15]
    # last_id forces ascending order even when desc is asked for.
    assert (
        ids(api().get("/api/task", {"limit": 3, "last_id": all_ids[9], "desc": "true"}))
        == all_ids[10:13]
    )


def test_orderby_and_fuzzy_desc(api, tasks):
    Task.objects.filter(pk=tasks[3].pk).update(priority_0=0.9)
    assert ids(api().get("/api/task", {"orderby": "priority_0", "desc": "yes", "limit": 1})) == [
        tasks[3].pk
    ]
    assert ids(api().get("/api/task", {"desc": "on", "limit": 2})) == [tasks[-1].pk, tasks[-2].pk]


def test_bad_desc_is_valueerror_and_unknown_orderby_attributeerror(api, tasks):
    assert_error(api().get("/api/task", {"desc": "maybe"}), 415, "ValueError", target="task")
    body = assert_error(
        api().get("/api/task", {"orderby": "colour"}), 415, "AttributeError", target="task"
    )
    assert body["exception_msg"] == "type object 'Task' has no attribute 'colour'"


def test_unknown_filter_is_attributeerror(api, tasks):
    body = assert_error(
        api().get("/api/task", {"colour": "red"}), 415, "AttributeError", target="task"
    )
    assert body["exception_msg"] == "type object 'Task' has no attribute 'colour'"


def test_column_filters_and_bad_values(api, project, tasks):
    Task.objects.filter(pk=tasks[0].pk).update(state="completed")
    assert ids(api().get("/api/task", {"state": "completed"})) == [tasks[0].pk]
    assert ids(api().get("/api/task", {"id": tasks[4].pk})) == [tasks[4].pk]
    assert_error(api().get("/api/task", {"id": "four"}), 415, "DataError", target="task")
    assert_error(api().get("/api/task", {"id": "9" * 30}), 415, "DataError", target="task")


def test_project_id_takes_several_ids(api, owner, project, tasks):
    other = create_project(owner, name="Other", short_name="other", published=True)
    (extra,) = make_tasks(other, 1)
    got = ids(api().get("/api/task", {"project_id": f"[{project.pk},{other.pk}]", "limit": 100}))
    assert len(got) == 31 and extra.pk in got
    assert ids(api().get("/api/task", {"project_id": other.pk})) == [extra.pk]


def test_created_is_a_date_prefix(api, tasks):
    Task.objects.filter(pk=tasks[0].pk).update(created=datetime(2015, 5, 3, 10, tzinfo=UTC))
    Task.objects.filter(pk=tasks[1].pk).update(created=datetime(2015, 6, 1, tzinfo=UTC))
    assert ids(api().get("/api/task", {"created": "2015"})) == [tasks[0].pk, tasks[1].pk]
    assert ids(api().get("/api/task", {"created": "2015-05"})) == [tasks[0].pk]
    assert ids(api().get("/api/task", {"created": "2015-05-03"})) == [tasks[0].pk]
    assert_error(api().get("/api/task", {"created": "last week"}), 415, "DataError", target="task")


def test_info_key_value_filters(api, tasks):
    Task.objects.filter(pk=tasks[0].pk).update(info={"city": "Kyiv", "n": 7})
    Task.objects.filter(pk=tasks[1].pk).update(info={"city": "Kyiv", "n": 8})
    assert ids(api().get("/api/task", {"info": "city::Kyiv"})) == [tasks[0].pk, tasks[1].pk]
    assert ids(api().get("/api/task", {"info": "city::Kyiv|n::8"})) == [tasks[1].pk]


def test_info_json_containment_flat_and_nested(api, tasks):
    Task.objects.filter(pk=tasks[0].pk).update(info={"a": {"b": 1, "c": "x"}, "tag": "bird"})
    Task.objects.filter(pk=tasks[1].pk).update(info={"a": {"b": 2}, "tag": "bird"})
    assert ids(api().get("/api/task", {"info": '{"tag": "bird"}'})) == [tasks[0].pk, tasks[1].pk]
    assert ids(api().get("/api/task", {"info": '{"a": {"b": 1}}'})) == [tasks[0].pk]
    assert ids(api().get("/api/task", {"info": '{"a": {"b": 1}, "tag": "fish"}'})) == []


def test_info_bare_string_matches_a_string_answer(api, project, volunteer):
    from tests.api.test_task_api import answer

    task_a, task_b = make_tasks(project, 2, n_answers=1)
    answer(api, volunteer, project, task_a, info="Yes")
    answer(api, volunteer, project, task_b, info="No")
    got = ids(api().get("/api/taskrun", {"info": "Yes"}))
    assert len(got) == 1


def test_participated_hides_what_the_caller_answered(api, project, volunteer):
    from tests.api.test_task_api import answer

    first, second = make_tasks(project, 2, n_answers=2)
    answer(api, volunteer, project, first)
    assert ids(api(volunteer).get("/api/task", {"participated": 1, "project_id": project.pk})) == [
        second.pk
    ]


def test_non_integer_item_id_is_a_json_404_and_strict_slashes(api, tasks):
    assert_error(api().get("/api/task/abc"), 404, "NotFound", target="task")
    assert_error(api().get("/api/task/"), 404, "NotFound", target="task")
    assert_error(api().get(f"/api/task/{10**30}"), 404, "NotFound", target="task")
