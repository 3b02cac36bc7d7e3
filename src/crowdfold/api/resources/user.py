"""``/api/user``: public profiles for everyone, the full row for oneself (and admins, minus the API
key). Nobody can create or delete users here (405), and a PUT changes only the whitelisted profile
fields: unlike PYBOSSA (§9.1) nobody makes themselves admin or reads another's secrets."""

from __future__ import annotations

from crowdfold.accounts import privacy
from crowdfold.accounts.models import User
from crowdfold.accounts.services import PROFILE_EDITABLE, update_profile
from crowdfold.api import openapi
from crowdfold.api.resources import values as v
from crowdfold.api.resources.base import Resource, Viewer
from crowdfold.api.resources.query import Column, private_criteria
from crowdfold.lib.errors import Forbidden
from crowdfold.lib.timefmt import iso

PRIVATE_FILTERS = {"email_addr"}


def user_dict(user: User, *, with_api_key: bool) -> dict:
    """The full row, for the user themself (``with_api_key``) or an admin. Never the password hash."""
    row = {
        "id": user.pk,
        "created": iso(user.date_joined),
        "name": user.username,
        "fullname": user.fullname,
        "email_addr": user.email,
        "locale": user.locale,
        "admin": user.is_superuser,
        "pro": user.pro,
        "privacy_mode": user.privacy_mode,
        "restrict": user.restrict,
        "valid_email": user.valid_email,
        "subscribed": user.subscribed,
        "consent": user.consent,
        "info": user.info,
    }
    if with_api_key:
        row["api_key"] = user.api_key
    return row


def public_user_dict(user: User, viewer_user=None) -> dict:
    """Others' view of a person: the profile page's rules (accounts.privacy), as JSON."""
    row = privacy.public_profile(viewer_user, user)
    if "created" in row:
        row["created"] = iso(row["created"])
    return row


class UserResource(Resource):
    name = "user"
    label = "User"
    row_schema = openapi.USER
    model = User
    columns = {
        "id": Column("id", "int"),
        "name": Column("username"),
        "fullname": Column("fullname"),
        "locale": Column("locale"),
        "created": Column("date_joined", "datetime"),
        "privacy_mode": Column("privacy_mode", "bool"),
        "info": Column("info", "json"),
        "email_addr": Column("email"),
    }
    reserved = frozenset()
    methods = frozenset()  # users register on the web; POST and DELETE answer 405
    writable = PROFILE_EDITABLE
    immutable = frozenset(
        {
            "id",
            "created",
            "email_addr",
            "api_key",
            "admin",
            "pro",
            "restrict",
            "valid_email",
            "consent",
            "passwd_hash",
        }
    )
    types = {
        "name": v.text(150),
        "fullname": v.text(255),
        "locale": v.text(16),
        "info": v.json_object,
        "privacy_mode": v.boolean,
        "subscribed": v.boolean,
    }

    # Restricted people and ENFORCE_PRIVACY: the same rule as the profile pages.
    def readable(self, qs, viewer: Viewer):
        return privacy.visible_people(viewer.user, qs)

    def can_read(self, obj: User, viewer: Viewer) -> bool:
        return privacy.can_view_profile(viewer.user, obj)

    def default_filters(self, qs, params, viewer: Viewer):
        if viewer.is_admin:
            return qs
        if PRIVATE_FILTERS & (params.filters.keys() | {params.orderby}):
            raise Forbidden("Only admins may search or sort users by e-mail", target=self.name)
        if private_criteria(params, privacy.public_info_keys()):
            # A filter, full-text search or sort on a private key would tell who has which value.
            raise Forbidden(
                "Only admins may search or sort users by private info", target=self.name
            )
        if {"fullname", "created"} & (params.filters.keys() | {params.orderby}):
            # Searching or sorting by private details only finds people who made them public.
            qs = qs.filter(privacy_mode=False)
        return qs

    def to_dict(self, obj: User, viewer: Viewer) -> dict:
        if obj.pk is not None and obj.pk == viewer.pk:
            return user_dict(obj, with_api_key=True)
        if viewer.is_admin:
            return user_dict(obj, with_api_key=False)
        return public_user_dict(obj, viewer.user)

    def stored_value(self, obj: User, key: str):
        return user_dict(obj, with_api_key=True).get(key)

    def links(self, request, obj):
        link, _ = super().links(request, obj)
        return link, []

    def show(self, request, obj, viewer: Viewer) -> dict:
        row = self.to_dict(obj, viewer)
        if "id" in row:  # the link names the id, which only the user and admins see
            row["link"], _ = self.links(request, obj)
        return row

    def check_update(self, obj: User, viewer: Viewer) -> None:
        if not (viewer.is_admin or obj.pk == viewer.pk):
            viewer.refuse("You may only change your own profile", self.name)

    def update(self, obj: User, data: dict, viewer: Viewer) -> User:
        return update_profile(obj, data)


resource = UserResource()
