"""/api/category: anyone reads, admins manage."""

from __future__ import annotations

import pytest

from crowdfold.projects.models import Category
from tests.api.conftest import assert_error


def test_admin_creates_category_like_pbclient(api, admin):
    res = api(admin).post(
        "/api/category",
        {"name": "Image Work", "short_name": "imagework", "description": "Pictures"},
    )
    assert res.status_code == 200, res.content
    assert Category.objects.filter(short_name="imagework").exists()


def test_pbclient_update_category_sends_id_and_created_back(api, admin, project):
    category = project.category
    row = api(admin).get(f"/api/category/{category.pk}").json()
    row["description"] = "Changed"
    res = api(admin).put(f"/api/category/{category.pk}", row)
    assert res.status_code == 200, res.content
    assert Category.objects.get(pk=category.pk).description == "Changed"


@pytest.mark.parametrize(
    ("role", "status", "cls"),
    [
        ("owner", 403, "Forbidden"),
        ("outsider", 403, "Forbidden"),
        ("anonymous", 401, "Unauthorized"),
    ],
)
def test_only_admins_manage_categories(clients, project, role, status, cls):
    category = project.category
    assert_error(
        clients[role].post("/api/category", {"name": "X", "short_name": "x"}),
        status,
        cls,
        target="category",
    )
    assert_error(
        clients[role].put(f"/api/category/{category.pk}", {"name": "Y"}),
        status,
        cls,
        target="category",
    )
    assert_error(
        clients[role].delete(f"/api/category/{category.pk}"), status, cls, target="category"
    )


def test_a_category_with_projects_is_not_deleted(api, admin, project):
    assert_error(
        api(admin).delete(f"/api/category/{project.category_id}"),
        415,
        "DBIntegrityError",
        target="category",
    )
    empty = Category.objects.create(name="Empty", short_name="empty")
    assert api(admin).delete(f"/api/category/{empty.pk}").status_code == 204


def test_duplicate_category_is_dbintegrityerror(api, admin, project):
    res = api(admin).post("/api/category", {"name": project.category.name, "short_name": "dupe"})
    assert_error(res, 415, "DBIntegrityError", target="category")


def test_changed_created_is_reserved(api, admin, project):
    res = api(admin).put(f"/api/category/{project.category_id}", {"created": "2001-01-01T00:00:00"})
    assert_error(res, 400, "BadRequest", target="category")
