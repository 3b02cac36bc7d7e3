"""/api/user: public profiles, one's own full row, whitelisted self-edits (PYBOSSA flaw §9.1 fixed)."""

from __future__ import annotations

import pytest

from crowdfold.accounts.models import User
from tests.api.conftest import assert_error


def test_others_see_only_the_public_profile(api, owner, volunteer):
    owner.info = {"avatar": "a.png", "phone": "555"}
    owner.save()
    rows = {r["name"]: r for r in api(volunteer).get("/api/user").json()}
    assert rows["owner"] == {"name": "owner", "locale": "en", "info": {"avatar": "a.png"}}
    assert api().get(f"/api/user/{owner.pk}").json() == {
        "name": "owner",
        "locale": "en",
        "info": {"avatar": "a.png"},
    }


def test_fullname_is_public_when_privacy_mode_is_off(api, owner):
    User.objects.filter(pk=owner.pk).update(privacy_mode=False, fullname="Olive Owner")
    row = api().get(f"/api/user/{owner.pk}").json()
    assert row["fullname"] == "Olive Owner" and "created" in row and "email_addr" not in row
    assert [r["name"] for r in api().get("/api/user", {"fullname": "Olive Owner"}).json()] == [
        "owner"
    ]


def test_searching_by_fullname_skips_private_people(api, owner):
    assert api().get("/api/user", {"fullname": owner.fullname}).json() == []


def test_user_sees_own_api_key_and_email_admin_sees_email_only(api, admin, volunteer):
    mine = api(volunteer).get(f"/api/user/{volunteer.pk}").json()
    assert mine["api_key"] == volunteer.api_key and mine["email_addr"] == volunteer.email
    seen_by_admin = api(admin).get(f"/api/user/{volunteer.pk}").json()
    assert seen_by_admin["email_addr"] == volunteer.email and "api_key" not in seen_by_admin
    for row in api(admin).get("/api/user").json() + api(volunteer).get("/api/user").json():
        assert "passwd_hash" not in row and "password" not in row


def test_nobody_else_ever_sees_an_api_key(api, admin, owner, volunteer):
    for viewer in (None, owner, admin):
        for row in api(viewer).get("/api/user").json():
            if viewer is None or row.get("id") != viewer.pk:
                assert "api_key" not in row


def test_users_edit_their_whitelisted_profile(api, volunteer):
    res = api(volunteer).put(
        f"/api/user/{volunteer.pk}",
        {"fullname": "Val", "locale": "es", "info": {"avatar": "v.png"}, "privacy_mode": False},
    )
    assert res.status_code == 200, res.content
    volunteer.refresh_from_db()
    assert (volunteer.fullname, volunteer.locale, volunteer.privacy_mode) == ("Val", "es", False)


@pytest.mark.parametrize(
    "field,value",
    [
        ("admin", True),
        ("pro", True),
        ("api_key", "chosen"),
        ("restrict", True),
        ("email_addr", "x@example.org"),
        ("passwd_hash", "x"),
    ],
)
def test_nobody_makes_themselves_admin_or_changes_secrets(api, volunteer, field, value):
    res = api(volunteer).put(f"/api/user/{volunteer.pk}", {field: value})
    assert_error(res, 403, "Forbidden", target="user")
    volunteer.refresh_from_db()
    assert (
        not volunteer.is_superuser
        and not volunteer.pro
        and volunteer.api_key != "chosen"
        and not volunteer.restrict
    )


def test_own_row_round_trips_through_put(api, volunteer):
    row = api(volunteer).get(f"/api/user/{volunteer.pk}").json()
    row["fullname"] = "Round Trip"
    assert api(volunteer).put(f"/api/user/{volunteer.pk}", row).status_code == 200
    assert User.objects.get(pk=volunteer.pk).fullname == "Round Trip"


def test_admin_edits_a_profile_but_cannot_grant_admin(api, admin, volunteer):
    assert api(admin).put(f"/api/user/{volunteer.pk}", {"fullname": "By Admin"}).status_code == 200
    assert_error(
        api(admin).put(f"/api/user/{volunteer.pk}", {"admin": True}),
        403,
        "Forbidden",
        target="user",
    )


def test_others_cannot_edit_a_profile(api, outsider, volunteer):
    assert_error(
        api(outsider).put(f"/api/user/{volunteer.pk}", {"fullname": "X"}),
        403,
        "Forbidden",
        target="user",
    )
    assert_error(
        api().put(f"/api/user/{volunteer.pk}", {"fullname": "X"}),
        401,
        "Unauthorized",
        target="user",
    )


def test_taken_name_is_dbintegrityerror(api, owner, volunteer):
    assert_error(
        api(volunteer).put(f"/api/user/{volunteer.pk}", {"name": "owner"}),
        415,
        "DBIntegrityError",
        target="user",
    )


def test_users_are_not_created_or_deleted_through_the_api(api, admin, volunteer):
    assert_error(
        api(admin).post("/api/user", {"name": "x"}), 405, "MethodNotAllowed", target="user"
    )
    assert_error(
        api(admin).delete(f"/api/user/{volunteer.pk}"), 405, "MethodNotAllowed", target="user"
    )


def test_restricted_users_disappear_except_to_themselves(api, volunteer, outsider):
    User.objects.filter(pk=volunteer.pk).update(restrict=True)
    assert "volunteer" not in [r["name"] for r in api(outsider).get("/api/user").json()]
    assert_error(api(outsider).get(f"/api/user/{volunteer.pk}"), 403, "Forbidden", target="user")
    assert api(volunteer).get(f"/api/user/{volunteer.pk}").json()["restrict"] is True


def test_email_search_is_for_admins_only(api, admin, volunteer):
    assert_error(
        api(volunteer).get("/api/user", {"email_addr": "owner@example.org"}),
        403,
        "Forbidden",
        target="user",
    )
    assert [
        r["name"] for r in api(admin).get("/api/user", {"email_addr": volunteer.email}).json()
    ] == ["volunteer"]
