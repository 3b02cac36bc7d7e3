"""The volunteer page: the presenter in its sandbox, specific tasks, the tutorial, the end screen."""

from __future__ import annotations

import json
import re

from crowdfold.tasks.models import TaskReservation, TaskRun
from tests.conftest import make_tasks
from tests.web.conftest import PRESENTER


def bridge_config(page: str) -> dict:
    match = re.search(r'<script id="cf-bridge-config" type="application/json">(.*?)</script>', page)
    return json.loads(match.group(1))


def test_newtask_runs_the_presenter_in_a_frame_sandboxed_without_same_origin(
    browser_as, with_presenter, volunteer
):
    make_tasks(with_presenter, 2)
    res = browser_as(volunteer).get("/project/birds/newtask")
    assert res.status_code == 200
    page = res.content.decode()
    iframe = re.search(r"<iframe[^>]*>", page).group(0)
    assert 'sandbox="allow-scripts"' in iframe
    assert 'src="/project/birds/presenter-frame"' in iframe
    assert PRESENTER not in page  # the owner's code never runs in the page itself
    config = bridge_config(page)
    assert config["mode"] == "presenter"
    assert config["project"]["short_name"] == "birds"
    assert "secret_key" not in config["project"] and "password_hash" not in config["project"]


def test_presenter_frame_carries_the_sandbox_in_its_own_policy(
    browser_as, with_presenter, volunteer
):
    res = browser_as(volunteer).get("/project/birds/presenter-frame?task=7")
    assert res.status_code == 200
    csp = res["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;")
    assert "allow-same-origin" not in csp
    assert "frame-ancestors 'self'" in csp and "form-action 'none'" in csp
    assert res["X-Frame-Options"] == "SAMEORIGIN"
    page = res.content.decode()
    assert PRESENTER in page
    assert '<div id="PYBOSSA_USER_LOCALE" hidden>en</div>' in page
    assert "/static/crowdfold/pybossa.js" in page and "jquery-3.7.1.min.js" in page
    assert '"taskId": 7' in page


def test_presenter_frame_tells_the_presenter_the_volunteers_locale(
    browser_as, with_presenter, volunteer
):
    volunteer.locale = "es"
    volunteer.save()
    page = browser_as(volunteer).get("/project/birds/presenter-frame").content.decode()
    assert '<div id="PYBOSSA_USER_LOCALE" hidden>es</div>' in page


def test_task_page_reserves_the_task_so_the_volunteer_can_answer_it(
    browser_as, with_presenter, volunteer
):
    _, second = make_tasks(with_presenter, 2)
    client = browser_as(volunteer)
    res = client.get(f"/project/birds/task/{second.pk}")
    assert res.status_code == 200
    assert bridge_config(res.content.decode())["task"]["id"] == second.pk
    assert TaskReservation.objects.filter(task=second, contributor_key=f"u:{volunteer.pk}").exists()
    answer = client.post(
        "/api/taskrun",
        json.dumps({"project_id": with_presenter.pk, "task_id": second.pk, "info": "Yes"}),
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
    )
    assert answer.status_code == 200, answer.content
    assert TaskRun.objects.get(task=second).user_id == volunteer.pk


def test_task_of_another_project_shows_a_friendly_page(
    browser_as, with_presenter, owner, volunteer
):
    from crowdfold.projects.services import create_project

    other = create_project(owner, name="Other", short_name="other", published=True)
    (foreign,) = make_tasks(other, 1)
    res = browser_as(volunteer).get(f"/project/birds/task/{foreign.pk}")
    assert res.status_code == 404
    assert "This task is not part of this project" in res.content.decode()
    assert not TaskReservation.objects.filter(task=foreign).exists()


def test_task_already_answered_says_so_instead_of_showing_it_again(
    browser_as, api, with_presenter, volunteer
):
    (task,) = make_tasks(with_presenter, 1)
    client = api(volunteer)
    client.get(f"/api/project/{with_presenter.pk}/newtask")
    client.post("/api/taskrun", {"project_id": with_presenter.pk, "task_id": task.pk, "info": 1})
    res = browser_as(volunteer).get(f"/project/birds/task/{task.pk}")
    assert res.status_code == 409
    assert "You have already answered this task" in res.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in_where_anonymous_volunteers_are_refused(
    browser_as, with_presenter, settings
):
    (task,) = make_tasks(with_presenter, 1)
    with_presenter.allow_anonymous_contributors = False
    with_presenter.save()
    client = browser_as()
    for path in ("/project/birds/newtask", f"/project/birds/task/{task.pk}"):
        res = client.get(path)
        assert res.status_code == 302
        assert res["Location"].startswith(f"{settings.LOGIN_URL}?next=/project/birds/")
    assert client.get("/project/birds/presenter-frame").status_code == 403
    assert not TaskReservation.objects.exists()
    assert client.get("/project/birds/").status_code == 200


def test_anonymous_visitor_may_contribute_where_allowed_and_is_told_about_credit(
    browser_as, with_presenter
):
    make_tasks(with_presenter, 1)
    res = browser_as().get("/project/birds/newtask")
    assert res.status_code == 200
    assert "You are contributing anonymously" in res.content.decode()
    assert TaskReservation.objects.get().contributor_key.startswith("ip:")


def test_tutorial_is_shown_once_before_the_first_task(browser_as, with_presenter, volunteer):
    make_tasks(with_presenter, 1)
    with_presenter.info = {**with_presenter.info, "tutorial": "<p id='how'>How to help</p>"}
    with_presenter.save()
    client = browser_as(volunteer)
    first = client.get("/project/birds/newtask")
    assert first.status_code == 302 and first["Location"] == "/project/birds/tutorial"
    tutorial = client.get("/project/birds/tutorial")
    assert tutorial.status_code == 200
    assert 'sandbox="allow-scripts"' in tutorial.content.decode()
    assert tutorial.cookies["birdstutorial"].value == "seen"
    frame = client.get("/project/birds/tutorial-frame")
    assert "<p id='how'>How to help</p>" in frame.content.decode()
    assert frame["Content-Security-Policy"].startswith("sandbox allow-scripts;")
    assert client.get("/project/birds/newtask").status_code == 200


def test_end_screen_when_nothing_is_left_for_the_volunteer(
    browser_as, api, with_presenter, volunteer
):
    (task,) = make_tasks(with_presenter, 1)
    client = api(volunteer)
    client.get(f"/api/project/{with_presenter.pk}/newtask")
    client.post("/api/taskrun", {"project_id": with_presenter.pk, "task_id": task.pk, "info": 1})
    res = browser_as(volunteer).get("/project/birds/newtask")
    assert res.status_code == 200
    page = res.content.decode()
    assert "You’re all done!" in page and "<iframe" not in page


def test_presenter_is_also_served_at_pybossas_presenter_address(
    browser_as, with_presenter, volunteer
):
    make_tasks(with_presenter, 1)
    res = browser_as(volunteer).get("/project/birds/presenter")
    assert res.status_code == 200 and "cf-presenter" in res.content.decode()
