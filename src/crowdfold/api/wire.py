"""PYBOSSA's wire format (``dictize``) for each model: every column, timestamps as naive UTC ISO."""

from __future__ import annotations

from crowdfold.lib.timefmt import iso


def task_dict(task) -> dict:
    return {
        "id": task.pk,
        "created": iso(task.created),
        "project_id": task.project_id,
        "state": task.state,
        "quorum": task.quorum,
        "calibration": task.calibration,
        "priority_0": task.priority_0,
        "n_answers": task.n_answers,
        "fav_user_ids": task.fav_user_ids,
        "info": task.info,
    }


def taskrun_dict(run) -> dict:
    return {
        "id": run.pk,
        "created": iso(run.created),
        "finish_time": iso(run.finish_time),
        "project_id": run.project_id,
        "task_id": run.task_id,
        "user_id": run.user_id,
        "user_ip": run.user_ip,
        "external_uid": run.external_uid,
        "media_url": run.media_url,
        "timeout": run.timeout,
        "calibration": run.calibration,
        "info": run.info,
    }


def result_dict(result) -> dict:
    return {
        "id": result.pk,
        "created": iso(result.created),
        "project_id": result.project_id,
        "task_id": result.task_id,
        "task_run_ids": result.task_run_ids,
        "last_version": result.last_version,
        "info": result.info,
    }
