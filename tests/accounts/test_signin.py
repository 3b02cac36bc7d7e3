"""Sign in by name or e-mail, sign out, rate limits, through HTTP."""

from __future__ import annotations


def test_volunteer_signs_in_with_their_name(web, volunteer):
    response = web.post("/account/signin", {"login": "volunteer", "password": "volunteer-pass-123"})
    assert response.status_code == 302
    assert web.session["_auth_user_id"] == str(volunteer.pk)


def test_volunteer_signs_in_with_their_email(web, volunteer):
    response = web.post(
        "/account/signin", {"login": "volunteer@example.org", "password": "volunteer-pass-123"}
    )
    assert response.status_code == 302
    assert web.session["_auth_user_id"] == str(volunteer.pk)


def test_wrong_password_is_refused(web, volunteer):
    response = web.post("/account/signin", {"login": "volunteer", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in web.session


def test_sign_out_ends_the_session(web, volunteer):
    web.post("/account/signin", {"login": "volunteer", "password": "volunteer-pass-123"})
    response = web.post("/account/signout")
    assert response.status_code == 302
    assert "_auth_user_id" not in web.session


def test_repeated_failed_sign_ins_are_rate_limited(web, volunteer):
    for _ in range(5):
        web.post("/account/signin", {"login": "volunteer", "password": "wrong-password-1"})
    response = web.post("/account/signin", {"login": "volunteer", "password": "volunteer-pass-123"})
    assert "_auth_user_id" not in web.session
    assert "Too many failed login attempts" in response.content.decode()


def test_anonymous_visitor_is_sent_to_the_sign_in_page(web, volunteer):
    response = web.get("/account/profile")
    assert response.status_code == 302
    assert response.url.startswith("/account/signin?next=")


def test_many_failures_from_one_address_block_even_the_right_password(web, volunteer):
    for i in range(10):
        web.post("/account/signin", {"login": f"someone{i}", "password": "wrong-password-1"})
    response = web.post("/account/signin", {"login": "volunteer", "password": "volunteer-pass-123"})
    assert "_auth_user_id" not in web.session
    assert "Too many failed login attempts" in response.content.decode()


def test_too_many_sign_in_requests_get_a_429_page(web, volunteer, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip"}
    statuses = [
        web.post("/account/signin", {"login": "x", "password": "y"}).status_code for _ in range(4)
    ]
    assert statuses[-1] == 429
    assert (
        "Too many attempts"
        in web.post("/account/signin", {"login": "x", "password": "y"}).content.decode()
    )
