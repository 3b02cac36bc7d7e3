"""``POST /api/project/<id>/import``: uploads and URL sources (CSV, Google Sheets, S3, IIIF), jobs
with progress and a mail to the owner, the autoimporter, and refusal of private addresses."""

from __future__ import annotations

import gzip
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from crowdfold.data.jobs import autoimport_all
from crowdfold.data.models import ImportJob
from crowdfold.tasks.models import Task
from tests.data.conftest import jsonl


def infos(project):
    return list(Task.objects.filter(project=project).order_by("id").values_list("info", flat=True))


def _upload(api, user, project, name, data, **fields):
    client = api(user)
    return client.client.post(
        f"/api/project/{project.pk}/import",
        {"file": SimpleUploadedFile(name, data), **fields},
        **client._headers({}),
    )


def _import_url(api, user, project, body, capture):
    with capture(execute=True):
        res = api(user).post(f"/api/project/{project.pk}/import", body)
    return res


def test_owner_uploads_a_small_file_and_gets_counts_at_once(api, project, owner):
    data = gzip.compress(jsonl([{"a": 1}, {"a": 2}, {"a": 1}]))
    res = _upload(api, owner, project, "t.jsonl.gz", data, batch="b1", n_answers="2")
    assert res.status_code == 200, res.content
    assert res.json() == {"created": 2, "duplicates": 1, "rows": 3, "batch": "b1"}
    assert set(Task.objects.filter(project=project).values_list("n_answers", flat=True)) == {2}


def test_a_malformed_upload_is_refused_with_its_line_and_stores_nothing(api, project, owner):
    res = _upload(api, owner, project, "t.csv", b"a,b\n1,2\n3\n")
    assert res.status_code == 400
    assert res.json()["exception_msg"] == "t.csv:3: this row has 1 fields but the header names 2"
    assert Task.objects.count() == 0


def test_large_uploads_run_as_a_job_that_mails_the_owner(
    api, project, owner, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_SYNC_MAX_BYTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        res = _upload(api, owner, project, "t.jsonl", jsonl([{"n": i} for i in range(20)]))
    assert res.status_code == 202
    status = api(owner).get(res.json()["status_url"]).json()
    assert (status["state"], status["created"], status["rows_read"]) == ("done", 20, 20)
    assert len(infos(project)) == 20
    assert mail.outbox[-1].to == ["owner@example.org"]
    assert "20 new tasks were imported" in mail.outbox[-1].subject


def test_only_owners_import(api, project, outsider):
    assert _upload(api, outsider, project, "t.jsonl", jsonl([{"a": 1}])).status_code == 403
    assert _upload(api, None, project, "t.jsonl", jsonl([{"a": 1}])).status_code == 401
    assert Task.objects.count() == 0


def test_csv_from_a_url(api, project, owner, stand_in, django_capture_on_commit_callbacks):
    stand_in.routes["/data.csv"] = (
        200,
        {"Content-Type": "text/plain"},
        b"q,n_answers\nred?,2\nblue?,\n",
    )
    res = _import_url(
        api,
        owner,
        project,
        {"type": "csv", "url": stand_in.url + "/data.csv"},
        django_capture_on_commit_callbacks,
    )
    assert res.status_code == 202, res.content
    assert infos(project) == [{"q": "red?"}, {"q": "blue?"}]
    assert ImportJob.objects.get().state == "done"


def test_google_sheets_links_become_their_csv_export(project):
    from crowdfold.data.importers.urls import gdocs_csv_url

    link = "https://docs.google.com/spreadsheets/d/1AbC_d-9/edit#gid=42"
    assert (
        gdocs_csv_url(link)
        == "https://docs.google.com/spreadsheets/d/1AbC_d-9/export?format=csv&gid=42"
    )
    assert gdocs_csv_url("https://docs.google.com/spreadsheet/ccc?key=K") == (
        "https://docs.google.com/spreadsheet/ccc?key=K&output=csv"
    )


def test_gdocs_importer_fetches_the_export_url(
    api, project, owner, stand_in, django_capture_on_commit_callbacks
):
    stand_in.routes["/sheet.csv"] = (200, {"Content-Type": "text/csv"}, b"url\na.png\n")
    res = _import_url(
        api,
        owner,
        project,
        {"type": "gdocs", "url": stand_in.url + "/sheet.csv"},
        django_capture_on_commit_callbacks,
    )
    assert res.status_code == 202
    assert infos(project) == [{"url": "a.png"}]


def test_s3_bucket_listing_gives_one_task_per_object(
    api, project, owner, stand_in, django_capture_on_commit_callbacks
):
    stand_in.buckets["bucket"] = ["img/a.jpg", "img/b.mp3", "img/", "doc/c.pdf", "img/d e.png"]
    res = _import_url(
        api,
        owner,
        project,
        {"type": "s3", "url": stand_in.url + "/bucket", "prefix": "img/"},
        django_capture_on_commit_callbacks,
    )
    assert res.status_code == 202
    got = infos(project)
    base = stand_in.url + "/bucket/"
    assert got == [
        {
            "filename": "a.jpg",
            "url": base + "img/a.jpg",
            "link": base + "img/a.jpg",
            "url_m": base + "img/a.jpg",
            "url_b": base + "img/a.jpg",
            "title": "a.jpg",
        },
        {
            "filename": "b.mp3",
            "url": base + "img/b.mp3",
            "link": base + "img/b.mp3",
            "audio_url": base + "img/b.mp3",
        },
        {
            "filename": "d e.png",
            "url": base + "img/d%20e.png",
            "link": base + "img/d%20e.png",
            "url_m": base + "img/d%20e.png",
            "url_b": base + "img/d%20e.png",
            "title": "d e.png",
        },
    ]
    # Three objects under the prefix, two per page: the continuation token was followed.
    assert sum("list-type=2" in r for r in stand_in.requests) == 2


@pytest.mark.parametrize("version", ["2", "3"])
def test_iiif_manifest_gives_one_task_per_canvas_image(
    api, project, owner, stand_in, version, django_capture_on_commit_callbacks
):
    svc = stand_in.url + "/iiif/img{}"
    if version == "2":
        manifest = {
            "@context": "http://iiif.io/api/presentation/2/context.json",
            "sequences": [
                {
                    "canvases": [
                        {
                            "@id": f"c{i}",
                            "images": [{"resource": {"service": {"@id": svc.format(i)}}}],
                        }
                        for i in range(2)
                    ]
                }
            ],
        }
    else:
        manifest = {
            "items": [
                {
                    "id": f"c{i}",
                    "items": [
                        {
                            "items": [
                                {
                                    "body": {
                                        "service": [{"id": svc.format(i), "type": "ImageService3"}]
                                    }
                                }
                            ]
                        }
                    ],
                }
                for i in range(2)
            ]
        }
    stand_in.routes["/manifest.json"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps(manifest).encode(),
    )
    url = stand_in.url + "/manifest.json"
    res = _import_url(
        api, owner, project, {"type": "iiif", "url": url}, django_capture_on_commit_callbacks
    )
    assert res.status_code == 202
    first, second = infos(project)
    assert first["tileSource"] == svc.format(0) + "/info.json"
    assert (first["target"], first["manifest"]) == ("c0", url)
    assert first["url_m"] == svc.format(0) + "/full/240,/0/default.jpg"
    assert first["url_b"] == svc.format(0) + "/full/1024,/0/default.jpg"
    assert second["link"].endswith("#?cv=1")


def test_private_addresses_are_refused_unless_allowed(api, project, owner, settings):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    for url in (
        "http://127.0.0.1:9/x.csv",
        "http://169.254.169.254/latest",
        "http://10.0.0.1/x.csv",
        "http://[::1]/x.csv",
        "file:///etc/passwd",
    ):
        res = api(owner).post(f"/api/project/{project.pk}/import", {"type": "csv", "url": url})
        assert res.status_code == 400, url
        assert res.json()["exception_msg"].startswith("refused")
    assert ImportJob.objects.count() == 0


def test_a_redirect_to_a_private_address_fails_the_job(
    api, project, owner, stand_in, settings, django_capture_on_commit_callbacks
):
    from crowdfold.data.jobs import enqueue_import

    stand_in.routes["/go"] = (302, {"Location": "http://127.0.0.1:9/secret.csv"}, b"")
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    with django_capture_on_commit_callbacks(execute=True):
        record = enqueue_import(project, owner, {"type": "csv", "url": stand_in.url + "/go"}, {})
    record.refresh_from_db()
    assert record.state == "failed" and "refused" in record.error
    assert Task.objects.count() == 0


def test_bad_sources_and_options_are_clear_400s(api, project, owner):
    client = api(owner)
    path = f"/api/project/{project.pk}/import"
    assert (
        "unknown importer type"
        in client.post(path, {"type": "ftp", "url": "x"}).json()["exception_msg"]
    )
    assert "a url is required" in client.post(path, {"type": "csv"}).json()["exception_msg"]
    assert (
        client.post(
            path, {"type": "csv", "url": "https://example.org/a.csv", "n_answers": 0}
        ).status_code
        == 400
    )
    assert client.post(path, [1, 2]).status_code == 400
    assert client.get(f"/api/project/{project.pk}/import/999").status_code == 404


def test_autoimporter_adds_only_new_rows(api, project, owner, stand_in):
    owner.pro = True  # the autoimporter is a pro feature by default (PRO_FEATURES)
    owner.save()
    stand_in.routes["/feed.jsonl"] = (200, {}, jsonl([{"n": 1}, {"n": 2}]))
    res = api(owner).put(
        f"/api/project/{project.pk}/autoimporter",
        {"type": "url", "url": stand_in.url + "/feed.jsonl"},
    )
    assert res.status_code == 200, res.content
    assert autoimport_all() == 2
    stand_in.routes["/feed.jsonl"] = (200, {}, jsonl([{"n": 1}, {"n": 2}, {"n": 3}]))
    assert autoimport_all() == 1
    assert infos(project) == [{"n": 1}, {"n": 2}, {"n": 3}]
    stand_in.routes["/feed.jsonl"] = (200, {}, jsonl([{"n": 3}, {"n": 4}]))
    from crowdfold.ops.periodic import autoimport_job

    autoimport_job.call_local()  # the hourly job the worker runs
    assert infos(project)[-1] == {"n": 4} and len(infos(project)) == 4
    state = api(owner).get(f"/api/project/{project.pk}/autoimporter").json()
    assert state["last_created"] == 1 and state["last_error"] is None
    assert api(owner).delete(f"/api/project/{project.pk}/autoimporter").status_code == 204
    assert autoimport_all() == 0


def test_the_autoimporter_is_a_pro_feature_unless_pro_features_say_otherwise(
    api, project, owner, stand_in, settings
):
    stand_in.routes["/feed.jsonl"] = (200, {}, jsonl([{"n": 1}]))
    path = f"/api/project/{project.pk}/autoimporter"
    source = {"type": "url", "url": stand_in.url + "/feed.jsonl"}
    refused = api(owner).put(path, source)
    assert refused.status_code == 403 and "pro feature" in refused.json()["exception_msg"]
    assert api(owner).get(path).status_code == 403

    owner.pro = True
    owner.save()
    assert api(owner).put(path, source).status_code == 200
    owner.pro = False  # no longer pro: the saved source is not re-imported
    owner.save()
    assert autoimport_all() == 0

    settings.PRO_FEATURES = {**settings.PRO_FEATURES, "autoimporter": False}
    assert autoimport_all() == 1
    assert api(owner).get(path).status_code == 200
