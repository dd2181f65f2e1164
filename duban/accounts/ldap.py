"""Directory sign-in (LDAP / Active Directory) through django-auth-ldap (issue 8, point 4).

The directory checks the password; the person must already exist in Duban with the same username
(``AUTH_LDAP_NO_NEW_USERS``), so a directory account nobody set up here is refused. Imported only
where ``DUBAN_LDAP_SERVER_URI`` is set: python-ldap comes from requirements-ldap.txt.

Active Directory: DUBAN_LDAP_USER_FILTER=(sAMAccountName=%(user)s), a bind DN of a service
account, and ldaps:// or DUBAN_LDAP_START_TLS=1.
"""

from __future__ import annotations

import ldap
from django_auth_ldap.backend import LDAPBackend
from django_auth_ldap.config import LDAPSearch


def ldap_settings(env) -> dict:
    """AUTH_LDAP_* settings from DUBAN_LDAP_* environment variables."""
    attr_map = {}
    for pair in env.get("DUBAN_LDAP_ATTR_MAP", "").split(","):
        # e.g. full_name=displayName,phone=telephoneNumber
        if "=" in pair:
            field, attr = pair.split("=", 1)
            attr_map[field.strip()] = attr.strip()
    return {
        "AUTH_LDAP_SERVER_URI": env["DUBAN_LDAP_SERVER_URI"],
        "AUTH_LDAP_BIND_DN": env.get("DUBAN_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("DUBAN_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": env.get("DUBAN_LDAP_START_TLS", "0") == "1",
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            env.get("DUBAN_LDAP_USER_BASE", ""), ldap.SCOPE_SUBTREE,
            env.get("DUBAN_LDAP_USER_FILTER", "(uid=%(user)s)"),
        ),
        "AUTH_LDAP_NO_NEW_USERS": True,
        "AUTH_LDAP_USER_ATTR_MAP": attr_map,
        "AUTH_LDAP_ALWAYS_UPDATE_USER": bool(attr_map),
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: int(env.get("DUBAN_LDAP_TIMEOUT", 5)),
            ldap.OPT_REFERRALS: 0,  # Active Directory's referrals would need credentials of their own
        },
    }


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend; a directory that cannot be reached means "not signed in here"
    (the password form then says 用户名或密码不正确), never a 500."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except ldap.LDAPError:
            return None
