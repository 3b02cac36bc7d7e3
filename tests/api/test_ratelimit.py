"""X-RateLimit-* headers on every API response and PYBOSSA's 429 past the limit."""

from __future__ import annotations

import time

import pytest

from tests.api.conftest import assert_error


@pytest.fixture
def small_limit(settings):
    settings.API_LIMIT = 3
    settings.API_PER = 900
    return settings


def test_headers_count_down_to_an_absolute_reset(api, project, small_limit):
    client = api()
    remaining = []
    for _ in range(3):
        res = client.get("/api/task")
        assert res.status_code == 200
        remaining.append(int(res["X-RateLimit-Remaining"]))
    assert remaining == [2, 1, 0]
    reset = int(res["X-RateLimit-Reset"])
    assert reset % 900 == 0 and time.time() < reset <= time.time() + 900
    assert res["X-RateLimit-Limit"] == "3"


def test_past_the_limit_is_429_in_pybossa_shape(api, project, small_limit):
    client = api()
    for _ in range(3):
        client.get("/api/task")
    res = client.get(f"/api/task/{1}")  # collection and item URLs share a counter
    body = assert_error(res, 429, "TooManyRequests", target="/api/task/1")
    assert body["action"] == "GET"
    assert res["X-RateLimit-Remaining"] == "0"
    retry_after = int(res["Retry-After"])
    assert 1 <= retry_after <= 900
    assert abs(int(res["X-RateLimit-Reset"]) - (time.time() + retry_after)) <= 2
    head = client.head("/api/task")
    assert head.status_code == 429 and head.content == b"" and head["X-RateLimit-Remaining"] == "0"


def test_groups_and_clients_have_separate_budgets(api, owner, project, small_limit):
    anonymous = api()
    for _ in range(4):
        anonymous.get("/api/task")
    assert anonymous.get("/api/project").status_code == 200
    assert api(owner).get("/api/task").status_code == 200
    assert api(remote_addr="203.0.113.9").get("/api/task").status_code == 200


def test_newtask_has_its_own_counter(api, project, volunteer, small_limit):
    client = api(volunteer)
    for _ in range(3):
        client.get("/api/project")
    assert client.get(f"/api/project/{project.pk}/newtask").status_code == 200


def test_rate_limit_can_be_switched_off(api, project, small_limit):
    small_limit.RATE_LIMIT_ENABLED = False
    client = api()
    for _ in range(5):
        res = client.get("/api/task")
        assert res.status_code == 200 and "X-RateLimit-Limit" not in res


@pytest.mark.parametrize(
    "backend",
    ["django.core.cache.backends.redis.RedisCache", "crowdfold.ops.cache.ResilientRedisCache"],
)
def test_a_dead_redis_lets_requests_through(api, project, small_limit, backend):
    # Nothing listens on port 1: every request still succeeds, reporting the full budget.
    small_limit.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:1/0"}}
    client = api()
    for _ in range(5):
        res = client.get("/api/task")
        assert res.status_code == 200 and res["X-RateLimit-Remaining"] == "3"


def _redis_or_skip():
    import os

    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable on 127.0.0.1:6379")
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return client


def test_counters_are_shared_through_redis(api, project, small_limit):
    import uuid

    client = _redis_or_skip()
    prefix = f"cf-test-{uuid.uuid4().hex}"
    small_limit.CACHES = {
        "default": {
            "BACKEND": "crowdfold.ops.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        }
    }
    try:
        # Two separate test clients stand for two server processes: they share one budget.
        assert api().get("/api/task")["X-RateLimit-Remaining"] == "2"
        assert api().get("/api/task")["X-RateLimit-Remaining"] == "1"
        keys = client.keys(f"{prefix}:*")
        assert len(keys) == 1 and 0 < client.ttl(keys[0]) <= 901
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
