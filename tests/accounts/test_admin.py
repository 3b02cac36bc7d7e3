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


def test_cli_adds_lists_and_removes_admins_by_email(admin, volunteer):
    runner = CliRunner()
    added = runner.invoke(cli, ["admins", "add", "Volunteer@Example.org"])
    assert added.exit_code == 0, added.output
    assert "volunteer <volunteer@example.org> is now an admin" in added.output
    assert User.objects.get(username="volunteer").is_superuser
    listed = runner.invoke(cli, ["admins", "list"]).output.splitlines()
    assert listed == ["admin\tadmin@example.org", "volunteer\tvolunteer@example.org"]
    assert runner.invoke(cli, ["admins", "remove", "volunteer@example.org"]).exit_code == 0
    assert not User.objects.get(username="volunteer").is_superuser


def test_cli_accepts_user_names_and_the_old_grant_and_revoke(admin, volunteer):
    runner = CliRunner()
    assert runner.invoke(cli, ["admins", "add", "volunteer"]).exit_code == 0
    again = runner.invoke(cli, ["admins", "grant", "volunteer"])
    assert again.exit_code == 0 and "already an admin" in again.output
    assert runner.invoke(cli, ["admins", "revoke", "volunteer"]).exit_code == 0
    assert not User.objects.get(username="volunteer").is_superuser


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "nobody@example.org"], "No user with the email 'nobody@example.org'"),
        (["remove", "nobody"], "No user with the name 'nobody'"),
        (["remove", "volunteer@example.org"], "is not an admin"),
        (["add", " "], "give the user's email or name"),
        (["add", "twin@example.org"], "Several users have the email"),
    ],
)
def test_cli_admin_errors_are_clear_and_exit_non_zero(admin, volunteer, args, message):
    from crowdfold.accounts.services import create_user

    create_user("twin1", "twin@example.org", None)
    create_user("twin2", "TWIN@example.org", None)
    result = CliRunner().invoke(cli, ["admins", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert User.objects.filter(is_superuser=True).count() == 1


def test_cli_refuses_to_revoke_the_last_admin(admin):
    result = CliRunner().invoke(cli, ["admins", "remove", "admin@example.org"])
    assert result.exit_code != 0
    assert "last admin" in result.output
    assert User.objects.get(username="admin").is_superuser
