"""Import and export pages (on crowdfold.data), thumbnail upload, blog notifications, the
periodic statistics job."""

from __future__ import annotations

import csv
import io
import json

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from crowdfold.ops.periodic import run_hooks
from crowdfold.stats.models import ProjectStats
from crowdfold.tasks.models import Task
from tests.conftest import make_tasks
from tests.owner.factories import add_runs, at


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_import_page_creates_tasks_from_a_csv_file(project, owner):
    upload = SimpleUploadedFile("cities.csv", b"city,country\nLima,Peru\nKyiv,Ukraine\n")
    res = signed_in(owner).post(
        "/project/birds/tasks/import", {"file": upload, "n_answers": "2"}, follow=True
    )
    assert "Imported 2 tasks." in res.content.decode()
    tasks = list(Task.objects.filter(project=project).order_by("id").values("info", "n_answers"))
    assert tasks == [
        {"info": {"city": "Lima", "country": "Peru"}, "n_answers": 2},
        {"info": {"city": "Kyiv", "country": "Ukraine"}, "n_answers": 2},
    ]


def test_import_page_reports_a_malformed_file_and_imports_nothing(project, owner):
    upload = SimpleUploadedFile("tasks.json", b'[{"a": 1}, oops')
    res = signed_in(owner).post("/project/birds/tasks/import", {"file": upload}, follow=True)
    assert res.status_code == 200
    assert "tasks.json" in res.content.decode()
    assert not Task.objects.filter(project=project).exists()


def test_export_page_streams_results_as_csv_and_respects_zip_download(project, owner, volunteer):
    tasks = make_tasks(project, 2, n_answers=1)
    add_runs(project, tasks, [volunteer], [timezone.now()] * 2)
    res = signed_in(owner).get("/project/birds/tasks/export?type=task_run&format=csv")
    assert res.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(res.streaming_content).decode())))
    assert len(rows) == 2
    project.zip_download = False
    project.save()
    assert signed_in(volunteer).get("/project/birds/tasks/export?type=task").status_code == 403
    res = signed_in(owner).get("/project/birds/tasks/export?type=task&format=json")
    assert len(json.loads(b"".join(res.streaming_content))) == 2


def test_thumbnail_upload_goes_through_the_upload_service(project, owner):
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(data, "PNG")
    client = signed_in(owner)
    res = client.post(
        "/project/birds/thumbnail", {"thumbnail": SimpleUploadedFile("t.png", data.getvalue())}
    )
    assert res.status_code == 302
    project.refresh_from_db()
    assert project.info["thumbnail"].startswith("thumbnails/")
    bad = client.post(
        "/project/birds/thumbnail", {"thumbnail": SimpleUploadedFile("t.png", b"not an image")}
    )
    assert bad.status_code == 200


def test_blog_post_mails_the_projects_volunteers(
    project, owner, volunteer, settings, django_capture_on_commit_callbacks
):
    settings.DISABLE_EMAIL_NOTIFICATIONS = False
    owner.pro = True  # blog notifications are a pro feature (PRO_FEATURES)
    owner.save(update_fields=["pro"])
    (task,) = make_tasks(project, 1)
    add_runs(project, [task], [volunteer], [timezone.now()])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        res = signed_in(owner).post(
            "/project/birds/new-blogpost", {"title": "Halfway!", "body": "Thanks"}
        )
    assert res.status_code == 302
    assert [m.to for m in mail.outbox] == [[volunteer.email]]
    assert "Halfway!" in mail.outbox[0].subject + mail.outbox[0].body


def test_periodic_stats_job_refreshes_statistics(project, volunteer):
    tasks = make_tasks(project, 2)
    add_runs(project, tasks, [volunteer], [at(1, 10, timezone.now())] * 2)
    run_hooks("stats")
    assert ProjectStats.objects.get(project=project).n_task_runs == 2
