"""Nobody raises their own rights through a form: extra fields smuggled into sign-up, the profile
form or the project forms are ignored, and only admins reach Django admin.

Through the API the same claims are tested in tests/api/test_user_api.py
(``test_nobody_makes_themselves_admin_or_changes_secrets``,
``test_admin_edits_a_profile_but_cannot_grant_admin``) and tests/api/test_project_api.py
(``test_nobody_hands_themselves_ownership_through_put``,
``test_publishing_through_the_api_is_forbidden``); the matrices in this folder show who may call
what.
"""

from __future__ import annotations

from django.test import Client

from crowdfold.accounts.models import User
from crowdfold.projects.models import Project

RIGHTS = {
    "is_superuser": "on",
    "is_staff": "on",
    "admin": "on",
    "pro": "on",
    "is_active": "on",
    "valid_email": "on",
    "api_key": "chosen-key",
    "email": "boss@example.org",
    "owner": "1",
    "owner_id": "1",
    "featured": "on",
    "published": "on",
    "groups": "1",
    "user_permissions": "1",
}


def test_sign_up_ignores_smuggled_rights(world, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    data = {
        "username": "mallory",
        "email": "mallory@example.net",
        "password1": "very-long-pass-42",
        "password2": "very-long-pass-42",
        "fullname": "Mallory",
        "consent": "on",
        **{k: v for k, v in RIGHTS.items() if k not in {"email"}},
    }
    res = Client().post("/account/register", data)
    assert res.status_code == 302, res.content[:500]
    mallory = User.objects.get(username="mallory")
    assert not (mallory.is_superuser or mallory.is_staff or mallory.pro)
    assert mallory.api_key != "chosen-key"


def test_the_profile_form_changes_only_the_profile(world, browser_for):
    other = world.user("other")
    before = User.objects.get(pk=other.pk)
    res = browser_for("other").post(
        f"/account/{other.username}/update",
        {"fullname": "Renamed", "locale": "en", "subscribed": "on", **RIGHTS},
    )
    assert res.status_code == 302
    after = User.objects.get(pk=other.pk)
    assert after.fullname == "Renamed"
    unchanged = ("is_superuser", "is_staff", "pro", "api_key", "email", "valid_email", "is_active")
    assert [getattr(after, f) for f in unchanged] == [getattr(before, f) for f in unchanged]


def test_nobody_edits_someone_elses_profile_or_key(world, browser_for):
    owner = world.user("owner")
    client = browser_for("other")
    assert client.post(f"/account/{owner.username}/update", {"fullname": "X"}).status_code == 403
    assert client.post(f"/account/{owner.username}/resetapikey").status_code == 403
    assert (
        client.post(f"/account/{owner.username}/delete", {"confirm_name": "owner"}).status_code
        == 403
    )
    assert User.objects.get(pk=owner.pk).api_key == owner.api_key


def test_project_forms_do_not_feature_publish_or_hand_over_the_project(world, browser_for):
    """A co-owner's settings and details forms carry no ownership, featuring or publishing."""
    client = browser_for("coowner")
    client.post("/project/moths/settings", {"allow_anonymous_contributors": "on", **RIGHTS})
    client.post("/project/moths/update", {"name": "Draft Moths", "short_name": "moths", **RIGHTS})
    draft = Project.objects.get(pk=world.draft.pk)
    assert (draft.featured, draft.published, draft.owner_id) == (False, False, world.draft.owner_id)


def test_only_admins_enter_django_admin(world, browser_for):
    for persona in ("owner", "coowner", "other", "anonymous"):
        res = browser_for(persona).get("/admin/projects/project/")
        assert res.status_code == 302 and res["Location"].startswith("/admin/login/"), persona
    assert browser_for("admin").get("/admin/projects/project/").status_code == 200


def test_nobody_renames_themselves_into_a_reserved_or_existing_name(world, api):
    """Through the API PUT a name goes through sign-up's rules: no "admin", no page names, and no
    other person's name in another case (sign-in by name ignores case)."""
    other = world.user("other")
    client = api(other)
    for name in ("admin", "Admin", "signin", "api", "Owner"):
        res = client.put(f"/api/user/{other.pk}", {"name": name})
        assert res.status_code == 415, (name, res.content)
    assert User.objects.get(pk=other.pk).username == other.username
    assert client.put(f"/api/user/{other.pk}", {"name": "fresh_name"}).status_code == 200
