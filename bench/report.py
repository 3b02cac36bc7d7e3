"""bench/REPORT.md from the figures bench/run.py collected."""

from __future__ import annotations

import json
from pathlib import Path


def _ms(d: dict, key: str):
    return d.get(key, "–") if d else "–"


def _run_row(run: dict) -> str:
    r = run["result"]
    inv = run.get("invariants")
    verdict = (
        "–"
        if inv is None
        else ("OK" if not inv["violations"] else "VIOLATED: " + ", ".join(inv["violations"]))
    )
    nt, tr = r["newtask_ms"], r["taskrun_ms"]
    errors = sum(r["errors"].values())
    cpu_ms, db_ms = _per_cycle_ms(r, "server_cpu_cores"), _per_cycle_ms(r, "db_cpu_cores")
    return (
        f"| {run['label']} | {r['k']} | {r['cycles_per_s']} | {_ms(nt, 'p50')} / {_ms(nt, 'p95')} / "
        f"{_ms(nt, 'p99')} | {_ms(tr, 'p50')} / {_ms(tr, 'p95')} / {_ms(tr, 'p99')} | {errors} | "
        f"{r['empty_newtasks']} | {r['client_cpu_cores']} | {r.get('server_cpu_cores')} | {cpu_ms} | "
        f"{db_ms} | {r['machine_busy_cores']} | {verdict} |"
    )


def _per_cycle_ms(r: dict, cores_key: str):
    """CPU milliseconds per answered cycle from a cores figure, or "–"."""
    if r.get(cores_key) is None or not r["cycles"]:
        return "–"
    return round(r[cores_key] * r["seconds"] * 1000 / r["cycles"], 2)


def _find(results, engine, label_part):
    for res in results:
        if res["engine"] == engine:
            for run in res["runs"]:
                if run["label"] == f"{engine}-{label_part}":
                    return run
    return None


def _p50s(a: dict, b: dict) -> tuple[float, float] | None:
    """Both p50s, or None when a run saw no answer at all."""
    if "p50" not in a["result"]["newtask_ms"] or "p50" not in b["result"]["newtask_ms"]:
        return None
    return a["result"]["newtask_ms"]["p50"], b["result"]["newtask_ms"]["p50"]


def _check(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**missed**")


def _targets(results, meta) -> list[str]:
    size = meta["size_detail"]
    big, small, mid = size["big"], size["small"], size["mid"]
    rows = ["| target | measured | verdict |", "|---|---|---|"]

    def cycle(engine, tasks, k):
        run = _find(results, engine, f"cycle-{tasks}-k{k}")
        return run["result"] if run else None

    pg50, pg200 = cycle("postgres", big, 50), cycle("postgres", big, 200)
    if pg50:
        rows.append(
            f"| PostgreSQL K=50 at {big:,} tasks ≥ 500 cycles/s | {pg50['cycles_per_s']} | "
            f"{_check(pg50['cycles_per_s'] >= 500)} |"
        )
        p99 = max(pg50["newtask_ms"].get("p99", 1e9), pg50["taskrun_ms"].get("p99", 1e9))
        rows.append(
            f"| p99 of either call < 150 ms (K=50, {big:,} tasks) | {p99} ms | {_check(p99 < 150)} |"
        )
    if pg200:
        rows.append(
            f"| PostgreSQL K=200 at {big:,} tasks ≥ 400 cycles/s | {pg200['cycles_per_s']} | "
            f"{_check(pg200['cycles_per_s'] >= 400)} |"
        )
    for engine in ("postgres", "sqlite"):
        new_small = _find(results, engine, f"single-new-{small}")
        new_big = _find(results, engine, f"single-new-{big}")
        if new_small and new_big and _p50s(new_small, new_big):
            a, b = _p50s(new_small, new_big)
            rows.append(
                f"| {engine}: newtask p50 at {big:,} ≤ 1.3 × at {small:,} (one volunteer) | "
                f"{b} vs {a} ms = {b / a:.2f}× | {_check(b / a <= 1.3)} |"
            )
        c_small, c_big = cycle(engine, small, 50), cycle(engine, big, 50)
        if c_small and c_big and "p50" in c_small["newtask_ms"] and "p50" in c_big["newtask_ms"]:
            a, b = c_small["newtask_ms"]["p50"], c_big["newtask_ms"]["p50"]
            rows.append(
                f"| {engine}: newtask p50 at {big:,} ≤ 1.3 × at {small:,} (K=50) | "
                f"{b} vs {a} ms = {b / a:.2f}× | {_check(b / a <= 1.3)} |"
            )
        for placement in ("spread", "front"):
            vet = _find(results, engine, f"single-veteran-{placement}")
            if vet and new_big and _p50s(new_big, vet):
                a, b = _p50s(new_big, vet)
                rows.append(
                    f"| {engine}: veteran with {size['history']:,} answers ({placement}) ≤ 1.3 × new | "
                    f"{b} vs {a} ms = {b / a:.2f}× | {_check(b / a <= 1.3)} |"
                )
    sq = cycle("sqlite", mid, 50)
    if sq:
        rows.append(
            f"| SQLite K=50 at {mid:,} tasks ≥ 150 cycles/s | {sq['cycles_per_s']} | "
            f"{_check(sq['cycles_per_s'] >= 150)} |"
        )
    for res in results:
        if res["engine"] == "sqlite":
            locked = res.get("database_locked_in_log", 0)
            # Server answers other than 200 (socket timeouts are the client giving up, counted apart).
            errors = sum(
                n
                for r in res["runs"]
                for name, n in r["result"]["errors"].items()
                if not name.startswith("socket_")
            )
            timeouts = sum(r["result"]["errors"].get("socket_timeout", 0) for r in res["runs"])
            rows.append(
                f'| SQLite: no "database is locked" reaching a client | {locked} in the server log, '
                f"{errors} non-200 answers ({timeouts} client timeouts at K=200) | "
                f"{_check(locked == 0 and errors == 0)} |"
            )
    rows += _io_targets(meta.get("io"))
    return rows


def _io_targets(io: dict | None) -> list[str]:
    if not io:
        return [
            "| import of 1M tasks < 30 s; export of 3M task runs < 60 s, RSS < 300 MB | "
            "not run (PostgreSQL engine not selected) | – |"
        ]
    imp = io["import"]
    rows = [
        f"| import of {io['tasks']:,} tasks < 30 s (JSON Lines, `import_tasks`) | {imp['seconds']} s "
        f"wall ({imp['rows_per_s']:,} rows/s), CPU: loader {imp['client_cpu_s']} s + PostgreSQL "
        f"{imp.get('db_cpu_s', '?')} s, peak RSS {imp['peak_rss_mb']} MB | {_check(imp['seconds'] < 30)} |"
    ]
    for exp in io["exports"]:
        ok = exp["seconds"] < 60 and exp["peak_rss_mb"] < 300
        rows.append(
            f"| export of {exp['rows']:,} task runs as {exp['format']} < 60 s, RSS < 300 MB | "
            f"{exp['seconds']} s wall ({exp['rows_per_s']:,} rows/s), CPU: exporter "
            f"{exp['client_cpu_s']} s + PostgreSQL {exp.get('db_cpu_s', '?')} s, peak RSS "
            f"{exp['peak_rss_mb']} MB | {_check(ok)} |"
        )
    return rows


def write_report(out: Path, meta: dict, results: list[dict]) -> None:
    m = meta["machine"]
    lines = [
        "# Crowdfold benchmark report",
        "",
        f"Generated by `make bench` (`python -m bench.run --size {meta['size']}`) on {meta['started']}, "
        f"{meta['minutes']} minutes.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, Linux {m['kernel']}",
        f"- Python {m['python']}, Django {m['django']}, Granian {m['granian']}, psycopg {m['psycopg']}, "
        f"PostgreSQL {m['postgres']}, SQLite {m['sqlite']}, {m['wrk']}",
        f"- Load average before: {', '.join(f'{x:.1f}' for x in m['load_average'])}; after: "
        f"{', '.join(f'{x:.1f}' for x in meta['load_after'])}. The machine is shared; the *machine busy* "
        "column shows how many of its cores were busy during each run (ours and everyone else's).",
        "",
        "## Settings",
        "",
        f"- Server: `crowdfold serve --workers {meta['workers']} --threads {meta['threads']}` (Granian, WSGI), "
        "persistent database connections (CONN_MAX_AGE), rate limit off (`CROWDFOLD_RATE_LIMIT=false`, "
        "`LIMIT` huge: one client plays every volunteer), reservation TTL 3600 s.",
        "- Client: `wrk` with bench/volunteer.lua, one thread and one keep-alive connection per volunteer, "
        "each a registered user with its own API key; GET newtask, then POST taskrun for the task given. "
        f"Each run: 2 s warm-up, then {meta['size_detail']['duration']} s measured "
        f"(one-volunteer latency runs: {meta['size_detail']['single']} s).",
        "- Projects: depth_first scheduler, n_answers = 3, tasks generated in the database (bench/seed.py). "
        "Veterans' earlier answers sit on tasks that are still open: *spread* = every k-th task, "
        "*front* = the first tasks in scheduling order (the worst case).",
        "",
        "## Targets (issue 7 point 2)",
        "",
        "Read with *Reading these figures* below: throughput and latency depend on how much of the "
        "shared machine the run got; server CPU per cycle does not.",
        "",
        *_targets(results, meta),
        "",
        "## Every run",
        "",
        "Times in ms (p50 / p95 / p99). *server ms/cycle*: CPU the server's processes spent per answered "
        "cycle; *PostgreSQL ms/cycle*: CPU of the database's backends serving this benchmark, per cycle "
        "(read from /proc; – on SQLite, whose work is inside the server). Invariants are checked in the "
        "database after every run (bench/invariants.py).",
        "",
        "| run | K | cycles/s | newtask ms | taskrun ms | errors | empty newtasks | client cores | "
        "server cores | server ms/cycle | PostgreSQL ms/cycle | machine busy | invariants |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for res in results:
        for run in res["runs"]:
            if "floor" in run["label"]:
                r = run["result"]
                lines.append(
                    f"| {run['label']}: GET /api/ (HTTP floor) | {r['k']} | {r['requests_per_s']} req/s | "
                    f"{_ms(r['newtask_ms'], 'p50')} / {_ms(r['newtask_ms'], 'p95')} / "
                    f"{_ms(r['newtask_ms'], 'p99')} | – | {sum(r['errors'].values())} | – | "
                    f"{r['client_cpu_cores']} | {r.get('server_cpu_cores')} | – | – | "
                    f"{r['machine_busy_cores']} | – |"
                )
            else:
                lines.append(_run_row(run))
    lines += ["", "## Data loading (bench/seed.py, tasks generated inside the database)", ""]
    for res in results:
        for name, s in res["seeds"].items():
            extra = "".join(
                f"; veteran ({p}) {v['history_seconds']} s"
                for p, v in s.get("veterans", {}).items()
            )
            lines.append(
                f"- {res['engine']} `{name}`: {s['tasks']:,} tasks in {s['task_load_seconds']} s{extra}"
            )
    if meta.get("io"):
        io = meta["io"]
        lines += [
            "",
            "## Import and export (bench/import_export.py, PostgreSQL)",
            "",
            f"- File: {io['tasks']:,} JSON Lines tasks, {io['file_mb']} MB. Import: "
            f"{json.dumps(io['import'])}",
            f"- Answers generated in the database for the export: {json.dumps(io.get('answers'))}",
            *[f"- Export: {json.dumps(e)}" for e in io["exports"]],
            "- *client_cpu_s* / *db_cpu_s*: CPU of the loader or exporter process and of its "
            "PostgreSQL backend; wall time on this shared machine also holds waiting for a core.",
        ]
    lines += [
        "",
        "## How to reproduce",
        "",
        "```",
        "make bench                                   # this report, standard size (~10 min)",
        ".venv/bin/python -m bench.run --size large   # 60 s runs",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf python -m bench.seed --fresh --tasks 1000000 --out s.json",
        "DATABASE_URL=… python -m bench.volunteers --project 1 -k 50 -d 20   # starts its own server",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_io python bench/import_export.py --tasks 1000000 --runs 3000000",
        "```",
        "",
    ]
    if meta.get("notes"):
        lines += [meta["notes"], ""]
    out.write_text("\n".join(lines))
