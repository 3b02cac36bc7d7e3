"""Sign-up, e-mail confirmation, consent and spam domains, through HTTP."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core import mail

from crowdfold.accounts.models import User
from tests.accounts.conftest import last_link, signup


def test_signup_page_asks_for_name_full_name_email_password_and_consent(web, db):
    page = web.get("/account/register").content.decode()
    for field in (
        'name="username"',
        'name="fullname"',
        'name="email"',
        'name="password1"',
        'name="consent"',
    ):
        assert field in page


def test_signup_stores_consent_full_name_and_an_argon2_password(web, admin):
    response = signup(web)
    assert response.status_code == 302
    carol = User.objects.get(username="carol")
    assert carol.consent is True
    assert carol.fullname == "Carol Example"
    assert carol.password.startswith("argon2")


def test_signup_without_consent_is_refused(web, admin):
    response = signup(web, consent=False)
    assert response.status_code == 200
    assert not User.objects.filter(username="carol").exists()
    assert "This field is required." in response.content.decode()


def test_new_account_must_confirm_email_before_signing_in(web, admin):
    signup(web)
    assert len(mail.outbox) == 1
    assert "carol@example.net" in mail.outbox[0].to
    response = web.post("/account/signin", {"login": "carol", "password": "very-long-pass-42"})
    assert response.status_code == 302
    assert response.url == "/account/confirm-email/"
    assert "_auth_user_id" not in web.session


def test_following_the_confirmation_link_confirms_and_signs_in(web, admin):
    signup(web)
    link = last_link("/account/confirm-email/")
    assert web.get(link).status_code == 200  # a page with a button: link previews must not confirm
    response = web.post(link)
    assert response.status_code == 302
    carol = User.objects.get(username="carol")
    assert EmailAddress.objects.get(user=carol).verified
    assert carol.valid_email is True
    assert web.get("/account/profile").status_code == 302
    assert web.session["_auth_user_id"] == str(carol.pk)


def test_confirmation_can_be_switched_off(web, admin, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    signup(web)
    assert web.session.get("_auth_user_id") == str(User.objects.get(username="carol").pk)


def test_signup_from_a_spam_domain_is_refused_with_a_clear_message(web, admin, settings):
    settings.SPAM = ["spam.com", "fake.es"]
    response = signup(web, email="carol@Spam.com")
    assert response.status_code == 200
    assert (
        "Sign-ups with e-mail addresses at spam.com are not accepted" in response.content.decode()
    )
    assert not User.objects.filter(username="carol").exists()


def test_names_that_would_shadow_account_pages_are_refused(web, admin):
    response = signup(web, name="signin")
    assert response.status_code == 200
    assert not User.objects.filter(username="signin").exists()
