"""API tokens: a client trades a username and password for a bearer token (``POST /api/v1/auth/token``).

Only the SHA-256 digest of a token is stored, so a copy of the database does not give access;
a token lives ``settings.DUBAN_API_TOKEN_DAYS`` days from its creation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    key_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True, editable=False)
    created = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("过期时间", db_index=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user}（{self.created:%Y-%m-%d %H:%M}）"

    @classmethod
    def issue(cls, user, *, now=None) -> tuple[ApiToken, str]:
        """A new token for ``user``; the clear key is returned once and never stored."""
        now = now or timezone.now()
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, key_hash=digest(key), created=now,
            expires_at=now + dt.timedelta(days=settings.DUBAN_API_TOKEN_DAYS),
        )
        # A user's expired tokens are of no use to anyone: drop them when a new one is made.
        cls.objects.filter(user=user, expires_at__lte=now).delete()
        return token, key

    @classmethod
    def user_for(cls, key: str, *, now=None) -> tuple:
        """(user, token) for a live token of an active user, else (None, None); notes the use."""
        now = now or timezone.now()
        token = (
            cls.objects.select_related("user", "user__org", "user__unit")
            .filter(key_hash=digest(key), expires_at__gt=now).first()
        )
        if token is None or not token.user.is_active:
            return None, None
        # Write at most once a minute per token, not on every request.
        if token.last_used is None or now - token.last_used > dt.timedelta(minutes=1):
            cls.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token
