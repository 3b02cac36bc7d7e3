"""Webhooks: PYBOSSA's task_completed POST, retried with backoff, logged, re-sendable by owners."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crowdfold.ops.models import WebhookAttempt, WebhookDelivery
from crowdfold.tasks.models import Result
from tests.conftest import make_tasks


@pytest.fixture
def hooked(project, owner, receiver, allow_private_urls, jobs):
    owner.pro = True  # webhooks are a pro feature by default (PRO_FEATURES)
    owner.save()
    project.webhook = receiver.url
    project.save()
    return project


def test_completing_a_task_posts_pybossas_payload_to_the_webhook(
    api, answer_all, hooked, receiver, volunteer, outsider
):
    (task,) = make_tasks(hooked, 1, n_answers=2)
    answer_all(hooked, [volunteer])
    assert receiver.requests == []  # not complete yet
    answer_all(hooked, [outsider])

    result = Result.objects.get(task=task, last_version=True)
    (body,) = receiver.json_bodies()
    fired_at = body.pop("fired_at")
    assert datetime.strptime(fired_at, "%Y-%m-%d %H:%M:%S")
    assert body == {
        "event": "task_completed",
        "project_short_name": hooked.short_name,
        "project_id": hooked.pk,
        "task_id": task.pk,
        "result_id": result.pk,
    }
    headers = receiver.requests[0]["headers"]
    assert headers["Content-Type"] == "application/json"
    assert headers["Accept"] == "text/plain"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status_code, delivery.attempts) == (
        "success",
        200,
        1,
    )


def test_a_failing_receiver_is_retried_with_backoff_and_every_attempt_is_logged(
    api, answer_all, hooked, receiver, volunteer, jobs, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.responses = [(500, "boom"), (503, "busy")]
    make_tasks(hooked, 1, n_answers=1)
    answer_all(hooked, [volunteer])

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response) == ("pending", 1, "boom")
    assert jobs.run_due() == 1  # the second attempt, scheduled after the backoff
    assert jobs.run_due() == 1  # the third
    assert jobs.run_due() == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status_code) == (
        "success",
        3,
        200,
    )
    log = list(
        WebhookAttempt.objects.filter(delivery=delivery).values_list("status_code", "response")
    )
    assert log == [(500, "boom"), (503, "busy"), (200, "OK")]


def test_a_delivery_that_never_succeeds_ends_failed_and_admins_are_mailed(
    api, answer_all, hooked, receiver, volunteer, jobs, settings, mailoutbox
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.ADMINS = [("Ops", "ops@example.org")]
    receiver.responses = [(500, "no"), (500, "still no")]
    make_tasks(hooked, 1, n_answers=1)
    answer_all(hooked, [volunteer])
    jobs.run_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response) == ("failed", 2, "still no")
    assert [m.to for m in mailoutbox] == [["ops@example.org"]]
    assert hooked.short_name in mailoutbox[0].subject


def test_a_webhook_to_a_private_address_is_refused_without_the_admin_setting(
    api, answer_all, hooked, receiver, volunteer, jobs, settings
):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    make_tasks(hooked, 1, n_answers=1)
    answer_all(hooked, [volunteer])
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.response_status_code is None
    assert delivery.response.startswith("Refused")
    assert receiver.requests == []


def test_a_receiver_that_is_down_is_logged_as_a_connection_error(
    api, answer_all, hooked, receiver, volunteer, jobs, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.close()
    make_tasks(hooked, 1, n_answers=1)
    answer_all(hooked, [volunteer])
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status_code, delivery.response) == (
        "failed",
        None,
        "Connection Error",
    )


def test_projects_without_a_webhook_queue_nothing(api, answer_all, project, volunteer, jobs):
    make_tasks(project, 2, n_answers=1)
    answer_all(project, [volunteer])
    assert WebhookDelivery.objects.count() == 0


def test_owners_list_deliveries_and_resend_one_all_or_the_failed_ones(
    api, answer_all, hooked, receiver, volunteer, owner, jobs, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.responses = [(200, "ok"), (500, "bad")]
    make_tasks(hooked, 2, n_answers=1)
    answer_all(hooked, [volunteer])
    client = api(owner)
    listed = client.get(f"/api/project/{hooked.pk}/webhooks").json()
    assert sorted(d["status"] for d in listed) == ["failed", "success"]
    failed = next(d for d in listed if d["status"] == "failed")

    assert client.post(f"/api/project/{hooked.pk}/webhooks?failed=1").json() == {"queued": 1}
    assert receiver.requests[-1]["path"] == "/hook?rerun=True"
    assert client.get(f"/api/project/{hooked.pk}/webhooks", {"status": "failed"}).json() == []

    assert client.post(f"/api/project/{hooked.pk}/webhooks/{failed['id']}").json() == {"queued": 1}
    assert client.post(f"/api/project/{hooked.pk}/webhooks?all=1").json() == {"queued": 2}
    assert len(receiver.requests) == 2 + 1 + 1 + 2
    shown = client.get(f"/api/project/{hooked.pk}/webhooks/{failed['id']}").json()
    assert [a["rerun"] for a in shown["attempt_log"]] == [False, True, True, True]
    assert shown["attempt_log"][0]["response"] == "bad"


def test_other_people_cannot_see_or_resend_a_projects_webhooks(api, answer_all, hooked, outsider):
    assert api(outsider).get(f"/api/project/{hooked.pk}/webhooks").status_code == 403
    assert api(outsider).post(f"/api/project/{hooked.pk}/webhooks?all=1").status_code == 403
    anonymous = api().get(f"/api/project/{hooked.pk}/webhooks")
    assert anonymous.status_code == 401
    assert anonymous.json()["exception_cls"] == "Unauthorized"


def test_resend_without_saying_which_is_a_bad_request(api, answer_all, hooked, owner):
    res = api(owner).post(f"/api/project/{hooked.pk}/webhooks")
    assert res.status_code == 400
    assert res.json()["exception_cls"] == "BadRequest"


def test_an_answer_is_acknowledged_while_the_job_queue_is_away_and_its_webhook_goes_out_later(
    api, hooked, receiver, volunteer, monkeypatch, django_capture_on_commit_callbacks
):
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    from crowdfold.ops.webhooks import requeue_stranded_deliveries

    (task,) = make_tasks(hooked, 1, n_answers=1)
    client = api(volunteer)
    assert client.get(f"/api/project/{hooked.pk}/newtask").json()["id"] == task.pk
    with monkeypatch.context() as queue_away:  # a Redis queue nobody listens for
        queue_away.setattr(HUEY, "_immediate", False)
        queue_away.setattr(HUEY, "storage", RedisStorage(url="redis://127.0.0.1:1/0"))
        with django_capture_on_commit_callbacks(execute=True):
            res = client.post(
                "/api/taskrun", {"project_id": hooked.pk, "task_id": task.pk, "info": "yes"}
            )
    assert res.status_code == 200, res.content
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert receiver.requests == []

    assert requeue_stranded_deliveries() == 0  # too fresh: its own job may still be on the way
    assert requeue_stranded_deliveries(timezone.now() + timedelta(minutes=2)) == 1
    (body,) = receiver.json_bodies()
    result = Result.objects.get(task=task, last_version=True)
    assert (body["task_id"], body["result_id"], body["event"]) == (
        task.pk,
        result.pk,
        "task_completed",
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("success", 1)


def test_webhooks_are_a_pro_feature_unless_pro_features_say_otherwise(
    api, project, owner, admin, settings
):
    url = {"webhook": "https://hooks.example.org/crowd"}
    refused = api(owner).put(f"/api/project/{project.pk}", url)
    assert refused.status_code == 403
    assert refused.json()["exception_cls"] == "Forbidden"
    assert "pro feature" in refused.json()["exception_msg"]
    assert api(owner).get(f"/api/project/{project.pk}/webhooks").status_code == 403
    created = api(owner).post(
        "/api/project", {"name": "Hooked", "short_name": "hooked", "description": "d", **url}
    )
    assert created.status_code == 403
    assert api(owner).put(f"/api/project/{project.pk}", {"webhook": None}).status_code == 200

    assert api(admin).put(f"/api/project/{project.pk}", url).status_code == 200  # admins may
    owner.pro = True
    owner.save()
    assert api(owner).get(f"/api/project/{project.pk}/webhooks").status_code == 200

    settings.PRO_FEATURES = {**settings.PRO_FEATURES, "webhooks": False}  # open to everyone
    owner.pro = False
    owner.save()
    assert (
        api(owner)
        .put(f"/api/project/{project.pk}", {"webhook": "https://b.example.org"})
        .status_code
        == 200
    )
    assert api(owner).get(f"/api/project/{project.pk}/webhooks").status_code == 200


def test_an_event_lost_between_the_commit_and_the_queue_is_recorded_and_sent_later(
    api, hooked, receiver, volunteer, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from crowdfold.ops.webhooks import record_missing_events, webhook_event_job

    (task,) = make_tasks(hooked, 1, n_answers=1)
    client = api(volunteer)
    client.get(f"/api/project/{hooked.pk}/newtask")
    # The process dies once the answer is committed, before its on-commit hook queues the event.
    with django_capture_on_commit_callbacks(execute=False):
        res = client.post(
            "/api/taskrun", {"project_id": hooked.pk, "task_id": task.pk, "info": "yes"}
        )
    assert res.status_code == 200
    assert WebhookDelivery.objects.count() == 0 and receiver.requests == []

    assert record_missing_events() == 0  # too fresh: its own job may still be on the way
    later = timezone.now() + timedelta(minutes=6)  # CROWDFOLD_WEBHOOK_RECONCILE_AFTER: 5 min
    assert record_missing_events(later) == 1
    (body,) = receiver.json_bodies()
    result = Result.objects.get(task=task, last_version=True)
    assert (body["task_id"], body["result_id"]) == (task.pk, result.pk)
    assert WebhookDelivery.objects.get().status == "success"
    assert record_missing_events(later) == 0  # recorded once
    # The job queued before the crash, arriving late after all, sends nothing twice.
    webhook_event_job(hooked.pk, task.pk, result.pk, later.isoformat())
    assert WebhookDelivery.objects.count() == 1 and len(receiver.requests) == 1
