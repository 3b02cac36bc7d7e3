"""``crowdfold batches list|stats|delete``."""

from __future__ import annotations

from crowdfold.data.models import Batch
from crowdfold.tasks.answers import complete_task
from crowdfold.tasks.models import Task, TaskRun
from tests.data.conftest import jsonl


def _load(run, project, tmp_path, name, rows, *args):
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(jsonl(rows))
    assert run("load", project.short_name, path, *args).exit_code == 0


def _answer(task, n):
    for i in range(n):
        TaskRun.objects.create(
            project=task.project, task=task, contributor_key=f"ip:{i}", info={"i": i}
        )
    Task.objects.filter(pk=task.pk).update(n_task_runs=n)
    if n >= task.n_answers:
        complete_task(task)


def test_list_shows_batches_with_counts_and_meta(run, project, tmp_path):
    project.info = {"batch_meta": {"coins": 1}}
    project.save()
    _load(run, project, tmp_path, "a", [{"a": 1}, {"a": 2}])
    _load(run, project, tmp_path, "b", [{"b": 1}], "--batch", "extra", "--meta", "coins", "9")
    out = run("batches", "list", project.short_name).output.splitlines()
    assert out == ['default (default)\t2 tasks\t{"coins": 1}', 'extra\t1 tasks\t{"coins": 9}']


def test_stats_give_completion_answers_and_histogram(run, project, tmp_path):
    _load(
        run,
        project,
        tmp_path,
        "a",
        [{"a": i} for i in range(4)],
        "--redundancy",
        "2",
        "--batch",
        "w1",
    )
    tasks = list(Task.objects.filter(project=project).order_by("id"))
    _answer(tasks[0], 2)
    _answer(tasks[1], 1)
    result = run("batches", "stats", project.short_name, "-n", "w1")
    assert result.exit_code == 0
    line = result.output.splitlines()[1].split()
    assert line[:6] == ["w1", "4", "1", "25.0%", "3", "0:"]
    assert result.output.rstrip().endswith("0: 2, 1: 1, 2: 1")


def test_delete_refuses_answered_batches_unless_purged(run, project, tmp_path):
    _load(run, project, tmp_path, "a", [{"a": 1}, {"a": 2}], "--batch", "w1")
    _load(run, project, tmp_path, "b", [{"b": 1}])
    _answer(Task.objects.filter(batch__name="w1").first(), 1)
    refused = run("batches", "delete", project.short_name, "w1")
    assert refused.exit_code == 1 and "has answers" in refused.output
    assert run("batches", "delete", project.short_name, "w1", "--purge").output.startswith(
        "Deleted batch 'w1' and its 2 tasks"
    )
    assert not Batch.objects.filter(name="w1").exists()
    assert list(Task.objects.filter(project=project).values_list("info", flat=True)) == [{"b": 1}]
    assert TaskRun.objects.count() == 0


def test_unknown_project_or_batch_exit_non_zero(run, project):
    assert run("batches", "list", "nope").exit_code == 1
    missing = run("batches", "delete", project.short_name, "nope")
    assert missing.exit_code == 1 and "has no batch 'nope'" in missing.output
    assert run("batches", "stats", project.short_name, "-n", "nope").exit_code == 1
    assert run("batches", "delete", project.short_name).exit_code == 2
    assert "--purge" in run("batches", "delete", "--help").output
