"""``crowdfold load``: every format and compression, PYBOSSA's info rule, atomicity, duplicates."""

from __future__ import annotations

import json
import re

import pytest

from crowdfold.tasks.models import Task
from tests.data.conftest import compress, jsonl, write_xlsx

ROWS = [{"url": "http://example.org/1.jpg", "n": 1}, {"url": "http://example.org/2.jpg", "n": 2}]


def infos(project):
    return list(Task.objects.filter(project=project).order_by("id").values_list("info", flat=True))


def _payload(fmt: str) -> bytes:
    if fmt == "jsonl":
        return jsonl(ROWS)
    if fmt == "json":
        return json.dumps(ROWS, indent=2).encode()
    sep = "," if fmt == "csv" else "\t"
    return f"url{sep}n\n{ROWS[0]['url']}{sep}1\n{ROWS[1]['url']}{sep}2\n".encode()


@pytest.mark.parametrize("compression", [None, "gz", "bz2", "zip"])
@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv"])
def test_every_text_format_loads_plain_and_compressed(run, project, tmp_path, fmt, compression):
    path = compress(tmp_path / f"tasks.{fmt}", _payload(fmt), compression)
    result = run("load", project.short_name, path)
    assert result.exit_code == 0, result.output
    expected = (
        ROWS if fmt in ("jsonl", "json") else [{"url": r["url"], "n": str(r["n"])} for r in ROWS]
    )
    assert infos(project) == expected
    assert "Loaded 2 tasks" in result.output


@pytest.mark.parametrize("compression", [None, "gz", "bz2", "zip"])
def test_excel_workbooks_load_with_typed_cells(run, project, tmp_path, compression):
    path = write_xlsx(
        tmp_path / "tasks.xlsx", [["url", "n", "n_answers"], ["a.jpg", 1, 2], ["b.jpg", 2.5, None]]
    )
    path = compress(path, path.read_bytes(), compression) if compression else path
    result = run("load", project.short_name, path, "--redundancy", "5")
    assert result.exit_code == 0, result.output
    tasks = list(Task.objects.filter(project=project).order_by("id"))
    assert [t.info for t in tasks] == [{"url": "a.jpg", "n": 1}, {"url": "b.jpg", "n": 2.5}]
    assert [t.n_answers for t in tasks] == [2, 5]


def test_a_row_with_an_info_object_uses_it_and_its_task_fields(run, project, tmp_path):
    rows = [
        {"info": {"q": "a"}, "n_answers": 4, "priority_0": 0.5, "id": 12345678},
        {"q": "b", "n_answers": 7},
    ]
    path = tmp_path / "t.jsonl"
    path.write_bytes(jsonl(rows))
    assert run("load", project.short_name, path, "--priority", "0.25").exit_code == 0
    first, second = Task.objects.filter(project=project).order_by("id")
    assert (first.info, first.n_answers, first.priority_0) == ({"q": "a"}, 4, 0.5)
    # Without an info object the whole row is the info, task-field names included (PYBOSSA's rule).
    assert (second.info, second.priority_0) == ({"q": "b", "n_answers": 7}, 0.25)


def test_csv_task_field_columns_become_task_fields(run, project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("question,n_answers,priority_0\nred?,2,0.9\nblue?,,\n")
    assert run("load", project.short_name, path, "--redundancy", "3").exit_code == 0
    tasks = list(Task.objects.filter(project=project).order_by("id"))
    assert [(t.info, t.n_answers, t.priority_0) for t in tasks] == [
        ({"question": "red?"}, 2, 0.9),
        ({"question": "blue?"}, 3, 0.0),
    ]


def test_shell_globs_expand_when_quoted(run, project, tmp_path):
    for i in range(3):
        (tmp_path / f"part{i}.jsonl").write_bytes(jsonl([{"part": i}]))
    result = run("load", project.short_name, str(tmp_path / "part*.jsonl"))
    assert result.exit_code == 0, result.output
    assert infos(project) == [{"part": 0}, {"part": 1}, {"part": 2}]


def test_a_broken_line_names_file_and_line_and_stores_nothing(run, project, tmp_path):
    (tmp_path / "a_good.jsonl").write_bytes(jsonl([{"ok": i} for i in range(50)]))
    lines = [json.dumps({"n": i}) for i in range(10_000)]
    lines[6] = '{"n": 6, "broken": '
    bad = tmp_path / "b_bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    result = run("load", project.short_name, tmp_path / "a_good.jsonl", bad)
    assert result.exit_code == 1
    assert f"{bad}:7: invalid JSON" in result.output
    assert Task.objects.filter(project=project).count() == 0
    assert not project.batches.exclude(is_default=True).exists()


@pytest.mark.parametrize(
    ("name", "content", "line", "message"),
    [
        ("t.csv", "a,b\n1,2\n3\n", 3, "this row has 1 fields but the header names 2"),
        ("t.csv", "a,a\n1,2\n", 1, "column 'a' appears twice"),
        ("t.csv", "a,\n1,2\n", 1, "column 2 has no name"),
        ("t.json", '[{"a": 1},\n {"a": 2}\n 3]', 3, "expected ',' or ']'"),
        ("t.json", '[{"a": 1},\n 5]', 2, "expected a JSON object, got int"),
        ("t.jsonl", '{"a": 1}\n[1, 2]\n', 2, "expected a JSON object, got list"),
        ("t.jsonl", '{"info": {"a": 1}, "n_answers": "many"}\n', 1, "n_answers must be a number"),
        ("t.jsonl", '{"info": {"a": 1}, "n_answers": 0}\n', 1, "n_answers must be at least 1"),
        ("t.jsonl", '{"a": 1}\n{"a": NaN}\n', 2, "NaN is not valid JSON"),
        ("t.jsonl", '{"a": 1}\n{"a": "x\\u0000"}\n', 2, "cannot hold the character U+0000"),
    ],
)
def test_malformed_input_is_located_and_refused(
    run, project, tmp_path, name, content, line, message
):
    path = tmp_path / name
    path.write_text(content)
    result = run("load", project.short_name, path)
    assert result.exit_code == 1
    assert f"{path}:{line}: " in result.output and message in result.output
    assert Task.objects.filter(project=project).count() == 0


def test_errors_inside_archives_name_the_member(run, project, tmp_path):
    path = compress(tmp_path / "inner.jsonl", b'{"a": 1}\n{oops\n', "zip")
    result = run("load", project.short_name, path)
    assert result.exit_code == 1
    assert f"{path}/inner.jsonl:2: invalid JSON" in result.output


def test_duplicates_are_skipped_and_counted_unless_allowed(run, project, tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes(jsonl([{"a": 1}, {"a": 2}, {"a": 1}]))
    first = run("load", project.short_name, path)
    assert "Loaded 2 tasks" in first.output and "1 duplicates skipped" in first.output
    again = run("load", project.short_name, path)
    assert "Loaded 0 tasks" in again.output and "3 duplicates skipped" in again.output
    # Key order does not make a different info.
    (tmp_path / "r.json").write_text('[{"b": 1, "a": 3}, {"a": 3, "b": 1}]')
    assert "Loaded 1 tasks" in run("load", project.short_name, tmp_path / "r.json").output
    allowed = run("load", project.short_name, path, "--allow-duplicates")
    assert "Loaded 3 tasks" in allowed.output
    assert Task.objects.filter(project=project).count() == 6


def test_duplicates_of_tasks_created_elsewhere_are_seen(run, project, tmp_path):
    Task.objects.create(project=project, info={"a": 1})
    Task.objects.bulk_create([Task(project=project, info={"a": 2})])  # no digest: backfilled
    path = tmp_path / "t.jsonl"
    path.write_bytes(jsonl([{"a": 1}, {"a": 2}, {"a": 3}]))
    assert "Loaded 1 tasks" in run("load", project.short_name, path).output


@pytest.mark.parametrize("existing", [0, 2], ids=["into an empty project", "next to tasks"])
def test_of_repeated_rows_the_first_is_kept_and_tasks_follow_the_file(
    run, project, tmp_path, existing
):
    # On PostgreSQL an import into an empty project goes straight into the task table and drops
    # repeats afterwards; next to existing tasks it goes through the staging table.
    for i in range(existing):
        Task.objects.create(project=project, info={"old": i})
    rows = [
        {"info": {"a": 1}, "priority_0": 0.5},
        {"info": {"b": 2}},
        {"info": {"a": 1}, "priority_0": 0.9},
        {"info": {"c": 3}},
        {"info": {"b": 2}, "n_answers": 7},
    ]
    path = tmp_path / "t.jsonl"
    path.write_bytes(jsonl(rows))
    result = run("load", project.short_name, path)
    assert "Loaded 3 tasks" in result.output and "2 duplicates skipped" in result.output
    new = Task.objects.filter(project=project).exclude(info__has_key="old").order_by("id")
    assert [(t.info, t.priority_0, t.n_answers) for t in new] == [
        ({"a": 1}, 0.5, 30),
        ({"b": 2}, 0.0, 30),
        ({"c": 3}, 0.0, 30),
    ]


def test_thousands_of_rows_with_one_info_make_one_task(run, project, tmp_path):
    path = tmp_path / "same.jsonl"
    path.write_bytes(jsonl([{"n": 1}] * 12_000 + [{"n": 2}]))  # across several COPY chunks
    result = run("load", project.short_name, path)
    assert "Loaded 2 tasks" in result.output and "11999 duplicates skipped" in result.output
    assert infos(project) == [{"n": 1}, {"n": 2}]


def test_unknown_project_missing_file_and_bad_options_exit_non_zero(run, project, tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes(jsonl([{"a": 1}]))
    assert "no project 'nope'" in run("load", "nope", path).output
    assert "no such file" in run("load", project.short_name, tmp_path / "missing.jsonl").output
    assert "no file matches" in run("load", project.short_name, str(tmp_path / "*.csv")).output
    (tmp_path / "t.txt").write_text("x")
    assert "cannot tell the format" in run("load", project.short_name, tmp_path / "t.txt").output
    assert run("load", project.short_name, path, "--redundancy", "0").exit_code == 2
    assert run("load", project.short_name).exit_code == 2
    assert Task.objects.count() == 0


def test_help_describes_the_command(run):
    result = run("load", "--help")
    assert (
        result.exit_code == 0
        and "--batch" in result.output
        and "--allow-duplicates" in result.output
    )


def test_a_generated_large_file_streams_through_every_chunk(run, project, tmp_path):
    import bz2

    count = 30_000  # several staging chunks and many reader chunks; the 1M run is in bench/
    path = tmp_path / "big.json.bz2"
    with bz2.open(path, "wt") as fh:
        fh.write("[\n")
        fh.write(",\n".join(json.dumps({"n": i, "text": "x" * (i % 50)}) for i in range(count)))
        fh.write("\n]\n")
    result = run("load", project.short_name, path)
    assert result.exit_code == 0, result.output
    tasks = Task.objects.filter(project=project)
    assert tasks.count() == count
    assert tasks.order_by("id").first().info == {"n": 0, "text": ""}
    assert tasks.order_by("id").last().info == {"n": count - 1, "text": "x" * ((count - 1) % 50)}


@pytest.mark.parametrize("existing", [[], [{"old": 1}]], ids=["straight in", "staged"])
def test_json_lines_keep_big_integers_and_unicode_exact(run, project, tmp_path, existing):
    for info in existing:
        Task.objects.create(project=project, info=info)
    rows = [{"big": 123456789012345678901234567890, "t": "é\u2028\\u0000"}, {"f": 1.5e-05}]
    path = tmp_path / "exact.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl(rows) + b"\n  \n")  # BOM and blank lines
    result = run("load", project.short_name, path)
    assert result.exit_code == 0, result.output
    assert infos(project) == existing + rows


def test_on_a_terminal_load_and_export_show_a_bar_with_rate_and_eta(
    run, project, tmp_path, monkeypatch
):
    from crowdfold.cli import common

    path = tmp_path / "t.jsonl"
    path.write_bytes(jsonl([{"n": i} for i in range(3_000)]))
    quiet = run("load", project.short_name, path)
    assert quiet.exit_code == 0 and "B/s" not in quiet.stderr  # not a terminal: no bar
    Task.objects.filter(project=project).delete()
    monkeypatch.setattr(common, "on_terminal", lambda: True)
    loaded = run("load", project.short_name, path)
    assert loaded.exit_code == 0, loaded.output
    last = loaded.stderr.strip().split("\r")[-1]  # the bar redraws itself with \r
    assert re.search(r"loading: 100%.*\[00:0\d<00:00, [\d.]+[kM]?B/s, rows=3,000\]", last), last
    exported = run("export", project.short_name, "--format", "jsonl", "-o", tmp_path / "o")
    assert "exporting tasks: 100%" in exported.stderr and "rows/s]" in exported.stderr


class _SlowSource:
    """Rows that stay open until the other import has started too (or a second has passed)."""

    def __init__(self, rows, mine, other):
        self.name, self.rows_, self.mine, self.other = "slow.jsonl", rows, mine, other

    def progress(self):
        return 0, None

    def rows(self):
        self.mine.set()
        yield from enumerate(self.rows_, 1)
        self.other.wait(1.0)


def test_two_loads_of_one_file_at_once_store_it_once(transactional_db, project):
    import threading

    from django.db import connection

    from crowdfold.data.batches import default_batch
    from crowdfold.data.services import import_tasks

    default_batch(project)  # created by the first load otherwise, which would serialise them too
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; its in-memory test database cannot show it")
    rows = [{"n": i} for i in range(3)]
    started = [threading.Event(), threading.Event()]
    reports = []

    def load(i: int) -> None:
        try:
            source = _SlowSource(rows, started[i], started[1 - i])
            reports.append(import_tasks(project, [source]))
        finally:
            connection.close()

    threads = [threading.Thread(target=load, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # The second load waits for the first to commit, then finds every row already there.
    assert sorted(r.created for r in reports) == [0, 3]
    assert Task.objects.filter(project=project).count() == 3
