"""How allauth treats Crowdfold's people: spam domains, LDAP-only mode, the mailed second factor."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # With LDAP the directory is the only source of accounts (PYBOSSA's rule).
        return not settings.LDAP_HOST

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        domain = email_domain(email)
        if domain in settings.SPAM:
            raise forms.ValidationError(
                _(
                    "Sign-ups with e-mail addresses at %(domain)s are not accepted. Please use another address."
                )
                % {"domain": domain}
            )
        return email

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Mails greet from the BRAND, not from the host name the request came in on.
        site = {"name": settings.BRAND, "domain": self.request.get_host() if self.request else ""}
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def is_login_by_code_required(self, login) -> bool:
        # ENABLE_TWO_FACTOR_AUTH: a code mailed after the password (allauth's login-by-code stage).
        if settings.ENABLE_TWO_FACTOR_AUTH and not settings.LDAP_HOST:
            return super().is_login_by_code_required(login) or _signed_in_by_password(
                self.request, login
            )
        return super().is_login_by_code_required(login)


def _signed_in_by_password(request, login) -> bool:
    from allauth.account.internal.flows.login import get_authentication_records

    records = get_authentication_records(request, login.user)
    return bool(records) and records[-1]["method"] == "password"
