"""Authentication backends: the lockout gate and the organisation's own accounts (OpenID Connect,
LDAP / Active Directory). None of them ever creates a person: an account the organisation has not
set up in Duban is refused with a Chinese message (issue 8, point 4)."""

from __future__ import annotations

import logging

import requests
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

log = logging.getLogger(__name__)

# Why a sign-in through the identity provider failed, as shown on the login page (?sso=<code>).
SSO_FAILURES = {
    "unknown": "统一身份认证账号在本系统中没有对应的人员，请联系系统管理员开通后再登录。",
    "inactive": "该人员已停用，不能登录。",
    "ambiguous": "统一身份认证账号对应本系统中多名人员，请联系系统管理员处理。",
    "unavailable": "暂时无法连接统一身份认证服务，请稍后再试或使用用户名和密码登录。",
    "failed": "统一身份认证未完成，请重新登录。",
}


class PeopleBackend(ModelBackend):
    """Username and password, as Django's ModelBackend. The signed-in person is read with their
    organisation and unit, which every page's header shows, and with the unit of the upper
    organisation that stands for that organisation (``acting_for`` reads it): three queries fewer
    per page."""

    def get_user(self, user_id):
        # By its key, without first()'s ORDER BY, which Django compiles over the 60 columns read.
        found = list(get_user_model()._default_manager.select_related("org", "unit", "org__upper_unit")
                     .filter(pk=user_id).order_by()[:1])
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' gate, for sign-ins that come with a request (the login page, the token
    endpoint, the identity provider's callback). A call without a request (the test client's
    ``login()``, management commands) is not a guess from the network and is not counted."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """OpenID Connect (mozilla-django-oidc): the claim ``DUBAN_OIDC_CLAIM`` of the provider's user
    names the person by ``User.<DUBAN_OIDC_USER_FIELD>``; nobody unknown gets in."""

    def fail(self, code: str):
        if getattr(self, "request", None) is not None:
            self.request.duban_sso_failure = code
        return None

    def describe_user_by_claims(self, claims):
        return f"{settings.DUBAN_OIDC_CLAIM}={claims.get(settings.DUBAN_OIDC_CLAIM)!r}"

    def verify_claims(self, claims):
        # The default checks for an e-mail address; the person is found by the configured claim.
        return bool(claims.get(settings.DUBAN_OIDC_CLAIM))

    def filter_users_by_claims(self, claims):
        value = claims.get(settings.DUBAN_OIDC_CLAIM)
        if not value or not isinstance(value, str):
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(**{settings.DUBAN_OIDC_USER_FIELD: value})

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is False; kept as a guard
        return self.fail("unknown")

    def update_user(self, user, claims):
        return user  # the organisation's people are kept in Duban, not overwritten from claims

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(user_info):
            log.warning("OIDC sign-in without the claim %s", settings.DUBAN_OIDC_CLAIM)
            return self.fail("unknown")
        users = list(self.filter_users_by_claims(user_info)[:2])
        if not users:
            log.warning("OIDC sign-in refused: no person with %s", self.describe_user_by_claims(user_info))
            return self.fail("unknown")
        if len(users) > 1:
            return self.fail("ambiguous")
        if not users[0].is_active:
            return self.fail("inactive")
        return users[0]

    def authenticate(self, request, **kwargs):
        try:
            user = super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            log.warning("OIDC provider unreachable: %s", error)
            return self.fail("unavailable")
        if user is None and request is not None and not getattr(request, "duban_sso_failure", None) \
                and request.GET.get("code"):
            request.duban_sso_failure = "failed"
        return user
