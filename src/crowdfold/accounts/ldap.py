"""LDAP sign-in glue for django-python3-ldap, shaped by PYBOSSA's LDAP_* settings.

PYBOSSA binds with the service account, searches for the person with LDAP_USER_OBJECT_FILTER and then
binds as the entry it found. django-python3-ldap binds as a DN it formats from the login name, so the
formatter below does PYBOSSA's search first: people may then live anywhere under LDAP_OBJECTS_DN.
"""

from __future__ import annotations

import ldap3
from django.conf import settings
from ldap3.utils.conv import escape_filter_chars


def _user_filter(value: str) -> str:
    custom = settings.LDAP_USER_OBJECT_FILTER
    escaped = escape_filter_chars(value)
    if custom.startswith("("):
        # PYBOSSA style: a whole filter with %s where the login goes.
        return (
            custom % escaped
            if "%s" in custom
            else f"(&{custom}({settings.LDAP_USER_FILTER_FIELD}={escaped}))"
        )
    return f"(&(objectClass={custom})({settings.LDAP_USER_FILTER_FIELD}={escaped}))"


def format_search_filters(ldap_fields: dict) -> list[str]:
    """Search filters for django-python3-ldap: PYBOSSA's object filter plus the lookup field."""
    value = ldap_fields.get(settings.LDAP_AUTH_USER_FIELDS["username"])
    if value is not None:
        return [_user_filter(value)]
    custom = settings.LDAP_USER_OBJECT_FILTER  # listing everyone (ldap_sync_users)
    return [] if custom.startswith("(") else [f"(objectClass={custom})"]


def find_user_dn(login: str) -> str | None:
    """The DN of the directory entry for ``login``, searched with the service account."""
    server = ldap3.Server(settings.LDAP_AUTH_URL[0], get_info=ldap3.NONE, connect_timeout=5)
    with ldap3.Connection(
        server,
        user=settings.LDAP_USERNAME or None,
        password=settings.LDAP_PASSWORD or None,
        auto_bind=True,
        receive_timeout=10,
    ) as conn:
        conn.search(
            settings.LDAP_AUTH_SEARCH_BASE, _user_filter(login), ldap3.SUBTREE, size_limit=1
        )
        return conn.entries[0].entry_dn if conn.entries else None


def format_username_openldap(model_fields: dict) -> str:
    """The DN to bind as: the service account's DN as given, a person's DN as found by search."""
    login = str(next(iter(model_fields.values())))
    if "=" in login:  # already a DN (the service account)
        return login
    try:
        dn = find_user_dn(login)
    except ldap3.core.exceptions.LDAPException:
        dn = None
    # An unknown login gets a DN that cannot bind, so the sign-in fails like a wrong password.
    return (
        dn
        or f"{settings.LDAP_USER_FILTER_FIELD}={escape_filter_chars(login)},{settings.LDAP_AUTH_SEARCH_BASE}"
    )


def clean_user_data(fields: dict) -> dict:
    """E-mail is unique here; directory entries without one get a non-deliverable placeholder."""
    if not fields.get("email"):
        fields["email"] = f"{fields.get('username', 'ldap-user')}@ldap.invalid"
    fields.setdefault("fullname", fields.get("username", ""))
    return fields
