"""Bugs are mailed to ADMINS; outages (the database or Redis away) are a retryable 503.

An HTTP 500, on a page or in the API, mails ``ADMINS`` the traceback (Django's AdminEmailHandler
through the configured mail backend). A request that meets a database that does not answer gets
``503`` + ``Retry-After`` -- PYBOSSA's error JSON under ``/api/`` -- whether the failure comes from
a view or from middleware, and no mail per request. The database "going away" is simulated at the
network edge with Django's ``connection.execute_wrapper``: every query fails as PostgreSQL's client
does when the server is gone.
"""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client

from crowdfold.api import special


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Ops", "ops@example.org")]
    settings.DEBUG = False
    mail.outbox.clear()
    return settings


def dead_database(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.urls("tests.ops.error_urls")
def test_a_page_that_raises_mails_admins_the_traceback(admins, db):
    res = Client(raise_request_exception=False).get("/broken-page")
    assert res.status_code == 500
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ops@example.org"]
    assert "Internal Server Error: /broken-page" in sent.subject
    assert "RuntimeError at /broken-page\na bug in a page" in sent.body
    assert "Traceback" in sent.body and 'raise RuntimeError("a bug in a page")' in sent.body


def test_an_api_call_that_raises_mails_admins_and_answers_in_pybossa_shape(
    admins, api, project, monkeypatch
):
    def broken():
        raise RuntimeError("a bug in the API")

    monkeypatch.setattr(special, "global_stats", broken)
    res = api().get("/api/globalstats")
    assert res.status_code == 500
    assert res.json()["exception_cls"] == "InternalServerError"
    assert len(mail.outbox) == 1
    assert "/api/globalstats" in mail.outbox[0].subject
    body = mail.outbox[0].body
    assert "RuntimeError at /api/globalstats\na bug in the API" in body
    assert 'raise RuntimeError("a bug in the API")' in body


def test_no_mail_without_admins(settings, api, project, monkeypatch):
    settings.ADMINS = []
    mail.outbox.clear()
    monkeypatch.setattr(special, "global_stats", lambda: 1 / 0)
    assert api().get("/api/globalstats").status_code == 500
    assert mail.outbox == []


def assert_retryable_503(res, action: str = "GET") -> dict:
    assert res.status_code == 503, res.content[:300]
    assert res["Retry-After"] == "2"
    body = res.json()
    assert body["status"] == "failed" and body["status_code"] == 503
    assert body["exception_cls"] == "ServiceUnavailable" and body["action"] == action
    return body


def test_an_api_view_meeting_a_dead_database_is_a_retryable_503(admins, api, project, caplog):
    client = api()  # anonymous: the first query is in the view
    with caplog.at_level(logging.WARNING), connection.execute_wrapper(dead_database):
        res = client.get(f"/api/project/{project.pk}/newtask")
    assert_retryable_503(res)
    assert mail.outbox == []
    assert "Service unavailable on GET" in caplog.text and "Traceback" not in caplog.text


def test_middleware_meeting_a_dead_database_is_a_retryable_503_too(admins, api, project, volunteer):
    client = api(volunteer)  # the API key is looked up by the rate-limit middleware
    with connection.execute_wrapper(dead_database):
        res = client.post("/api/taskrun", {"project_id": project.pk, "task_id": 1, "info": 1})
    assert assert_retryable_503(res, "POST")["target"] == "taskrun"
    assert mail.outbox == []


def test_a_page_meeting_a_dead_database_is_a_retryable_503(admins, project):
    browser = Client(raise_request_exception=False)
    with connection.execute_wrapper(dead_database):
        res = browser.get(f"/project/{project.short_name}/")
    assert res.status_code == 503 and res["Retry-After"] == "2"
    assert b"briefly unavailable" in res.content
    assert mail.outbox == []


def test_healthz_reports_a_dead_database_without_mailing_admins(admins, db):
    with connection.execute_wrapper(dead_database):
        res = Client().get("/healthz")
    assert res.status_code == 503 and res.json()["checks"]["database"]["status"] == "error"
    assert mail.outbox == []


def test_the_service_answers_normally_once_the_database_is_back(admins, api, project):
    with connection.execute_wrapper(dead_database):
        assert api().get("/api/project").status_code == 503
    assert api().get("/api/project").status_code == 200


@pytest.mark.django_db(transaction=True)  # the job is queued as the request's own commit ends
def test_work_that_must_be_queued_while_the_job_queue_is_away_is_a_retryable_503(
    admins,
    api,
    project,
    owner,
    receiver,
    allow_private_urls,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", RedisStorage(url="redis://127.0.0.1:1/0"))  # nobody there
    res = api(owner).post(f"/api/project/{project.pk}/import", {"type": "csv", "url": receiver.url})
    assert_retryable_503(res, "POST")
    assert mail.outbox == []
    from crowdfold.data.models import ImportJob

    assert ImportJob.objects.get().state == "queued"  # recorded, never run: the client retries
