"""Two web processes and a worker against PostgreSQL + Redis: volunteers spread over both web
processes (every newtask on one, the answer on the other) keep every invariant, and the worker
delivers one webhook per completed task.

Needs PostgreSQL and Redis: skipped locally without them, a failure under CI=true.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter

import pytest
import redis
import requests

from tests.ops.conftest import Receiver, free_port, require_service
from tests.ops.live import LiveSite, wait_for

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the PostgreSQL topology runs in the PostgreSQL pass",
    ),
]

N_VOLUNTEERS, N_TASKS, N_ANSWERS = 8, 24, 3
REDIS_URL = os.environ.get("CROWDFOLD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

SEED = f"""
from crowdfold.accounts.services import create_user
from crowdfold.projects.services import create_project
from crowdfold.tasks.models import Task
owner = create_user('owner', 'owner@example.org', 'owner-pass-123')
keys = [create_user(f'v{{i}}', f'v{{i}}@example.org', 'vol-pass-123').api_key
        for i in range({N_VOLUNTEERS})]
p = create_project(owner, name='Scale', short_name='scale', description='d')
p.published = True
p.webhook = WEBHOOK
p.save()
Task.objects.bulk_create([Task(project=p, info={{'n': i}}, n_answers={N_ANSWERS})
                          for i in range({N_TASKS})])
out = {{'project': p.pk, 'keys': keys}}
"""


@pytest.fixture(scope="module")
def services():
    import psycopg

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        require_service("Redis", str(exc))
    name = f"crowdfold_scale_{uuid.uuid4().hex[:8]}"
    admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        require_service("PostgreSQL", str(exc))
    prefix = f"cftest-{uuid.uuid4().hex[:8]}"
    yield f"postgres://postgres@127.0.0.1:5432/{name}", prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def cluster(services, tmp_path_factory):
    database_url, prefix = services
    db = REDIS_URL.rsplit("/", 1)[1]
    receiver = Receiver()
    site = LiveSite(
        tmp_path_factory.mktemp("scale"),
        database_url,
        REDIS_HOST="127.0.0.1",
        REDIS_PORT="6379",
        REDIS_DB=db,
        REDIS_KEYPREFIX=prefix,
        CROWDFOLD_JOBS_REDIS_URL=REDIS_URL,
        HUEY_NAME=prefix,
        CROWDFOLD_JOBS_IN_SERVE="false",
        DATABASE_REPLICA_URL=database_url,  # a second alias to the same database
        LIMIT="100000",
        CROWDFOLD_WEBHOOK_BACKOFF="1",
    )
    try:
        site.cli("migrate")
        site.seeded = site.python(f"WEBHOOK = {receiver.url!r}\n{SEED}")
        site.webs = [site.serve(free_port(), "--no-worker", name=f"web{i}") for i in (1, 2)]
        site.start("worker", "--workers", "2", name="worker")
        site.receiver = receiver
        yield site
    finally:
        site.stop()
        receiver.close()


def volunteer(webs, project, key, served: Counter, errors: list) -> None:
    session = requests.Session()
    session.headers["Authorization"] = key
    turn = 0
    while True:
        ask, answer = webs[turn % 2], webs[(turn + 1) % 2]
        turn += 1
        got = session.get(f"{ask}/api/project/{project}/newtask", timeout=30)
        served[ask] += 1
        if got.status_code != 200:
            errors.append(("newtask", got.status_code, got.text[:200]))
            return
        task = got.json()
        if not task:
            return
        body = {"project_id": project, "task_id": task["id"], "info": {"key": key}}
        res = session.post(f"{answer}/api/taskrun", json=body, timeout=30)
        served[answer] += 1
        if res.status_code != 200:
            errors.append(("taskrun", res.status_code, res.text[:200]))


@pytest.fixture(scope="module")
def contributed(cluster):
    """Every volunteer works until the project has nothing left for them."""
    project, keys = cluster.seeded["project"], cluster.seeded["keys"]
    served, errors = Counter(), []
    threads = [
        threading.Thread(target=volunteer, args=(cluster.webs, project, k, served, errors))
        for k in keys
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return served, errors


def test_volunteers_spread_over_two_web_processes_keep_every_invariant(cluster, contributed):
    project = cluster.seeded["project"]
    served, errors = contributed
    assert errors == []
    assert all(served[web] > N_TASKS for web in cluster.webs)  # both processes did real work

    tasks = cluster.query(
        "SELECT state, n_task_runs, n_reserved, n_answers FROM crowdfold_task WHERE project_id = %s",
        (project,),
    )
    assert len(tasks) == N_TASKS
    assert set(tasks) == {("completed", N_ANSWERS, 0, N_ANSWERS)}
    runs = cluster.query(
        "SELECT task_id, contributor_key FROM crowdfold_taskrun WHERE project_id = %s", (project,)
    )
    assert len(runs) == N_TASKS * N_ANSWERS
    assert len(set(runs)) == len(runs)  # nobody answered a task twice
    assert set(Counter(t for t, _ in runs).values()) == {N_ANSWERS}
    assert cluster.query(
        "SELECT count(*) FROM crowdfold_result WHERE project_id = %s AND last_version", (project,)
    ) == [(N_TASKS,)]
    assert cluster.query("SELECT count(*) FROM crowdfold_reservation") == [(0,)]


def test_the_separate_worker_delivers_one_webhook_per_completed_task(cluster, contributed):
    deliveries = "SELECT status FROM crowdfold_webhook_delivery"
    wait_for(
        lambda: (
            (rows := cluster.query(deliveries))
            and len(rows) == N_TASKS
            and all(s == "success" for (s,) in rows)
        ),
        timeout=90,
    )
    task_ids = [body["task_id"] for body in cluster.receiver.json_bodies()]
    assert len(task_ids) == len(set(task_ids)) == N_TASKS
