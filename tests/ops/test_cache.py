"""The cache: Redis when configured, in-process otherwise, and a dead Redis never breaks a request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.core.cache import caches

from crowdfold.ops.cache import remember
from tests.conftest import make_tasks
from tests.ops.conftest import require_service
from tests.ops.redis_server import RedisServer

SYSTEM_REDIS = os.environ.get("CROWDFOLD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def settings_in_subprocess(env: dict, code: str) -> dict:
    """Run ``code`` (which sets ``out``) in a fresh process with Crowdfold's settings and ``env``."""
    script = (
        "import json, os, django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'crowdfold.settings'\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.cache import caches\n"
        f"{code}\n"
        "print(json.dumps(out))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CROWDFOLD_REDIS"))}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def redis_cache_settings(url: str, prefix: str, retry_after: float = 5.0) -> dict:
    options = {"socket_timeout": 0.3, "socket_connect_timeout": 0.3, "retry_after": retry_after}
    return {
        alias: {
            "BACKEND": "crowdfold.ops.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}:{alias}",
            "OPTIONS": options,
        }
        for alias in ("default", "content")
    }


@pytest.fixture
def system_redis():
    try:
        redis.Redis.from_url(SYSTEM_REDIS, socket_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        require_service("Redis", str(exc))
    prefix = f"cftest-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(SYSTEM_REDIS)
    yield SYSTEM_REDIS, prefix, client
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def own_redis():
    server = RedisServer()
    yield server
    server.stop()


def test_without_redis_state_is_in_process_and_pages_are_cached_in_files_under_the_data_dir(
    tmp_path,
):
    out = settings_in_subprocess(
        {"CROWDFOLD_DATA_DIR": str(tmp_path)},
        "from crowdfold.ops.cache import remember\n"
        "remember('k', 'APP_TIMEOUT', lambda: 7)\n"
        "out = [settings.CACHES['default']['BACKEND'], caches['content'].get('k:en')]",
    )
    assert out == ["django.core.cache.backends.locmem.LocMemCache", 7]
    # Another process (another worker of `crowdfold serve`) reads the same page.
    again = settings_in_subprocess(
        {"CROWDFOLD_DATA_DIR": str(tmp_path)}, "out = caches['content'].get('k:en')"
    )
    assert again == 7 and any((tmp_path / "cache").iterdir())


def test_named_timeouts_default_to_pybossas_and_can_be_overridden():
    out = settings_in_subprocess(
        {"APP_TIMEOUT": "60"},
        "out = [settings.APP_TIMEOUT, settings.STATS_APP_TIMEOUT, settings.CACHE_TIMEOUTS['USER_TIMEOUT']]",
    )
    assert out == [60, 12 * 60 * 60, 15 * 60]


def test_pybossa_redis_cache_disabled_turns_content_caching_off_but_keeps_shared_state(
    system_redis,
):
    url, prefix, _client = system_redis
    out = settings_in_subprocess(
        {
            "PYBOSSA_REDIS_CACHE_DISABLED": "1",
            "CROWDFOLD_REDIS_URL": url,
            "REDIS_KEYPREFIX": prefix,
        },
        "from crowdfold.ops.cache import remember\n"
        "calls = []\n"
        "for _ in range(3): remember('k', 'APP_TIMEOUT', lambda: calls.append(1) or 7)\n"
        "caches['default'].set('kept', 1)\n"
        "out = [len(calls), caches['default'].get('kept')]",
    )
    assert out == [3, 1]


def test_redis_host_settings_make_one_cache_shared_by_every_process(system_redis):
    url, prefix, client = system_redis
    db = int(url.rsplit("/", 1)[1])
    env = {
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "REDIS_DB": str(db),
        "REDIS_KEYPREFIX": prefix,
    }
    settings_in_subprocess(env, "caches['default'].set('shared-key', 'from-one', 60); out = 1")
    out = settings_in_subprocess(env, "out = caches['default'].get('shared-key')")
    assert out == "from-one"
    assert any(key.startswith(prefix.encode()) for key in client.scan_iter(f"{prefix}*"))


def test_requests_keep_working_when_redis_dies_mid_test(
    settings, project, api, volunteer, own_redis
):
    settings.CACHES = redis_cache_settings(own_redis.url, "cf", retry_after=30)
    make_tasks(project, 10, n_answers=2)
    client = api(volunteer)
    assert client.get(f"/api/project/{project.pk}/newtask").status_code == 200
    assert remember("answer", "APP_TIMEOUT", lambda: 42) == 42
    assert caches["content"].get("answer:en") == 42  # really stored in Redis (key per language)

    own_redis.stop()
    started = time.monotonic()
    for _ in range(5):
        assert client.get(f"/api/project/{project.pk}/newtask").status_code == 200
    computed = []
    assert remember("answer", "APP_TIMEOUT", lambda: computed.append(1) or 43) == 43
    assert computed == [1]  # uncached, computed afresh
    # One socket timeout at most, then the breaker answers without touching the network.
    assert time.monotonic() - started < 2.0
    assert not caches["default"].available


def test_the_cache_comes_back_when_redis_does(settings, own_redis):
    settings.CACHES = redis_cache_settings(own_redis.url, "cf", retry_after=0.2)
    cache = caches["default"]
    cache.set("k", 1)
    port = own_redis.port
    own_redis.stop()
    assert cache.get("k", "missing") == "missing"
    assert cache.incr("counter") == 1  # counters start afresh rather than raise
    restarted = RedisServer(port=port)
    try:
        time.sleep(0.25)
        cache.set("k", 2)
        assert cache.get("k") == 2
        assert cache.available
    finally:
        restarted.stop()


def test_redis_sentinel_settings_find_the_master_through_the_sentinel(own_redis):
    from tests.ops.redis_server import RedisSentinel

    sentinel = RedisSentinel(own_redis, "cfmaster")
    try:
        env = {
            "REDIS_SENTINEL": f"127.0.0.1:{sentinel.port}",
            "REDIS_MASTER": "cfmaster",
            "REDIS_KEYPREFIX": "viasentinel",
        }
        out = settings_in_subprocess(
            env,
            "caches['default'].set('k', 'through-sentinel', 60); out = caches['default'].get('k')",
        )
        assert out == "through-sentinel"
        direct = redis.Redis.from_url(own_redis.url)
        assert [k.decode() for k in direct.scan_iter("viasentinel*")] == ["viasentinel:state:1:k"]
    finally:
        sentinel.stop()
