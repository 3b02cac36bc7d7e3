"""ENABLE_TWO_FACTOR_AUTH: after the password, a code is mailed and must be entered."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.accounts.conftest import last_code


@pytest.fixture
def two_factor(settings):
    settings.ENABLE_TWO_FACTOR_AUTH = True


def sign_in(web):
    return web.post("/account/signin", {"login": "volunteer", "password": "volunteer-pass-123"})


def test_password_alone_does_not_sign_in_when_two_factor_is_on(web, volunteer, two_factor):
    response = sign_in(web)
    assert response.status_code == 302
    assert response.url == "/account/login/code/confirm/"
    assert "_auth_user_id" not in web.session
    assert mail.outbox[-1].to == ["volunteer@example.org"]


def test_the_mailed_code_completes_the_sign_in(web, volunteer, two_factor):
    sign_in(web)
    response = web.post("/account/login/code/confirm/", {"code": last_code()})
    assert response.status_code == 302
    assert web.session["_auth_user_id"] == str(volunteer.pk)


def test_a_wrong_code_is_refused(web, volunteer, two_factor):
    sign_in(web)
    code = last_code()
    wrong = "AAAAAA" if code != "AAAAAA" else "BBBBBB"
    response = web.post("/account/login/code/confirm/", {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in web.session


def test_no_code_is_asked_when_two_factor_is_off(web, volunteer):
    response = sign_in(web)
    assert response.status_code == 302
    assert web.session["_auth_user_id"] == str(volunteer.pk)
    assert mail.outbox == []


def test_the_env_setting_turns_on_allauths_code_stage():
    from tests.accounts.conftest import load_settings

    assert load_settings(ENABLE_TWO_FACTOR_AUTH="true").ACCOUNT_LOGIN_BY_CODE_REQUIRED == {
        "password"
    }
    assert load_settings(ENABLE_TWO_FACTOR_AUTH="false").ACCOUNT_LOGIN_BY_CODE_REQUIRED is False
