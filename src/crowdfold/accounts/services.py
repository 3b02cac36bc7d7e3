"""Account state changes shared by the CLI, the API and the web."""

from __future__ import annotations

from django.db import transaction

from crowdfold.accounts.models import User, new_api_key


@transaction.atomic
def create_user(
    name: str, email: str, password: str | None = None, *, admin: bool = False, fullname: str = ""
) -> User:
    """Create a user. The first user ever created becomes an admin, as in PYBOSSA."""
    first = not User.objects.filter(restrict=False).exists()
    user = User(username=name, email=email, fullname=fullname or name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.is_superuser = user.is_staff = admin or first
    user.full_clean(exclude=["password"])
    user.save()
    return user


def regenerate_api_key(user: User) -> str:
    user.api_key = new_api_key()
    user.save(update_fields=["api_key"])
    return user.api_key


def set_admin(user: User, admin: bool) -> None:
    user.is_superuser = user.is_staff = admin
    user.save(update_fields=["is_superuser", "is_staff"])
