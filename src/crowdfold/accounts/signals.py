"""Keep the User row in step with allauth's e-mail records."""

from __future__ import annotations

from allauth.account.signals import email_changed, email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed)
def mark_email_valid(request, email_address, **kwargs) -> None:
    user = email_address.user
    if user.email.lower() == email_address.email.lower() and not user.valid_email:
        user.valid_email = True
        user.save(update_fields=["valid_email"])


@receiver(email_changed)
def adopt_new_email(request, user, from_email_address, to_email_address, **kwargs) -> None:
    user.email = to_email_address.email
    user.valid_email = to_email_address.verified
    user.save(update_fields=["email", "valid_email"])
