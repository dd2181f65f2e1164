"""Bearer tokens: ``Authorization: Bearer <token>`` on every request but the token request itself."""

from __future__ import annotations

from django.contrib.auth import authenticate
from ninja import Router, Status
from ninja.security import HttpBearer

from duban.accounts.twofactor import second_factor_refusal

from .errors import BAD_CREDENTIALS, Error, errors
from .models import ApiToken
from .schemas import TokenIn, TokenOut


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        if not token or len(token) > 200:
            return None
        user, api_token = ApiToken.user_for(token)
        if user is None:
            return None
        request.user = user
        request.api_token = api_token
        return user


router = Router(tags=["认证"])


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: Error, **errors(400, 413, 429)},
             summary="用用户名和密码换取令牌")
def obtain_token(request, credentials: TokenIn):
    """令牌在 `DUBAN_API_TOKEN_DAYS` 天后过期；服务器只保存令牌的 SHA-256 摘要，令牌只在此返回一次。

    同一账号或同一地址连续失败 `DUBAN_LOCKOUT_FAILURES` 次后暂停 `DUBAN_LOCKOUT_MINUTES` 分钟，
    期间返回 429 和 `Retry-After`（秒）。已启用两步验证的用户须同时提交 `otp`。"""
    # The request goes to authenticate() so that django-axes counts failures here as on the page.
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        return Status(401, {"detail": BAD_CREDENTIALS, "field": None})
    refusal = second_factor_refusal(user, credentials.otp)
    if refusal:
        return Status(401, {"detail": refusal, "field": "otp"})
    token, key = ApiToken.issue(user)
    return {"token": key, "expires_at": token.expires_at}


@router.delete("/auth/token", response={204: None, **errors(401)}, summary="注销当前令牌")
def revoke_token(request):
    request.api_token.delete()
    return Status(204, None)
