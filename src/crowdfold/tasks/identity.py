"""Who is contributing: a registered user, an external user (JWT flow) or an anonymous address."""

from __future__ import annotations

from dataclasses import dataclass

from crowdfold.lib.anonymize import anonymize_ip, client_ip


@dataclass(frozen=True)
class Contributor:
    user: object | None = None  # accounts.User when registered
    user_ip: str | None = None  # anonymised address when anonymous
    external_uid: str | None = None

    @property
    def key(self) -> str:
        if self.external_uid is not None:
            return f"x:{self.external_uid}"
        if self.user is not None:
            return f"u:{self.user.pk}"
        return f"ip:{self.user_ip}"

    @property
    def is_anonymous(self) -> bool:
        """External users count as anonymous for ``allow_anonymous_contributors`` (PYBOSSA #1914)."""
        return self.user is None or self.external_uid is not None

    def run_fields(self) -> dict:
        """The identity columns of a task run for this contributor."""
        if self.external_uid is not None:
            return {"user": None, "user_ip": None, "external_uid": self.external_uid}
        if self.user is not None:
            return {"user": self.user, "user_ip": None, "external_uid": None}
        return {"user": None, "user_ip": self.user_ip, "external_uid": None}


def contributor_for(request, user=None, external_uid: str | None = None) -> Contributor:
    if external_uid:
        return Contributor(external_uid=str(external_uid))
    if user is not None and user.is_authenticated:
        return Contributor(user=user)
    return Contributor(user_ip=anonymize_ip(client_ip(request)))
