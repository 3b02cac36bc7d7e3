"""Profile pages: settings, avatar, API key, privacy mode and ENFORCE_PRIVACY."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from crowdfold.accounts.models import User


def client_for(user, password):
    client = Client(REMOTE_ADDR="203.0.113.10")
    client.post("/account/signin", {"login": user.username, "password": password})
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


@pytest.fixture
def as_volunteer(volunteer):
    return client_for(volunteer, "volunteer-pass-123")


@pytest.fixture
def as_outsider(outsider):
    return client_for(outsider, "outsider-pass-123")


@pytest.fixture
def as_admin(admin):
    return client_for(admin, "admin-pass-123")


def png_bytes(size=(640, 480), color=(200, 30, 30)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "me.png"
    return buffer


def test_volunteer_updates_full_name_locale_and_privacy(as_volunteer, volunteer):
    response = as_volunteer.post(
        "/account/volunteer/update",
        {"form_name": "profile", "fullname": "Vera Volunteer", "locale": "es", "privacy_mode": ""},
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.fullname, volunteer.locale, volunteer.privacy_mode) == (
        "Vera Volunteer",
        "es",
        False,
    )
    assert response.cookies["language"].value == "es"


def test_avatar_upload_is_resized_to_a_square_png(as_volunteer, volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = as_volunteer.post(
        "/account/volunteer/update", {"form_name": "avatar", "avatar": png_bytes()}
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    stored = tmp_path / volunteer.info["container"] / volunteer.info["avatar"]
    with Image.open(stored) as image:
        assert image.size == (256, 256)
        assert image.format == "PNG"
    served = as_volunteer.get(volunteer.info["avatar_url"])
    assert served.status_code == 200


def test_a_file_that_is_not_a_picture_is_refused(as_volunteer, volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = io.BytesIO(b"<?php echo 'hi'; ?>")
    fake.name = "me.png"
    response = as_volunteer.post(
        "/account/volunteer/update", {"form_name": "avatar", "avatar": fake}
    )
    assert response.status_code == 400
    assert "not a picture" in response.content.decode()
    volunteer.refresh_from_db()
    assert "avatar" not in volunteer.info


def test_api_key_is_shown_to_its_owner_only(as_volunteer, as_outsider, volunteer):
    assert volunteer.api_key in as_volunteer.get("/account/volunteer/update").content.decode()
    assert as_outsider.get("/account/volunteer/update").status_code == 403
    assert volunteer.api_key not in as_outsider.get("/account/volunteer/").content.decode()


def test_regenerating_the_api_key_replaces_it(as_volunteer, volunteer):
    old = volunteer.api_key
    response = as_volunteer.post("/account/volunteer/resetapikey")
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.api_key != old
    assert volunteer.api_key in as_volunteer.get("/account/volunteer/update").content.decode()


def test_nobody_else_can_regenerate_someones_api_key(as_outsider, volunteer):
    old = volunteer.api_key
    assert as_outsider.post("/account/volunteer/resetapikey").status_code == 403
    volunteer.refresh_from_db()
    assert volunteer.api_key == old


def test_public_profile_shows_the_full_name_when_privacy_mode_is_off(web, volunteer):
    User.objects.filter(pk=volunteer.pk).update(fullname="Vera Volunteer", privacy_mode=False)
    page = web.get("/account/volunteer/").content.decode()
    assert "Vera Volunteer" in page


def test_privacy_mode_hides_the_full_name_and_contributions(web, volunteer):
    User.objects.filter(pk=volunteer.pk).update(fullname="Vera Volunteer", privacy_mode=True)
    page = web.get("/account/volunteer/").content.decode()
    assert "Vera Volunteer" not in page
    assert "keeps their profile private" in page


def test_info_keys_are_public_only_when_listed(web, volunteer, settings):
    User.objects.filter(pk=volunteer.pk).update(
        privacy_mode=False, info={"extra": "Birdwatcher", "secret": "x"}
    )
    settings.USER_INFO_PUBLIC_FIELDS = []
    from crowdfold.accounts.privacy import public_info

    volunteer.refresh_from_db()
    assert public_info(volunteer) == {"extra": "Birdwatcher"}
    settings.USER_INFO_PUBLIC_FIELDS = ["secret"]
    assert public_info(volunteer) == {"extra": "Birdwatcher", "secret": "x"}
    assert "Birdwatcher" in web.get("/account/volunteer/").content.decode()


def test_enforce_privacy_hides_profiles_and_lists_from_everyone_but_admins(
    web, as_outsider, as_admin, as_volunteer, settings
):
    settings.ENFORCE_PRIVACY = True
    assert web.get("/account/volunteer/").status_code == 403
    assert web.get("/account/").status_code == 403
    assert as_outsider.get("/account/volunteer/").status_code == 403
    assert as_admin.get("/account/volunteer/").status_code == 200
    assert as_admin.get("/account/").status_code == 200
    assert as_volunteer.get("/account/volunteer/").status_code == 200  # one's own profile


def test_user_list_names_people_in_privacy_mode_without_their_full_name(web, volunteer, outsider):
    """As on profiles and in /api/user: the name is public, the full name only without privacy
    mode (tests/accounts/test_privacy_pages_and_api.py holds the whole rule set)."""
    User.objects.filter(pk=outsider.pk).update(privacy_mode=False, fullname="Otto Outsider")
    User.objects.filter(pk=volunteer.pk).update(privacy_mode=True, fullname="Vera Volunteer")
    page = web.get("/account/").content.decode()
    assert "/account/outsider/" in page and "Otto Outsider" in page
    assert "/account/volunteer/" in page and "Vera Volunteer" not in page


def test_unknown_profile_is_not_found(web, db):
    assert web.get("/account/nobody-here/").status_code == 404


def test_restricted_people_are_hidden_from_others_but_not_from_themselves(
    web, as_volunteer, as_admin, volunteer
):
    User.objects.filter(pk=volunteer.pk).update(restrict=True, privacy_mode=False)
    assert web.get("/account/volunteer/").status_code == 404
    assert "/account/volunteer/" not in web.get("/account/").content.decode()
    assert as_volunteer.get("/account/volunteer/").status_code == 200
    assert as_admin.get("/account/volunteer/").status_code == 200
