"""The CSV export byte for byte against PYBOSSA's semantics spelled out plainly (``_expected``:
each row's info flattened by ``lib.flatten``, the columns' union in order of first appearance,
every cell through ``csv.writer``), on data chosen to trip the fast paths: base cells the database
quotes and formats, info shapes that repeat, change, nest, collide, arrive late or are not dicts."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from crowdfold.api.wire import result_dict, task_dict, taskrun_dict
from crowdfold.lib.flatten import flatten
from crowdfold.tasks.models import Result, Task, TaskRun

KIND = {
    "tasks": (Task, task_dict, "task", "TASK_CSV_EXPORT_INFO_KEY"),
    "taskruns": (TaskRun, taskrun_dict, "task_run", "TASK_RUN_CSV_EXPORT_INFO_KEY"),
    "results": (Result, result_dict, "result", "RESULT_CSV_EXPORT_INFO_KEY"),
}
LISTS = {"fav_user_ids", "task_run_ids"}
BIG = 123456789012345678901234567890  # past 64 bits: orjson alone would read it as a float

INFOS = [
    {"answer": "yes", "count": 3, "tags": ["a", "b"]},
    {"answer": "no", "count": 4, "tags": ["c", "d"]},  # the same shape again
    {"answer": "a,b", "count": 0, "tags": ["x"]},  # a shorter list
    {"answer": 'say "hi"', "count": -1.5, "tags": []},  # an empty list is a value
    {"answer": "line\nbreak", "count": BIG, "tags": ["e", "f", "g"]},
    {"answer": "cr\rhere", "count": 1e100, "tags": [None, True, False]},
    {"answer": "", "count": 0.1, "tags": [{}, [], 7]},
    {"answer": None, "nested": {"deep": {"er": [1, {"x": 2}]}}, "e": {}},
    {"ü": "é ✓ 😀", " space": " lead", "tags_0": "collides", "tags": ["with"]},
    {"tags": ["first"], "tags_0": "then"},
    {"n": 18446744073709551615, "m": -9223372036854775809, "f": 1.0, "z": -0.0},
    "a plain string",
    [1, {"a": 2}, []],
    None,
    {},
    {"geojson": {"type": "Point"}, "kept": 1},
    {"tags": [{"label": "cat"}, {"label": "dog", "geo": {"x": 1}}, {}, {"label": "owl"}]},
    {"tags": [{"task_run_id": "shadowed", "task_id": 1, "result_id": 2, "big": BIG}]},
    {"late": "only in the last row", "answer": "yes"},
]


def _expected(project, what: str, ignore=(), info_only: bool = False, root: str = "") -> bytes:
    model, wire, table, _ = KIND[what]
    rows = model.objects.filter(project=project)
    if model is Result:
        rows = rows.filter(last_version=True)
    wires = [wire(r) for r in rows.order_by("id")]
    if info_only:
        records = []
        for w in wires:
            info = w["info"]
            base = info[root] if root and isinstance(info, dict) and info.get(root) else info
            items = [base] if isinstance(base, dict) else base if isinstance(base, list) else []
            records += [
                {**flatten(i, ignore=ignore), f"{table}_id": w["id"]}
                for i in items
                if isinstance(i, dict) and i
            ]
        header = list(dict.fromkeys(k for r in records for k in r))
        body = [[r.get(k) for k in header] for r in records]
    else:
        columns = [k for k in wires[0] if k != "info"]
        flats = [flatten(w["info"], prefix="info", ignore=ignore) for w in wires]
        header = columns + [
            k for k in dict.fromkeys(k for f in flats for k in f) if k not in columns
        ]
        body = [
            [(json.dumps(w[c]) if w[c] else None) if c in LISTS else w[c] for c in columns]
            + [f.get(k) for k in header[len(columns) :]]
            for w, f in zip(wires, flats, strict=True)
        ]
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return out.getvalue().encode()


def _export(run, project, tmp_path, what: str, *options: str) -> bytes:
    out = tmp_path / "out.csv"
    result = run(
        "export", project.short_name, "-o", out, "--what", what, "--format", "csv", *options
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.fixture
def tricky(project, volunteer):
    """Tasks, runs and results carrying INFOS, with base cells that need quoting or formatting."""
    tasks = []
    for n, info in enumerate(INFOS):
        tasks.append(
            Task.objects.create(
                project=project,
                info=info,
                created=datetime(2026, 1, 2, 3, 4, 5, n * 7 % 3, tzinfo=UTC),
                priority_0=[0.0, 0.1, 1e16, 1.5][n % 4],
                fav_user_ids=[[volunteer.pk, 7], [], None][n % 3],
            )
        )
        TaskRun.objects.create(
            project=project,
            task=tasks[n],
            user=volunteer if n % 2 else None,
            user_ip=["10.0.0.1", 'a,"b"', None, "", "é\nx"][n % 5],
            external_uid=[None, "uid\r1", "plain"][n % 3],
            media_url=[None, "https://m.example.org/ü?a=1,2"][n % 2],
            timeout=[None, 30][n % 2],
            calibration=[None, 0, 1][n % 3],
            contributor_key=f"k{n}",
            info=info,
            created=datetime(2026, 5, 6, 7, 8, 9, (n % 2) * 250, tzinfo=UTC),
        )
        Result.objects.create(
            project=project,
            task=tasks[-1],
            task_run_ids=[[1, 2, 3], []][n % 2],
            last_version=True,
            info=info,
        )
    return tasks


@pytest.mark.parametrize("what", ["tasks", "taskruns", "results"])
def test_csv_export_is_byte_for_byte_pybossa_flattening(run, project, tricky, tmp_path, what):
    assert _export(run, project, tmp_path, what) == _expected(project, what)


@pytest.mark.parametrize("root", ["", "tags"])
@pytest.mark.parametrize("what", ["tasks", "taskruns", "results"])
def test_info_only_csv_is_byte_for_byte_pybossa_flattening(
    run, project, tricky, tmp_path, what, root, settings
):
    setattr(settings, KIND[what][3], root)
    exported = _export(run, project, tmp_path, what, "--info-only")
    assert exported == _expected(project, what, info_only=True, root=root)


def test_ignored_keys_are_left_out_byte_for_byte(run, project, tricky, tmp_path, settings):
    settings.IGNORE_FLAT_KEYS = ["geojson", "tags"]
    exported = _export(run, project, tmp_path, "taskruns")
    assert b"info_tags_1" not in exported and b"geojson" not in exported
    assert exported == _expected(project, "taskruns", ignore=("geojson", "tags"))


def test_a_single_info_column_keeps_empty_cells_bare(run, project, tmp_path):
    """With one info column, an empty cell ends the row in a bare comma (csv.writer alone would
    write a row of one empty cell as "")."""
    task = Task.objects.create(project=project, info={})
    for n, answer in enumerate(["x", "", None, 'q"', 0]):
        TaskRun.objects.create(
            project=project, task=task, contributor_key=f"k{n}", info={"answer": answer}
        )
    exported = _export(run, project, tmp_path, "taskruns")
    assert exported == _expected(project, "taskruns")
    assert exported.splitlines()[3].endswith(b",")


def test_no_info_column_at_all(run, project, tmp_path, settings):
    settings.IGNORE_FLAT_KEYS = ["geo"]
    task = Task.objects.create(project=project, info={})
    TaskRun.objects.create(project=project, task=task, contributor_key="k", info={"geo": [1, 2]})
    exported = _export(run, project, tmp_path, "taskruns")
    assert exported == _expected(project, "taskruns", ignore=("geo",))
    assert exported.splitlines()[0].endswith(b",calibration")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_progress_is_reported_every_chunk_and_at_the_end(project, fmt):
    from crowdfold.data.exports import CHUNK, ExportRequest, export_stream

    task = Task.objects.create(project=project, info={})
    TaskRun.objects.bulk_create(
        TaskRun(project=project, task=task, contributor_key=f"k{n}", info={"n": n})
        for n in range(CHUNK * 2 + 5)
    )
    seen: list[int] = []
    body = b"".join(export_stream(project, ExportRequest("taskruns", fmt), progress=seen.append))
    assert body.count(b"\n") == CHUNK * 2 + 5 + (fmt == "csv")
    assert sorted(set(seen)) == [CHUNK, CHUNK * 2, CHUNK * 2 + 5]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_stopped_early_leaves_the_connection_usable(project, fmt):
    """A consumer that stops after the first chunk (a browser gone away) closes the server-side
    cursor with the stream; the connection serves the next query and export."""
    from crowdfold.data.exports import CHUNK, ExportRequest, export_stream

    task = Task.objects.create(project=project, info={})
    TaskRun.objects.bulk_create(
        TaskRun(project=project, task=task, contributor_key=f"k{n}", info={"n": n})
        for n in range(CHUNK * 3)
    )
    stream = export_stream(project, ExportRequest("taskruns", fmt))
    assert next(stream)
    stream.close()
    assert TaskRun.objects.filter(project=project).count() == CHUNK * 3
    again = b"".join(export_stream(project, ExportRequest("taskruns", "jsonl")))
    assert again.count(b"\n") == CHUNK * 3


@pytest.mark.parametrize("what", ["tasks", "taskruns"])
def test_info_only_csv_without_any_record(run, project, tmp_path, what):
    task = Task.objects.create(project=project, info="plain")
    TaskRun.objects.create(project=project, task=task, contributor_key="k", info=[1, 2])
    exported = _export(run, project, tmp_path, what, "--info-only")
    assert exported == _expected(project, what, info_only=True) == b"\r\n"
