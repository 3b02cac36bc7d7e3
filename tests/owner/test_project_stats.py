"""Per-project statistics: computed incrementally by `crowdfold stats refresh`, read by the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from crowdfold.cli import cli
from crowdfold.projects.services import publish_project
from crowdfold.tasks.models import TaskRun
from tests.conftest import make_tasks
from tests.owner.factories import add_runs, at


def refresh():
    result = CliRunner().invoke(cli, ["stats", "refresh"])
    assert result.exit_code == 0, result.output
    return result.output


def figure(html: str, name: str) -> str:
    match = re.search(rf'id="stat-{name}">([^<]*)<', html)
    assert match, f"no figure {name}"
    return match.group(1).strip()


def stats_page(client, project) -> str:
    res = client.get(f"/project/{project.short_name}/stats")
    assert res.status_code == 200
    return res.content.decode()


@pytest.fixture
def history(project, volunteer, outsider):
    """12 tasks (redundancy 3), answers spread over three days and several hours."""
    tasks = make_tasks(project, 12, n_answers=3)
    now = timezone.now()
    people = [volunteer, outsider, "10.0.0.1", "10.0.0.2"]
    # 12 tasks x 3 people answered: 36 answers; the 4th person answers nothing.
    times = [at(1 + i % 3, 8 + i % 5, now) for i in range(36)]
    runs = add_runs(project, tasks, people[:3], times, seconds=40)
    return {"tasks": tasks, "runs": runs, "times": times, "now": now}


def test_stats_page_shows_totals_volunteers_and_average_time(project, history):
    refresh()
    html = stats_page(Client(), project)
    assert figure(html, "tasks") == "12"
    assert figure(html, "answers") == "36"
    assert figure(html, "progress") == "100%"
    assert figure(html, "volunteers") == "3"
    assert "2 registered, 1 anonymous" in html
    assert figure(html, "average") == "40.0 s"
    assert figure(html, "eta") == "done"


def test_daily_and_hourly_charts_count_each_answer_once(project, history):
    refresh()
    html = stats_page(Client(), project)
    for day_offset in (1, 2, 3):
        day = at(day_offset, 0, history["now"]).date()
        expected = sum(1 for t in history["times"] if t.date() == day)
        label = day.strftime("%b %d")
        assert f"<title>{label}: {expected}</title>" in html
    for hour in range(8, 13):
        expected = sum(1 for t in history["times"] if t.hour == hour)
        assert f"<title>{hour:02d}: {expected}</title>" in html
    assert "<title>03: 0</title>" in html


def test_refresh_adds_only_new_answers(project, history, admin, settings):
    settings.STATS_SETTLE_SECONDS = 0
    refresh()
    refresh()  # nothing new: figures unchanged
    more = make_tasks(project, 2, n_answers=5)
    add_runs(project, more, [admin], [timezone.now()] * 2)
    refresh()
    html = stats_page(Client(), project)
    assert figure(html, "answers") == "38"
    assert figure(html, "tasks") == "14"
    assert figure(html, "volunteers") == "4"
    assert figure(html, "progress") == f"{12 * 100 // 14}%"


def test_answers_younger_than_the_settle_delay_wait_for_the_next_refresh(project, history, admin):
    refresh()
    (task,) = make_tasks(project, 1, n_answers=5)
    add_runs(project, [task], [admin], [timezone.now()])
    refresh()
    assert figure(stats_page(Client(), project), "answers") == "36"
    TaskRun.objects.filter(user=admin).update(finish_time=timezone.now() - timedelta(minutes=5))
    # Moved before the watermark: a late commit older than the settle delay is not recounted.
    refresh()
    assert figure(stats_page(Client(), project), "answers") == "36"


def test_publishing_wipes_answers_and_the_figures_follow(project, history):
    refresh()
    publish_project(project)
    refresh()
    html = stats_page(Client(), project)
    assert figure(html, "answers") == "0"
    assert figure(html, "volunteers") == "0"
    assert figure(html, "progress") == "0%"


def test_eta_follows_the_recent_answer_rate(project, volunteer):
    tasks = make_tasks(project, 10, n_answers=2)
    now = timezone.now()
    # One answer a day for 7 days (yesterday back); 20 needed in all, 13 still needed. The rate
    # window is the last 7 days including today, which holds 6 of them.
    add_runs(project, tasks[:7], [volunteer], [at(d, 9, now) for d in range(1, 8)])
    refresh()
    html = stats_page(Client(), project)
    eta = now - timedelta(seconds=30) + timedelta(days=13 / (6 / 7))
    expected = date_format(eta, "DATE_FORMAT")  # the reader's language's own date format
    assert figure(html, "eta") == expected


def test_stats_page_cost_does_not_grow_with_answers(
    project, volunteer, django_assert_max_num_queries
):
    tasks = make_tasks(project, 50, n_answers=30)
    now = timezone.now()
    ips = [f"10.1.{i // 250}.{i % 250}" for i in range(20)]
    add_runs(project, tasks, [volunteer, *ips], [at(1 + i % 20, i % 24, now) for i in range(1050)])
    refresh()
    client = Client()
    with django_assert_max_num_queries(6):
        html = stats_page(client, project)
    assert figure(html, "answers") == "1050"
    assert figure(html, "volunteers") == "21"


def test_draft_stats_are_hidden_from_the_public_but_shown_to_owners(project, owner):
    project.published = False
    project.save()
    assert Client().get("/project/birds/stats").status_code == 404
    client = Client()
    client.force_login(owner)
    assert client.get("/project/birds/stats").status_code == 200


def test_site_stats_sum_every_project(project, history):
    refresh()
    html = Client().get("/stats/").content.decode()
    assert re.search(r'id="site-answers">36<', html)
    assert re.search(r'id="site-tasks">12<', html)
    assert re.search(r'id="site-anonymous">1<', html)
