"""Admin: users, categories, projects, featured projects, announcements; granting admin rights."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crowdfold.accounts.models import User
from crowdfold.cli import cli
from tests.accounts.test_profile import client_for


@pytest.fixture
def as_admin(admin):
    client = client_for(admin, "admin-pass-123")
    return client


@pytest.mark.parametrize("path", [
    "/admin/accounts/user/?q=volunteer",
    "/admin/accounts/user/?is_superuser__exact=1",
    "/admin/projects/category/",
    "/admin/projects/project/?featured__exact=1",
    "/admin/crowdfold_site/featuredproject/",
    "/admin/crowdfold_site/announcement/?published__exact=1",
])  # fmt: skip
def test_admin_pages_list_search_and_filter(as_admin, volunteer, project, path):
    assert as_admin.get(path).status_code == 200


def test_admin_grants_and_revokes_admin_rights(as_admin, volunteer):
    changelist = "/admin/accounts/user/"
    as_admin.post(changelist, {"action": "grant_admin", "_selected_action": [volunteer.pk]})
    volunteer.refresh_from_db()
    assert volunteer.is_superuser and volunteer.is_staff
    as_admin.post(changelist, {"action": "revoke_admin", "_selected_action": [volunteer.pk]})
    volunteer.refresh_from_db()
    assert not volunteer.is_superuser


def test_volunteers_cannot_reach_the_admin(volunteer):
    client = client_for(volunteer, "volunteer-pass-123")
    assert client.get("/admin/accounts/user/").status_code == 302


def test_admin_features_a_project(as_admin, project):
    as_admin.post(
        "/admin/projects/project/", {"action": "feature", "_selected_action": [project.pk]}
    )
    project.refresh_from_db()
    assert project.featured


def test_cli_grants_lists_and_revokes_admins(admin, volunteer):
    runner = CliRunner()
    assert runner.invoke(cli, ["admins", "grant", "volunteer"]).exit_code == 0
    assert User.objects.get(username="volunteer").is_superuser
    listed = runner.invoke(cli, ["admins", "list"]).output.split()
    assert listed == ["admin", "volunteer"]
    assert runner.invoke(cli, ["admins", "revoke", "volunteer"]).exit_code == 0
    assert not User.objects.get(username="volunteer").is_superuser


def test_cli_refuses_to_revoke_the_last_admin(admin):
    result = CliRunner().invoke(cli, ["admins", "revoke", "admin"])
    assert result.exit_code != 0
    assert "last admin" in result.output
    assert User.objects.get(username="admin").is_superuser
