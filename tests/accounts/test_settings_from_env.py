"""PYBOSSA's settings, read from the environment, become the right Django and allauth settings."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import load_settings


def test_email_confirmation_is_on_by_default_and_can_be_disabled():
    assert load_settings().ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    assert load_settings(ACCOUNT_CONFIRMATION_DISABLED="true").ACCOUNT_EMAIL_VERIFICATION == "none"


def test_spam_domains_are_read_as_a_lowercase_list():
    assert load_settings(SPAM="Spam.com, fake.es").SPAM == ["spam.com", "fake.es"]


def test_passwords_are_hashed_with_argon2():
    assert load_settings().PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sign_in_page_is_the_login_url():
    assert load_settings().LOGIN_URL == "/account/signin"


def test_social_providers_stay_off_without_credentials():
    probe = load_settings()
    assert probe.SOCIALACCOUNT_PROVIDERS == {}
    assert not [app for app in probe.INSTALLED_APPS if ".providers." in app]


@pytest.mark.parametrize(
    ("provider", "env"),
    [
        ("google", {"GOOGLE_CLIENT_ID": "id", "GOOGLE_CLIENT_SECRET": "s"}),
        ("twitter", {"TWITTER_CONSUMER_KEY": "id", "TWITTER_CONSUMER_SECRET": "s"}),
        ("facebook", {"FACEBOOK_APP_ID": "id", "FACEBOOK_APP_SECRET": "s"}),
        ("vk", {"VK_APP_ID": "id", "VK_APP_SECRET": "s"}),
    ],
)
def test_each_social_provider_is_switched_on_by_its_credentials(provider, env):
    probe = load_settings(**env)
    assert f"allauth.socialaccount.providers.{provider}" in probe.INSTALLED_APPS
    assert probe.SOCIALACCOUNT_PROVIDERS[provider]["APPS"][0]["client_id"] == "id"


def test_ldap_turns_off_local_accounts_and_maps_pybossa_fields():
    probe = load_settings(
        LDAP_HOST="ldap.example.org",
        LDAP_PYBOSSA_FIELDS="fullname=givenName,name=uid,email_addr=mail",
        LDAP_OBJECTS_DN="ou=people,dc=example,dc=org",
    )
    assert probe.AUTHENTICATION_BACKENDS == ["django_python3_ldap.auth.LDAPBackend"]
    assert probe.LDAP_AUTH_URL == ["ldap://ldap.example.org"]
    assert probe.LDAP_AUTH_USER_FIELDS == {
        "fullname": "givenName",
        "username": "uid",
        "email": "mail",
    }
    assert probe.LDAP_AUTH_SEARCH_BASE == "ou=people,dc=example,dc=org"


def test_theme_folder_must_hold_info_json(tmp_path):
    with pytest.raises(ValueError, match="info.json"):
        load_settings(THEME=str(tmp_path))
