"""The audit log records every change to a project: who, when, field, old → new, web or API."""

from __future__ import annotations

import pytest
from django.test import Client

from crowdfold.workshop.models import AuditEntry


@pytest.fixture(autouse=True)
def pro_owner(owner):
    """The audit log is a pro feature (PRO_FEATURES); tests/owner/test_pro_features.py gates it."""
    owner.pro = True
    owner.save(update_fields=["pro"])


def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def log_rows(client) -> str:
    res = client.get("/project/birds/auditlog")
    assert res.status_code == 200
    return res.content.decode().split('id="auditlog"', 1)[1]


def test_web_changes_are_logged_with_who_what_old_and_new(project, owner):
    client = owner_client(owner)
    res = client.post(
        "/project/birds/update",
        {"name": "Bird Census", "short_name": "birds", "description": "Count birds"},
    )
    assert res.status_code == 302
    client.post("/project/birds/tasks/scheduler", {"sched": "breadth_first"})
    entries = {e.attribute: e for e in AuditEntry.objects.filter(project=project)}
    assert entries["name"].old_value == "Bird Count"
    assert entries["name"].new_value == "Bird Census"
    assert entries["name"].user_name == "owner" and entries["name"].caller == "web"
    assert entries["info.sched"].new_value == "breadth_first"
    assert "description" not in entries  # unchanged fields are not logged
    html = log_rows(client)
    assert "<td>name</td><td><code>Bird Count</code></td><td><code>Bird Census</code></td>" in html
    assert "<td>owner</td><td>web</td>" in html


def test_api_put_is_logged_as_api_with_who_what_old_and_new(project, owner, api):
    res = api(owner).put(
        f"/api/project/{project.pk}",
        {"name": "Bird Census", "webhook": "https://example.org/hook", "info": {"sched": "locked"}},
    )
    assert res.status_code == 200, res.content
    entries = {e.attribute: e for e in AuditEntry.objects.filter(project=project)}
    assert set(entries) == {"name", "webhook", "info.sched"}
    assert (entries["name"].old_value, entries["name"].new_value) == ("Bird Count", "Bird Census")
    assert entries["webhook"].new_value == "https://example.org/hook"
    assert all(e.caller == "api" and e.user_name == "owner" for e in entries.values())
    html = log_rows(owner_client(owner))
    assert "<td>owner</td><td>api</td><td>name</td>" in html


def test_refused_api_put_logs_nothing(project, outsider, api):
    res = api(outsider).put(f"/api/project/{project.pk}", {"name": "Hijacked"})
    assert res.status_code == 403
    assert not AuditEntry.objects.filter(project=project).exists()


def test_api_create_and_delete_are_logged(owner, api):
    res = api(owner).post("/api/project", {"name": "Moths", "short_name": "moths"})
    assert res.status_code == 200, res.content
    project_id = res.json()["id"]
    assert api(owner).delete(f"/api/project/{project_id}").status_code == 204
    rows = AuditEntry.objects.filter(project_short_name="moths").order_by("id")
    assert [(e.action, e.caller, e.user_name) for e in rows] == [
        ("create", "api", "owner"),
        ("delete", "api", "owner"),
    ]


def test_password_and_secret_key_changes_are_logged_without_their_values(project, owner):
    client = owner_client(owner)
    old_key = project.secret_key
    client.post("/project/birds/password/set", {"password": "hunter2"})
    client.post("/project/birds/resetsecretkey")
    html = log_rows(client)
    assert "hunter2" not in html and old_key not in html
    assert "<td>password_hash</td>" in html and "<td>secret_key</td>" in html


def test_owners_changes_and_publishing_are_logged(project, owner, volunteer):
    client = owner_client(owner)
    client.post("/project/birds/coowners", {"name": "volunteer"})
    client.post("/project/birds/unpublish")
    entries = list(AuditEntry.objects.filter(project=project).order_by("id"))
    assert [e.attribute for e in entries] == ["owners", "published"]
    assert entries[0].old_value == f"[{owner.pk}]"
    assert entries[0].new_value == f"[{owner.pk}, {volunteer.pk}]"
    assert (entries[1].old_value, entries[1].new_value) == ("true", "false")


def test_deleting_a_project_keeps_its_audit_trail(project, owner):
    client = owner_client(owner)
    res = client.post("/project/birds/delete", {"confirm": "birds"})
    assert res.status_code == 302
    entry = AuditEntry.objects.get(project_short_name="birds", action="delete")
    assert entry.project is None and entry.user_name == "owner"


def test_wrong_confirmation_does_not_delete(project, owner):
    res = owner_client(owner).post("/project/birds/delete", {"confirm": "nope"})
    assert res.status_code == 200
    assert "not this project&#x27;s short name" in res.content.decode()
    project.refresh_from_db()
