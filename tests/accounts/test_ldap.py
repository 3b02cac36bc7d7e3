"""LDAP sign-in against a real OpenLDAP slapd on a loopback port."""

from __future__ import annotations

import pytest
from django.test import override_settings

from crowdfold.accounts.models import User
from tests.accounts.conftest import load_settings
from tests.accounts.slapd_server import (
    ADMIN_DN,
    ADMIN_PASSWORD,
    BASE_DN,
    PEOPLE_DN,
    Slapd,
    ensure_slapd,
)

PEOPLE = [
    {
        "uid": "lena",
        "cn": "Lena Directory",
        "mail": "lena@example.org",
        "password": "lena-ldap-pass",
    },
    {
        "uid": "omar",
        "cn": "Omar Deep",
        "mail": "omar@example.org",
        "password": "omar-ldap-pass",
        "ou": "staff",
    },
]


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    ensure_slapd()
    server = Slapd(tmp_path_factory.mktemp("slapd"))
    server.start()
    try:
        server.seed(PEOPLE)
        yield server
    finally:
        server.stop()


LDAP_SETTING_NAMES = [
    "LDAP_HOST", "LDAP_BASE_DN", "LDAP_USERNAME", "LDAP_PASSWORD", "LDAP_OBJECTS_DN", "LDAP_OPENLDAP",
    "LDAP_USER_OBJECT_FILTER", "LDAP_USER_FILTER_FIELD", "LDAP_PYBOSSA_FIELDS", "AUTHENTICATION_BACKENDS",
    "ACCOUNT_LOGIN_METHODS", "ACCOUNT_EMAIL_VERIFICATION", "ACCOUNT_LOGIN_BY_CODE_REQUIRED",
]  # fmt: skip


@pytest.fixture
def ldap_mode(slapd):
    """Settings exactly as crowdfold/settings.py derives them from PYBOSSA's LDAP_* variables."""
    probe = load_settings(
        LDAP_HOST=slapd.url,
        LDAP_BASE_DN=BASE_DN,
        LDAP_USERNAME=ADMIN_DN,
        LDAP_PASSWORD=ADMIN_PASSWORD,
        LDAP_OBJECTS_DN=PEOPLE_DN,
        LDAP_OPENLDAP="true",
        LDAP_USER_OBJECT_FILTER="(&(objectClass=inetOrgPerson)(uid=%s))",
        LDAP_USER_FILTER_FIELD="uid",
        LDAP_PYBOSSA_FIELDS="fullname=cn,name=uid,email_addr=mail",
    )
    names = LDAP_SETTING_NAMES + [n for n in vars(probe) if n.startswith("LDAP_AUTH_")]
    with override_settings(**{name: getattr(probe, name) for name in names}):
        yield


def test_directory_person_signs_in_and_gets_a_local_account(web, admin, ldap_mode):
    response = web.post("/account/signin", {"login": "lena", "password": "lena-ldap-pass"})
    assert response.status_code == 302
    lena = User.objects.get(username="lena")
    assert web.session["_auth_user_id"] == str(lena.pk)
    assert (lena.fullname, lena.email) == ("Lena Directory", "lena@example.org")
    assert not lena.has_usable_password()


def test_person_in_a_nested_unit_is_found_by_the_search_filter(web, admin, ldap_mode):
    web.post("/account/signin", {"login": "omar", "password": "omar-ldap-pass"})
    assert web.session["_auth_user_id"] == str(User.objects.get(username="omar").pk)


def test_wrong_directory_password_is_refused(web, admin, ldap_mode):
    response = web.post("/account/signin", {"login": "lena", "password": "not-her-password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in web.session


def test_local_accounts_cannot_sign_in_when_ldap_is_on(web, volunteer, ldap_mode):
    web.post("/account/signin", {"login": "volunteer", "password": "volunteer-pass-123"})
    assert "_auth_user_id" not in web.session


def test_local_sign_up_is_closed_when_ldap_is_on(web, admin, ldap_mode):
    page = web.get("/account/register")
    assert "Sign Up Closed" in page.content.decode()
    web.post(
        "/account/register",
        {
            "username": "mallory",
            "email": "m@example.net",
            "password1": "pass-pass-pass-1",
            "password2": "pass-pass-pass-1",
        },
    )
    assert not User.objects.filter(username="mallory").exists()
