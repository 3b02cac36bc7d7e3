"""Batches as in Vulyk: the default batch grows, named batches are new, meta is cast and checked."""

from __future__ import annotations

from crowdfold.data.models import Batch
from crowdfold.tasks.models import Task
from tests.data.conftest import jsonl


def _file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(jsonl(rows))
    return path


def test_default_batch_is_extended_by_every_plain_load(run, project, tmp_path):
    run("load", project.short_name, _file(tmp_path, "a.jsonl", [{"a": 1}]))
    run("load", project.short_name, _file(tmp_path, "b.jsonl", [{"a": 2}]))
    (default,) = Batch.objects.filter(project=project)
    assert default.is_default and default.name == "default"
    assert Task.objects.filter(batch=default).count() == 2


def test_a_new_batch_copies_default_meta_with_typed_overrides(run, project, tmp_path):
    project.info = {
        "batch_meta": {"points_per_task": 1.0, "coins": 2, "important": False, "label": "x"}
    }
    project.save()
    path = _file(tmp_path, "a.jsonl", [{"a": 1}])
    result = run(
        "load",
        project.short_name,
        path,
        "--batch",
        "week1",
        "--meta",
        "coins",
        "5",
        "--meta",
        "important",
        "true",
        "--meta",
        "points_per_task",
        "2.5",
    )
    assert result.exit_code == 0, result.output
    batch = Batch.objects.get(project=project, name="week1")
    assert batch.meta == {"points_per_task": 2.5, "coins": 5, "important": True, "label": "x"}
    assert list(Task.objects.filter(project=project).values_list("batch__name", flat=True)) == [
        "week1"
    ]


def test_an_existing_named_batch_is_not_extended(run, project, tmp_path):
    assert (
        run(
            "load", project.short_name, _file(tmp_path, "a.jsonl", [{"a": 1}]), "--batch", "b1"
        ).exit_code
        == 0
    )
    result = run(
        "load", project.short_name, _file(tmp_path, "b.jsonl", [{"a": 2}]), "--batch", "b1"
    )
    assert result.exit_code == 1
    assert "batch 'b1' already exists" in result.output
    assert Task.objects.filter(project=project).count() == 1


def test_unknown_or_mistyped_meta_is_refused_before_anything_loads(run, project, tmp_path):
    project.info = {"batch_meta": {"coins": 2}}
    project.save()
    path = _file(tmp_path, "a.jsonl", [{"a": 1}])
    unknown = run("load", project.short_name, path, "--batch", "n", "--meta", "gems", "3")
    assert unknown.exit_code == 1 and "unknown meta key 'gems'" in unknown.output
    mistyped = run("load", project.short_name, path, "--batch", "n", "--meta", "coins", "lots")
    assert mistyped.exit_code == 1 and "not a valid int" in mistyped.output
    on_default = run("load", project.short_name, path, "--meta", "coins", "3")
    assert on_default.exit_code == 1 and "new batch only" in on_default.output
    assert Task.objects.count() == 0
    assert not Batch.objects.filter(name="n").exists()
