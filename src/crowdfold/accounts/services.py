"""Account state changes shared by the CLI, the API and the web."""

from __future__ import annotations

import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import CharField, ProtectedError, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from crowdfold.accounts.models import User, new_api_key
from crowdfold.lib.errors import DomainError


@transaction.atomic
def create_user(
    name: str, email: str, password: str | None = None, *, admin: bool = False, fullname: str = ""
) -> User:
    """Create a user. The first user ever created becomes an admin, as in PYBOSSA.

    Accounts made here (CLI, fixtures, admin) are trusted: their address counts as confirmed.
    """
    from allauth.account.models import EmailAddress

    first = not User.objects.filter(restrict=False).exists()
    user = User(
        username=name, email=email, fullname=fullname or name, valid_email=True, consent=True
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.is_superuser = user.is_staff = admin or first
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def regenerate_api_key(user: User) -> str:
    """Give the user a new API key; the old one stops working at once."""
    user.api_key = new_api_key()
    user.save(update_fields=["api_key"])
    return user.api_key


def set_admin(user: User, admin: bool) -> None:
    """Grant or revoke admin rights (Django's superuser and staff flags together)."""
    user.is_superuser = user.is_staff = admin
    user.save(update_fields=["is_superuser", "is_staff"])


def set_avatar(user: User, png: bytes) -> str:
    """Store a checked, resized picture as the user's avatar, PYBOSSA style (info.avatar, container)."""
    from crowdfold.ops.uploads import delete_upload, save_upload

    container = f"user_{user.pk}"
    old = (user.info or {}).get("avatar")
    stored = save_upload(png, "avatar.png", folder=container)
    if old and (user.info or {}).get("container") == container:
        delete_upload(f"{container}/{old}")
    user.info = {
        **(user.info or {}),
        "avatar": stored.name.rsplit("/", 1)[-1],
        "container": container,
        "avatar_url": stored.url,
    }
    user.save(update_fields=["info"])
    return stored.url


# --- GDPR -----------------------------------------------------------------------------------------

PROFILE_FIELDS = [
    "id", "username", "fullname", "email", "locale", "info", "privacy_mode", "restrict", "consent",
    "valid_email", "subscribed", "pro", "is_superuser", "date_joined", "last_login", "api_key",
]  # fmt: skip


def export_user_data(user: User) -> bytes:
    """Everything we hold about a person, as a zip of JSON files (GDPR right of access)."""
    from allauth.account.models import EmailAddress

    from crowdfold.projects.models import Project
    from crowdfold.tasks.models import TaskRun

    profile = {field: getattr(user, field) for field in PROFILE_FIELDS}
    profile["name"] = profile.pop("username")
    profile["admin"] = profile.pop("is_superuser")
    parts = {
        "user.json": profile,
        "email_addresses.json": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "task_runs.json": list(
            TaskRun.objects.filter(user=user).values(
                "id", "project_id", "task_id", "info", "created", "finish_time", "media_url"
            )
        ),
        "projects.json": list(
            Project.objects.filter(Q(owner=user) | Q(owners=user))
            .distinct()
            .values("id", "short_name", "name", "description", "created", "published")
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(
                name, json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            )
    return buffer.getvalue()


class AccountDeletionRefused(DomainError):
    status_code = 409
    exception_cls = "AccountDeletionRefused"


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase a person (GDPR): their personal data goes, their answers stay, unlinked from them.

    Each answer's ``contributor_key`` becomes ``deleted:<answer id>``: unique, so the one-answer-per-
    person constraint still holds, and unrelated to the person or to their other answers.
    """
    from crowdfold.projects.models import Project
    from crowdfold.tasks.models import TaskReservation, TaskRun, TaskSkip
    from crowdfold.tasks.scheduling import _release

    created = list(Project.objects.filter(owner=user).values_list("short_name", flat=True))
    if created:
        raise AccountDeletionRefused(
            _("Transfer or delete your projects first: %(projects)s")
            % {"projects": ", ".join(sorted(created))}
        )
    key = f"u:{user.pk}"
    TaskRun.objects.filter(user=user).update(
        user=None, user_ip=None,
        contributor_key=Concat(Value("deleted:"), Cast("id", output_field=CharField())),
    )  # fmt: skip
    _release(TaskReservation.objects.filter(contributor_key=key))  # gives the slots back
    TaskSkip.objects.filter(contributor_key=key).delete()
    container = f"user_{user.pk}"
    avatar = (user.info or {}).get("avatar")
    try:
        user.delete()
    except ProtectedError as exc:
        raise AccountDeletionRefused(
            _("Your account is still referenced elsewhere; please contact an administrator.")
        ) from exc
    if avatar and default_storage.exists(f"{container}/{avatar}"):
        default_storage.delete(f"{container}/{avatar}")


# What a person may change about themselves through the API. Never admin, pro, api_key, restrict,
# email or password: PYBOSSA accepted any column here (§9.1), which let anyone make themselves admin.
PROFILE_EDITABLE = frozenset({"name", "fullname", "locale", "info", "privacy_mode", "subscribed"})


@transaction.atomic
def _check_new_name(user: User) -> None:
    """Sign-up's rules for a name chosen later: not reserved (``admin``, page names) and unique
    whatever the case, since people sign in by name case-insensitively."""
    from django.conf import settings

    from crowdfold.lib.errors import IntegrityFailure, InvalidValue

    reserved = {name.lower() for name in settings.ACCOUNT_USERNAME_BLACKLIST}
    if str(user.username).lower() in reserved:
        raise InvalidValue(f"The name {user.username!r} is reserved", target="user")
    if User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists():
        raise IntegrityFailure(
            "duplicate key value violates unique constraint: name", target="user"
        )


def update_profile(user: User, changes: dict) -> User:
    """Apply whitelisted profile edits; a taken or invalid name is refused."""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    from crowdfold.lib.errors import IntegrityFailure, InvalidKey, InvalidValue

    unknown = set(changes) - PROFILE_EDITABLE
    if unknown:
        raise InvalidKey(f"Cannot change {', '.join(sorted(unknown))}", target="user")
    for key, value in changes.items():
        setattr(user, "username" if key == "name" else key, value)
    if "name" in changes:
        _check_new_name(user)
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as exc:
        raise InvalidValue("; ".join(exc.messages), target="user") from exc
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise IntegrityFailure(
            f"duplicate key value violates unique constraint: {exc}", target="user"
        ) from exc
    return user
