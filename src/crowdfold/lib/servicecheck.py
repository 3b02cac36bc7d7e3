"""Is a service the tests need reachable? Exit 0 if so; if not, exit 1 under CI=true (a failure) and
0 with a clear "skipped" line elsewhere. Usage: python -m crowdfold.lib.servicecheck postgres|redis"""

from __future__ import annotations

import os
import sys


def _postgres() -> str | None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    try:
        psycopg.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=cfg["PORT"] or 5432,
            user=cfg["USER"] or "postgres",
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL at {cfg['HOST']}:{cfg['PORT']} is not reachable: {exc}"
    return None


def _redis() -> str | None:
    import redis

    url = os.environ.get("CROWDFOLD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {url} is not reachable: {exc}"
    return None


def main() -> int:
    service = sys.argv[1]
    problem = {"postgres": _postgres, "redis": _redis}[service]()
    if problem is None:
        return 0
    if os.environ.get("CI", "").lower() == "true":
        print(f"FAILED: {problem} (CI=true requires it)", file=sys.stderr)
        return 1
    print(f"SKIPPED: {problem}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
