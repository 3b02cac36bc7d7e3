"""Jobs through a real consumer: the worker ``crowdfold serve`` starts beside the web server
(``crowdfold worker`` in a child process) runs jobs with retries and a time limit, records and
mails failures over SMTP, and delivers webhooks with backoff.

The site uses its own SQLite database, so this runs once, in the SQLite pass of ``make test``; the
PostgreSQL + Redis topology is exercised by test_scale_out.py.
"""

from __future__ import annotations

import os

import pytest
import requests

from tests.ops.conftest import Receiver, free_port
from tests.ops.live import LiveSite, wait_for
from tests.ops.test_mail import SmtpSink

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="uses its own SQLite site; runs in the SQLite pass",
    ),
]

SEED = """
from crowdfold.accounts.services import create_user
from crowdfold.projects.services import create_project
from crowdfold.tasks.models import Task
from tests.ops.sample_jobs import writes_category, always_fails, sleeps_too_long
owner = create_user('owner', 'owner@example.org', 'owner-pass-123')
vol = create_user('vol', 'vol@example.org', 'vol-pass-123')
p = create_project(owner, name='Live', short_name='live', description='d')
p.published = True
p.webhook = WEBHOOK
p.save()
Task.objects.bulk_create([Task(project=p, info={'n': i}, n_answers=1) for i in range(2)])
writes_category('queued-cat'); always_fails('live'); sleeps_too_long(5)
out = {'project': p.pk, 'key': vol.api_key}
"""
FAILED = "SELECT task_name, timed_out, error FROM crowdfold_failed_job"
DELIVERIES = "SELECT status, attempts FROM crowdfold_webhook_delivery ORDER BY id"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    smtp, receiver = SmtpSink(), Receiver()
    receiver.responses = [(500, "not yet")]
    live = LiveSite(
        tmp_path_factory.mktemp("live-sqlite"),
        CROWDFOLD_JOB_MODULES="tests.ops.sample_jobs",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        ADMINS="Ops <ops@example.org>",
        TIMEOUT="1",
        CROWDFOLD_WEBHOOK_BACKOFF="1",
    )
    live.smtp, live.receiver = smtp, receiver
    try:
        live.url = live.serve(free_port())  # migrates, starts the worker
        live.seeded = live.python(f"WEBHOOK = {receiver.url!r}\n{SEED}")
        yield live
    finally:
        live.stop()
        smtp.stop()
        receiver.close()


def test_the_worker_retries_enforces_the_time_limit_and_mails_admins_about_failures(site):
    failed = wait_for(lambda: len(rows := site.query(FAILED)) == 2 and rows, timeout=60)
    assert sorted((name.rsplit(".", 1)[-1], bool(t), "live" in e) for name, t, e in failed) == [
        ("always_fails", False, True),
        ("sleeps_too_long", True, False),
    ]
    assert site.query("SELECT count(*) FROM crowdfold_category WHERE name = 'queued-cat'") == [(1,)]
    wait_for(lambda: len(site.smtp.messages) >= 2, timeout=15)
    assert sorted(m["To"] for m in site.smtp.messages) == ["ops@example.org"] * 2


def test_the_worker_delivers_webhooks_and_retries_a_failed_one_after_a_backoff(site):
    project, headers = site.seeded["project"], {"Authorization": site.seeded["key"]}
    for _ in range(2):
        task = requests.get(f"{site.url}/api/project/{project}/newtask", headers=headers).json()
        answer = {"project_id": project, "task_id": task["id"], "info": "yes"}
        assert requests.post(f"{site.url}/api/taskrun", json=answer, headers=headers).ok

    def all_delivered():
        rows = site.query(DELIVERIES)
        return len(rows) == 2 and all(status == "success" for status, _ in rows) and rows

    deliveries = wait_for(all_delivered, timeout=60)
    assert sorted(attempts for _, attempts in deliveries) == [1, 2]  # one retried after a 500
    assert len(site.receiver.requests) == 3
