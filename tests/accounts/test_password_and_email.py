"""Password reset by a signed, expiring link; change of password and of e-mail address."""

from __future__ import annotations

from django.core import mail

from crowdfold.accounts.models import User
from tests.accounts.conftest import last_link, load_settings


def signed_in(web, user, password):
    web.post("/account/signin", {"login": user.username, "password": password})
    assert web.session["_auth_user_id"] == str(user.pk)
    return web


def test_password_reset_link_sets_a_new_password(web, volunteer):
    response = web.post("/account/forgot-password", {"email": "volunteer@example.org"})
    assert response.status_code == 302
    link = last_link("/account/password/reset/key/")
    form_page = web.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = web.post(
        set_url, {"password1": "brand-new-pass-77", "password2": "brand-new-pass-77"}
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password("brand-new-pass-77")


def test_password_reset_link_expires(web, volunteer, settings):
    web.post("/account/forgot-password", {"email": "volunteer@example.org"})
    link = last_link("/account/password/reset/key/")
    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is now older than the limit
    page = web.get(link, follow=True).content.decode()
    assert "Bad Token" in page


def test_reset_links_expire_after_three_hours_by_default():
    assert load_settings().PASSWORD_RESET_TIMEOUT == 3 * 3600


def test_signed_in_volunteer_changes_their_password(web, volunteer):
    signed_in(web, volunteer, "volunteer-pass-123")
    response = web.post(
        "/account/password/change/",
        {
            "oldpassword": "volunteer-pass-123",
            "password1": "another-pass-88",
            "password2": "another-pass-88",
        },
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password("another-pass-88")


def test_email_change_takes_effect_once_the_new_address_is_confirmed(web, volunteer):
    signed_in(web, volunteer, "volunteer-pass-123")
    response = web.post("/account/email/", {"action_add": "", "email": "new-home@example.net"})
    assert response.status_code == 302
    assert User.objects.get(pk=volunteer.pk).email == "volunteer@example.org"
    assert mail.outbox[-1].to == ["new-home@example.net"]
    web.post(last_link("/account/confirm-email/"))
    volunteer.refresh_from_db()
    assert volunteer.email == "new-home@example.net"
    assert volunteer.valid_email is True
