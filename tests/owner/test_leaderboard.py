"""Leaderboards: materialised by `crowdfold stats refresh`, ranked by the database."""

from __future__ import annotations

import re

from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

from crowdfold.accounts.services import create_user
from crowdfold.cli import cli
from tests.conftest import make_tasks
from tests.owner.factories import add_runs, at


def refresh():
    result = CliRunner().invoke(cli, ["stats", "refresh"])
    assert result.exit_code == 0, result.output


def board_rows(html: str) -> list[tuple[int, str, str]]:
    table = html.split('id="leaderboard"', 1)[1].split("</table>", 1)[0]
    return [
        (int(rank), name, score)
        for rank, name, score in re.findall(
            r"<tr[^>]*><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", table
        )
    ]


def people(n: int):
    return [create_user(f"vol{i}", f"vol{i}@example.org", "pass-word-123") for i in range(n)]


def give_answers(project, person, count, tasks):
    add_runs(project, tasks[:count], [person], [at(1, 10, timezone.now())] * count)


def test_volunteers_are_ranked_by_answers_and_restricted_users_left_out(project):
    tasks = make_tasks(project, 6, n_answers=10)
    a, b, c, hidden = people(4)
    for person, count in ((a, 2), (b, 5), (c, 3), (hidden, 6)):
        give_answers(project, person, count, tasks)
    hidden.restrict = True
    hidden.save()
    refresh()
    rows = board_rows(Client().get("/leaderboard/").content.decode())
    assert rows == [(1, "vol1", "5"), (2, "vol2", "3"), (3, "vol0", "2")]


def test_board_size_follows_the_leaderboard_setting_and_caller_sees_own_rank(project, settings):
    settings.LEADERBOARD = 2
    tasks = make_tasks(project, 5, n_answers=10)
    crowd = people(4)
    for i, person in enumerate(crowd):
        give_answers(project, person, 5 - i, tasks)
    refresh()
    client = Client()
    assert [r[0] for r in board_rows(client.get("/leaderboard/").content.decode())] == [1, 2]
    client.force_login(crowd[3])
    rows = board_rows(client.get("/leaderboard/window/1").content.decode())
    assert rows == [(1, "vol0", "5"), (2, "vol1", "4"), (3, "vol2", "3"), (4, "vol3", "2")]


def test_custom_board_ranks_a_numeric_user_info_key(db, settings, admin):
    settings.LEADERBOARDS = ["points"]
    a, b, c = people(3)
    for person, value in ((a, 7.5), (b, 12), (c, "lots")):
        person.info = {"points": value}
        person.save()
    refresh()
    rows = board_rows(Client().get("/leaderboard/?info=points").content.decode())
    assert rows == [(1, "vol1", "12"), (2, "vol0", "7.50")]


def test_unknown_custom_board_is_not_found(db):
    assert Client().get("/leaderboard/?info=nope").status_code == 404


def test_enforce_privacy_hides_leaderboard_and_site_stats_from_all_but_admins(
    db, settings, admin, volunteer
):
    settings.ENFORCE_PRIVACY = True
    client = Client()
    client.force_login(volunteer)
    assert client.get("/leaderboard/").status_code == 403
    assert client.get("/stats/").status_code == 403
    client.force_login(admin)
    assert client.get("/leaderboard/").status_code == 200
