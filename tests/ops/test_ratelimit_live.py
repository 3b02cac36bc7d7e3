"""Rate limits are shared by every web process when Redis is configured: two ``crowdfold serve``
processes (Granian) on one Redis count one client's requests against one budget, and the request
past it gets PYBOSSA's 429 with the X-RateLimit-* headers and Retry-After, whichever process
answers.

Uses its own SQLite site and the machine's Redis (a private key prefix), so it runs once, in the
SQLite pass of ``make test``.
"""

from __future__ import annotations

import os
import time
import uuid

import pytest
import redis
import requests

from tests.ops.conftest import free_port, require_service
from tests.ops.live import LiveSite

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="uses its own SQLite site; runs in the SQLite pass",
    ),
]

REDIS_URL = os.environ.get("CROWDFOLD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT, PER = 4, 900


@pytest.fixture(scope="module")
def two_webs(tmp_path_factory):
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        require_service("Redis", str(exc))
    prefix = f"cftest-rl-{uuid.uuid4().hex[:8]}"
    site = LiveSite(
        tmp_path_factory.mktemp("ratelimit"),
        CROWDFOLD_REDIS_URL=REDIS_URL,
        REDIS_KEYPREFIX=prefix,
        CROWDFOLD_JOBS_IN_SERVE="false",
        LIMIT=str(LIMIT),
        PER=str(PER),
    )
    try:
        site.cli("migrate")
        site.webs = [site.serve(free_port(), "--no-worker", name=f"web{i}") for i in (1, 2)]
        site.redis, site.prefix = client, prefix
        yield site
    finally:
        site.stop()
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


def test_one_clients_budget_is_counted_across_both_web_processes(two_webs):
    first, second = two_webs.webs
    remaining = []
    for turn in range(LIMIT):
        res = requests.get(f"{(first, second)[turn % 2]}/api/project", timeout=10)
        assert res.status_code == 200, res.text
        remaining.append(int(res.headers["X-RateLimit-Remaining"]))
    # Each process alone saw only half the requests; the counts come from the one Redis counter.
    assert remaining == [3, 2, 1, 0]

    for web in (first, second):
        refused = requests.get(f"{web}/api/project", timeout=10)
        assert refused.status_code == 429
        body = refused.json()
        assert body["status"] == "failed" and body["status_code"] == 429
        assert body["exception_cls"] == "TooManyRequests" and body["action"] == "GET"
        assert refused.headers["X-RateLimit-Limit"] == str(LIMIT)
        assert refused.headers["X-RateLimit-Remaining"] == "0"
        reset = int(refused.headers["X-RateLimit-Reset"])
        retry_after = int(refused.headers["Retry-After"])
        assert reset % PER == 0 and 1 <= retry_after <= PER
        assert abs(reset - (time.time() + retry_after)) <= 2

    # Another endpoint group has a budget of its own, also shared.
    assert requests.get(f"{second}/api/task", timeout=10).headers["X-RateLimit-Remaining"] == "3"
    assert requests.get(f"{first}/api/task", timeout=10).headers["X-RateLimit-Remaining"] == "2"
    counters = [k.decode() for k in two_webs.redis.scan_iter(f"{two_webs.prefix}*rl:*")]
    assert sorted(c.split("rl:")[1].split(":")[0] for c in counters) == ["project", "task"]
