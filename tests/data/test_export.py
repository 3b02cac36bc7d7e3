"""Exports read back and compared with what is stored: every kind, format, filter and the ZIP."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from crowdfold.api.wire import result_dict, task_dict, taskrun_dict
from crowdfold.data.batches import batch_for_import
from crowdfold.lib.flatten import flatten
from crowdfold.tasks.answers import complete_task
from crowdfold.tasks.models import Result, Task, TaskRun


@pytest.fixture
def answered(project, volunteer, outsider):
    """Three tasks with nested info, two answers on the first (completed), one on the second."""
    batch = batch_for_import(project, "b1")
    tasks = [
        Task.objects.create(
            project=project,
            n_answers=2,
            batch=batch if i == 2 else None,
            info={"img": f"{i}.jpg", "meta": {"w": i, "tags": ["x", "y"]}, "ü": "é"},
            fav_user_ids=[volunteer.pk] if i == 0 else None,
        )
        for i in range(3)
    ]
    for n, (task, person) in enumerate(
        [(tasks[0], volunteer), (tasks[0], outsider), (tasks[1], volunteer)]
    ):
        TaskRun.objects.create(
            project=project,
            task=task,
            user=person,
            contributor_key=f"u:{person.pk}",
            info={"answer": ["yes", "no"][n % 2], "boxes": [{"x": n}]},
        )
    complete_task(tasks[0])
    Result.objects.filter(task=tasks[0]).update(info={"consensus": "yes"})
    return tasks


def _get(run, project, tmp_path, *args):
    out = tmp_path / "out"
    result = run("export", project.short_name, "-o", out, *args)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _wire(what, project):
    if what == "tasks":
        return [task_dict(t) for t in Task.objects.filter(project=project).order_by("id")]
    if what == "taskruns":
        return [taskrun_dict(r) for r in TaskRun.objects.filter(project=project).order_by("id")]
    return [
        result_dict(r)
        for r in Result.objects.filter(project=project, last_version=True).order_by("id")
    ]


@pytest.mark.parametrize("what", ["tasks", "taskruns", "results"])
def test_json_and_jsonl_exports_equal_the_api_wire_format(run, project, answered, tmp_path, what):
    expected = _wire(what, project)
    assert len(expected) > 0
    assert json.loads(_get(run, project, tmp_path, "--what", what, "--format", "json")) == expected
    lines = _get(run, project, tmp_path, "--what", what, "--format", "jsonl").decode().splitlines()
    assert [json.loads(line) for line in lines] == expected


@pytest.mark.parametrize("what", ["tasks", "taskruns", "results"])
def test_csv_export_flattens_info_as_pybossa(run, project, answered, tmp_path, what):
    rows = list(
        csv.DictReader(
            io.StringIO(_get(run, project, tmp_path, "--what", what, "--format", "csv").decode())
        )
    )
    expected = _wire(what, project)
    assert [int(r["id"]) for r in rows] == [e["id"] for e in expected]
    for row, wire in zip(rows, expected, strict=True):
        for key, value in flatten(wire["info"], prefix="info").items():
            assert row[key] == (value if isinstance(value, str) else str(value))
        for key in ("fav_user_ids", "task_run_ids"):
            if key in wire:
                assert row[key] == (json.dumps(wire[key]) if wire[key] else "")
    assert "info" not in rows[0]


def test_csv_columns_are_the_union_of_every_rows_keys(run, project, tmp_path):
    Task.objects.create(project=project, info={"a": 1})
    Task.objects.create(project=project, info={"b": {"c": [True, None]}})
    Task.objects.create(project=project, info="plain")
    rows = list(
        csv.DictReader(io.StringIO(_get(run, project, tmp_path, "--format", "csv").decode()))
    )
    assert [(r["info_a"], r["info_b_c_0"], r["info_b_c_1"], r["info"]) for r in rows] == [
        ("1", "", "", ""),
        ("", "True", "", ""),
        ("", "", "", "plain"),
    ]


def test_info_only_csv_uses_the_configured_root_key_and_expands_lists(
    run, project, tmp_path, settings
):
    settings.TASK_RUN_CSV_EXPORT_INFO_KEY = "answers"
    task = Task.objects.create(project=project, info={})
    run1 = TaskRun.objects.create(
        project=project,
        task=task,
        contributor_key="ip:1",
        info={"answers": [{"label": "cat"}, {"label": "dog", "geo": {"x": 1}}]},
    )
    run2 = TaskRun.objects.create(
        project=project, task=task, contributor_key="ip:2", info={"label": "owl"}
    )
    data = _get(
        run, project, tmp_path, "--what", "taskruns", "--format", "csv", "--info-only"
    ).decode()
    rows = list(csv.DictReader(io.StringIO(data)))
    assert [(r["label"], r["task_run_id"], r.get("geo_x", "")) for r in rows] == [
        ("cat", str(run1.pk), ""),
        ("dog", str(run1.pk), "1"),
        ("owl", str(run2.pk), ""),
    ]


def test_ignore_flat_keys_leave_those_keys_out_of_csv(run, project, tmp_path, settings):
    settings.IGNORE_FLAT_KEYS = ["geojson"]
    Task.objects.create(
        project=project, info={"name": "a", "geojson": {"type": "Point", "coordinates": [1, 2]}}
    )
    data = _get(run, project, tmp_path, "--format", "csv").decode()
    header = data.splitlines()[0].split(",")
    assert "info_name" in header and not any("geojson" in h for h in header)
    info_only = _get(run, project, tmp_path, "--format", "csv", "--info-only").decode()
    assert info_only.splitlines()[0].split(",") == ["name", "task_id"]


def test_batch_and_completed_filters(run, project, answered, tmp_path):
    in_batch = json.loads(_get(run, project, tmp_path, "--batch", "b1"))
    assert [t["id"] for t in in_batch] == [answered[2].pk]
    done = json.loads(_get(run, project, tmp_path, "--completed-only"))
    assert [t["id"] for t in done] == [answered[0].pk]
    done_runs = json.loads(_get(run, project, tmp_path, "--what", "taskruns", "--completed-only"))
    assert {r["task_id"] for r in done_runs} == {answered[0].pk} and len(done_runs) == 2
    unknown = run("export", project.short_name, "--batch", "nope")
    assert unknown.exit_code == 1 and "has no batch 'nope'" in unknown.output


def test_zipped_csv_holds_the_full_and_the_info_only_file(run, project, answered, tmp_path):
    data = _get(run, project, tmp_path, "--what", "results", "--format", "csv", "--zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["birds_result.csv", "birds_result_info_only.csv"]
        info_only = archive.read("birds_result_info_only.csv").decode().splitlines()
    assert info_only == ["consensus,result_id", f"yes,{Result.objects.get(project=project).pk}"]


def test_exports_are_never_stale(run, project, tmp_path):
    Task.objects.create(project=project, info={"n": 1})
    assert len(json.loads(_get(run, project, tmp_path))) == 1
    Task.objects.create(project=project, info={"n": 2})
    assert len(json.loads(_get(run, project, tmp_path))) == 2


def test_export_writes_to_standard_output_by_default(run, project):
    Task.objects.create(project=project, info={"n": 1})
    result = run("export", project.short_name, "--format", "jsonl")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["info"] == {"n": 1}


def test_timestamps_read_as_the_api_writes_them_with_and_without_microseconds(
    run, project, tmp_path
):
    from datetime import UTC, datetime

    Task.objects.create(project=project, info={}, created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    Task.objects.create(
        project=project, info={}, created=datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC)
    )
    expected = _wire("tasks", project)
    assert [t["created"] for t in expected] == ["2026-01-02T03:04:05", "2026-01-02T03:04:05.000060"]
    assert json.loads(_get(run, project, tmp_path)) == expected
    rows = list(
        csv.DictReader(io.StringIO(_get(run, project, tmp_path, "--format", "csv").decode()))
    )
    assert [r["created"] for r in rows] == [t["created"] for t in expected]
