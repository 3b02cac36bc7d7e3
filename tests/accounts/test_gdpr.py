"""GDPR: download my data, restrict processing, delete my account (answers kept, person gone)."""

from __future__ import annotations

import io
import json
import zipfile

from crowdfold.accounts.models import User
from crowdfold.tasks.models import TaskRun
from tests.accounts.test_profile import client_for
from tests.conftest import make_tasks


def answer(project, task, user, value):
    return TaskRun.objects.create(
        project=project,
        task=task,
        user=user,
        contributor_key=f"u:{user.pk}",
        info={"answer": value},
    )


def test_volunteer_downloads_a_zip_of_everything_held_about_them(volunteer, project):
    task = make_tasks(project, 1)[0]
    answer(project, task, volunteer, "three birds")
    client = client_for(volunteer, "volunteer-pass-123")
    response = client.get("/account/volunteer/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    user = json.loads(archive.read("user.json"))
    runs = json.loads(archive.read("task_runs.json"))
    assert user["name"] == "volunteer" and user["email"] == "volunteer@example.org"
    assert "password" not in user
    assert [r["info"] for r in runs] == [{"answer": "three birds"}]
    assert json.loads(archive.read("email_addresses.json"))[0]["email"] == "volunteer@example.org"


def test_owner_export_lists_their_projects(owner, project):
    client = client_for(owner, "owner-pass-123")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/owner/export").content))
    assert [p["short_name"] for p in json.loads(archive.read("projects.json"))] == ["birds"]


def test_nobody_else_can_download_someones_data(volunteer, outsider):
    client = client_for(outsider, "outsider-pass-123")
    assert client.get("/account/volunteer/export").status_code == 403


def test_restrict_processing_flag_is_stored(volunteer):
    client = client_for(volunteer, "volunteer-pass-123")
    client.post(
        "/account/volunteer/update",
        {"fullname": "V", "locale": "en", "restrict": "on", "privacy_mode": "on"},
    )
    volunteer.refresh_from_db()
    assert volunteer.restrict is True


def test_deleting_the_account_removes_the_person_and_keeps_anonymous_answers(volunteer, project):
    tasks = make_tasks(project, 2)
    runs = [answer(project, t, volunteer, f"answer {i}") for i, t in enumerate(tasks)]
    client = client_for(volunteer, "volunteer-pass-123")
    response = client.post("/account/volunteer/delete", {"confirm_name": "volunteer"})
    assert response.status_code == 302
    assert not User.objects.filter(username="volunteer").exists()
    assert "_auth_user_id" not in client.session
    kept = TaskRun.objects.filter(pk__in=[r.pk for r in runs]).order_by("id")
    assert [r.info for r in kept] == [{"answer": "answer 0"}, {"answer": "answer 1"}]
    assert all(r.user_id is None for r in kept)
    keys = [r.contributor_key for r in kept]
    assert all(k.startswith("deleted:") and f"u:{volunteer.pk}" != k for k in keys)
    assert len(set(keys)) == 2


def test_deletion_needs_the_name_typed_as_confirmation(volunteer):
    client = client_for(volunteer, "volunteer-pass-123")
    assert client.post("/account/volunteer/delete", {"confirm_name": "oops"}).status_code == 400
    assert User.objects.filter(username="volunteer").exists()


def test_owner_of_projects_is_asked_to_hand_them_over_before_deletion(owner, project):
    client = client_for(owner, "owner-pass-123")
    response = client.post("/account/owner/delete", {"confirm_name": "owner"})
    assert response.status_code == 409
    assert "birds" in response.content.decode()
    assert User.objects.filter(username="owner").exists()
