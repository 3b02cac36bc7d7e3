"""The owner's import page uses the same intake as the API: a URL source or a large upload runs as a
background job whose progress the page shows, and the owner gets an e-mail."""

from __future__ import annotations

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crowdfold.data.models import ImportJob
from crowdfold.tasks.models import Task
from tests.data.conftest import jsonl


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def infos(project):
    return list(Task.objects.filter(project=project).order_by("id").values_list("info", flat=True))


def test_owner_imports_a_csv_url_as_a_job_and_sees_it_on_the_page(
    project, owner, stand_in, django_capture_on_commit_callbacks
):
    stand_in.routes["/sheet.csv"] = (200, {"Content-Type": "text/csv"}, b"q\nred?\nblue?\n")
    client = signed_in(owner)
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(
            "/project/birds/tasks/import",
            {"url": stand_in.url + "/sheet.csv", "url_type": "csv", "n_answers": "2"},
            follow=True,
        )
    assert "The import runs in the background" in res.content.decode()
    assert infos(project) == [{"q": "red?"}, {"q": "blue?"}]
    assert set(Task.objects.values_list("n_answers", flat=True)) == {2}
    page = client.get("/project/birds/tasks/import").content.decode()
    assert 'id="import-jobs"' in page and 'data-state="done"' in page
    assert "2 new tasks were imported into birds" in mail.outbox[-1].subject


def test_a_large_upload_runs_as_a_job(project, owner, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_SYNC_MAX_BYTES = 10
    upload = SimpleUploadedFile("t.jsonl", jsonl([{"n": i} for i in range(30)]))
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(owner).post("/project/birds/tasks/import", {"file": upload})
    job = ImportJob.objects.get(project=project)
    assert (job.state, job.n_created, job.rows_read) == ("done", 30, 30)
    assert len(infos(project)) == 30


def test_private_urls_are_refused_on_the_page_too(project, owner, settings):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    res = signed_in(owner).post(
        "/project/birds/tasks/import",
        {"url": "http://127.0.0.1:9/x.csv", "url_type": "csv"},
        follow=True,
    )
    assert "refused" in res.content.decode()
    assert not ImportJob.objects.exists() and not infos(project)


def test_a_file_or_a_url_but_not_both_nor_neither(project, owner, stand_in):
    client = signed_in(owner)
    neither = client.post("/project/birds/tasks/import", {"n_answers": "2"})
    assert "Give a file or a URL" in neither.content.decode()
    upload = SimpleUploadedFile("t.csv", b"q\nx\n")
    both = client.post(
        "/project/birds/tasks/import", {"file": upload, "url": stand_in.url + "/a.csv"}
    )
    assert "Give a file or a URL" in both.content.decode()
    assert not infos(project)
