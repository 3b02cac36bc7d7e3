"""Statistics pages on a project with a million answers (issue 5, point 3).

Seeds PostgreSQL inside the database (``generate_series``): a project of ``--tasks`` tasks and
``--answers`` answers from 4,000 registered volunteers and 1,000 anonymous addresses over 60 days.
Then it times the first statistics refresh (the fold of every answer), an incremental refresh after
1,000 more answers, and ``--repeat`` views of each page, with the queries each page makes. Every
query a page sends is EXPLAINed: none may read the answers table (``crowdfold_taskrun``) by a
sequential scan, and its ``seq_scan`` counter must not move while the pages are viewed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_stats_bench \\
        python -m bench.stats_pages --fresh --answers 1000000 --tasks 250000

Writes ``var/bench/stats_pages.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from bench.dj import reset_database, setup_django
from bench.seed import analyze, create_bench_project, create_volunteers, load_tasks

PEOPLE = 5000  # contributors: the first 4,000 registered, the rest anonymous addresses
REGISTERED = 4000
DAYS = 60


def load_answers(project_id: int, tasks: int, answers: int, first_user: int) -> float:
    """``answers`` task runs, ``answers / tasks`` per task from distinct people, spread over
    ``DAYS`` days; the answers table's secondary indexes are rebuilt once afterwards."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("SELECT min(id) FROM crowdfold_task WHERE project_id = %s", [project_id])
        first_task = cur.fetchone()[0]
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'crowdfold_taskrun' "
            "AND indexname NOT LIKE '%%pkey' AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        # Answer g goes to task (g mod tasks), round r = g div tasks; person (t + 1000 r) mod PEOPLE
        # is different for each round of a task, so (task, person) stays unique.
        cur.execute(
            """
            INSERT INTO crowdfold_taskrun (project_id, task_id, user_id, user_ip, contributor_key,
                                           info, created, finish_time)
            SELECT %(project)s, %(first_task)s + t, CASE WHEN p < %(registered)s
                       THEN %(first_user)s + p END,
                   CASE WHEN p >= %(registered)s THEN '10.9.' || (p / 256) || '.' || (p %% 256) END,
                   CASE WHEN p < %(registered)s THEN 'u:' || (%(first_user)s + p)
                        ELSE 'ip:10.9.' || (p / 256) || '.' || (p %% 256) END,
                   '"Yes"'::jsonb, f - interval '40 seconds', f
            FROM (SELECT g, g %% %(tasks)s AS t, g / %(tasks)s AS r,
                         ((g %% %(tasks)s) + 1000 * (g / %(tasks)s)) %% %(people)s AS p,
                         now() - interval '1 minute' - (g %% (%(days)s * 86400)) * interval '1 second'
                           AS f
                  FROM generate_series(0, %(answers)s - 1) AS g) AS s
            """,
            {
                "project": project_id,
                "first_task": first_task,
                "registered": REGISTERED,
                "first_user": first_user,
                "tasks": tasks,
                "people": PEOPLE,
                "days": DAYS,
                "answers": answers,
            },
        )
        for _, definition in indexes:
            cur.execute(definition)
        per_task = answers // tasks
        # Half the tasks need exactly the answers they have (completed), half one more.
        cur.execute(
            "UPDATE crowdfold_task SET n_task_runs = %s, n_answers = %s + (id %% 2), "
            "state = CASE WHEN id %% 2 = 0 THEN 'completed' ELSE 'ongoing' END "
            "WHERE project_id = %s",
            [per_task, per_task, project_id],
        )
    analyze()
    return time.perf_counter() - started


def add_recent_answers(project_id: int, count: int) -> None:
    """``count`` new answers by anonymous addresses nobody used yet (for the incremental refresh)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO crowdfold_taskrun (project_id, task_id, user_ip, contributor_key, info, "
            "created, finish_time) SELECT %s, t.id, '10.8.0.' || t.id, 'ip:10.8.0.' || t.id, "
            "'1'::jsonb, now() - interval '2 minutes', now() - interval '1 minute' "
            "FROM (SELECT id FROM crowdfold_task WHERE project_id = %s ORDER BY id LIMIT %s) AS t",
            [project_id, project_id, count],
        )


def taskrun_seq_scans() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_force_next_flush()")
        cur.execute("SELECT pg_stat_clear_snapshot()")
        cur.execute("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'crowdfold_taskrun'")
        return cur.fetchone()[0]


def scans_of_answers(queries: list[dict]) -> list[str]:
    """The queries whose plan reads ``crowdfold_taskrun`` by a sequential scan."""
    from django.db import connection

    bad = []
    with connection.cursor() as cur:
        for query in queries:
            sql = query["sql"]
            if "crowdfold_taskrun" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cur.execute("EXPLAIN (FORMAT TEXT) " + sql)
            plan = "\n".join(row[0] for row in cur.fetchall())
            if "Seq Scan on crowdfold_taskrun" in plan:
                bad.append(sql)
    return bad


def view_pages(pages: list[str], repeat: int) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = []
    for url in pages:
        client.get(url)  # warm-up: templates, URL resolvers, connection
        times, counts, seq_plans = [], [], set()
        for _ in range(repeat):
            cache.clear()  # no help from cached figures: every view pays its queries
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                res = client.get(url)
                elapsed = time.perf_counter() - started
            assert res.status_code == 200, (url, res.status_code)
            times.append(elapsed * 1000)
            counts.append(len(ctx.captured_queries))
            seq_plans.update(scans_of_answers(ctx.captured_queries))
        rows.append(
            {
                "page": url,
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "queries": max(counts),
                "seq_scans_of_answers": sorted(seq_plans),
            }
        )
    return rows


def run(args) -> dict:
    if args.fresh:
        reset_database()
    setup_django(migrate=True)
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench.stats_pages needs PostgreSQL (DATABASE_URL=postgres://...)")
    settings.STATS_SETTLE_SECONDS = 30
    from crowdfold.stats.refresh import refresh_all, refresh_project
    from crowdfold.tasks.models import TaskRun

    people = create_volunteers(REGISTERED)
    first_user = people[0]["id"]
    assert people[-1]["id"] - first_user == REGISTERED - 1, "volunteer ids are not contiguous"
    project = create_bench_project("statsbench")
    load_tasks(project.pk, args.tasks, 4)
    seed_s = load_answers(project.pk, args.tasks, args.answers, first_user)
    n_answers = TaskRun.objects.filter(project_id=project.pk).count()

    started = time.perf_counter()
    refresh_all()
    first_refresh = time.perf_counter() - started
    add_recent_answers(project.pk, 1000)
    settings.STATS_SETTLE_SECONDS = 0
    started = time.perf_counter()
    refresh_project(project.pk)
    incremental = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load

    sn = project.short_name
    pages = [f"/project/{sn}/stats", f"/project/{sn}/", f"/project/{sn}/progress", "/stats/"]
    pages.append("/leaderboard/")
    scans_before = taskrun_seq_scans()
    rows = view_pages(pages, args.repeat)
    scans_after = taskrun_seq_scans()
    return {
        "answers": n_answers,
        "tasks": args.tasks,
        "seed_seconds": round(seed_s, 1),
        "first_refresh_seconds": round(first_refresh, 1),
        "incremental_refresh_seconds_after_1000_answers": round(incremental, 2),
        "pages": rows,
        "taskrun_seq_scans_during_page_views": scans_after - scans_before,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database")
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=20, help="views of each page")
    parser.add_argument("--out", default="var/bench/stats_pages.json")
    args = parser.parse_args(argv)
    result = run(args)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"{result['answers']:,} answers on {result['tasks']:,} tasks")
    print(f"first refresh {result['first_refresh_seconds']} s, incremental (1,000 new) "
          f"{result['incremental_refresh_seconds_after_1000_answers']} s")  # fmt: skip
    print(f"{'page':40} {'median ms':>10} {'max ms':>8} {'queries':>8}  seq scans of answers")
    for row in result["pages"]:
        print(
            f"{row['page']:40} {row['median_ms']:>10} {row['max_ms']:>8} {row['queries']:>8}  "
            f"{len(row['seq_scans_of_answers'])}"
        )
    print(
        f"crowdfold_taskrun seq_scan counter moved by {result['taskrun_seq_scans_during_page_views']}"
    )
    if result["taskrun_seq_scans_during_page_views"] or any(
        row["seq_scans_of_answers"] for row in result["pages"]
    ):
        sys.exit(1)


if __name__ == "__main__":
    main()
