"""Second factor (TOTP through django-otp) with recovery codes (issue 8, point 4).

Required for the office head and administrators of an organisation that turns it on
(``Organization.require_two_factor``); anyone else may turn it on for themselves. One confirmed
authenticator per person; recovery codes are single-use (django-otp's static device).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.items.errors import DomainError
from duban.orgs.models import Role

AUTHENTICATOR = "身份验证器"
RECOVERY = "恢复码"
# What the session says about the second factor, set at login (receivers.py) so that the
# middleware reads the session instead of querying devices on every request.
SESSION_KEY = "duban_second_factor"
VERIFY, SET_UP = "verify", "set_up"


class SecondFactorError(DomainError):
    pass


def second_factor_required(user) -> bool:
    """The office head and administrators, where their organisation asks for it."""
    if not user.is_authenticated:
        return False
    in_scope = user.role in (Role.OFFICE_HEAD, Role.ADMIN) or user.is_superuser or user.is_staff
    return bool(in_scope and user.org_id and user.org.require_two_factor)


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_at_login(user) -> str | None:
    """What a person who just gave a right password still owes: a code, a set-up, or nothing."""
    if has_second_factor(user):
        return VERIFY
    if second_factor_required(user):
        return SET_UP
    return None


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device, kept until confirmed or replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def otpauth_uri(device: TOTPDevice) -> str:
    return device.config_url


def qr_svg(data: str) -> str:
    """The QR code as inline SVG, drawn on the server (no CDN, no script)."""
    import io

    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg"):]


def _clean(token: str) -> str:
    token = (token or "").strip().replace(" ", "").replace("-", "")
    if not token or len(token) > 16 or "\x00" in token:
        raise SecondFactorError("请输入验证码。")
    return token


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.DUBAN_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def confirm_authenticator(user, token: str) -> list[str]:
    """The person typed a code from the new authenticator: it is theirs from now on, any older one
    is dropped, and a fresh set of recovery codes is returned (shown once)."""
    token = _clean(token)
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise SecondFactorError("没有待确认的身份验证器，请重新开始设置。")
    if not device.verify_token(token):
        raise SecondFactorError("验证码不正确，请核对手机上的身份验证器后重新输入。")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    return _new_recovery_codes(user)


@transaction.atomic
def regenerate_recovery_codes(user, token: str) -> list[str]:
    if not has_second_factor(user):
        raise SecondFactorError("尚未启用两步验证。")
    device = verify(user, token)
    if not isinstance(device, TOTPDevice):
        raise SecondFactorError("请输入身份验证器上当前的验证码，不能用恢复码。")
    return _new_recovery_codes(user)


def verify(user, token: str):
    """The device that accepts ``token`` (an authenticator code, or a recovery code, which is then
    used up), else a Chinese error. django-otp slows down repeated wrong codes per device; a
    recovery code is tried on the recovery device only, so it does not slow the authenticator."""
    token = _clean(token)
    if token.isdigit() and len(token) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, name=RECOVERY, confirmed=True).first()
    if device is not None:
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
            raise SecondFactorError(f"验证码输错次数较多，请 {seconds} 秒后再试。")
    if device is None or not device.verify_token(token.lower() if isinstance(device, StaticDevice) else token):
        raise SecondFactorError("验证码不正确或已使用，请重新输入。")
    return device


@transaction.atomic
def turn_off(user, token: str) -> None:
    """A person turns their second factor off, proving it with a current code; not allowed where
    the organisation requires it for their role."""
    if second_factor_required(user):
        raise SecondFactorError("本单位要求督查室主任和系统管理员启用两步验证，不能关闭。")
    verify(user, token)
    reset(user)


def reset(user) -> None:
    """Remove every device of ``user`` (an administrator does this for a lost phone)."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


def second_factor_refusal(user, token: str | None) -> str | None:
    """Why a token request with a right password is still refused (API), or None."""
    if has_second_factor(user):
        if not token:
            return "已启用两步验证：请在 otp 中填写身份验证器上的验证码。"
        try:
            verify(user, token)
        except SecondFactorError as error:
            return error.message
        return None
    if second_factor_required(user):
        return "本单位要求您的角色启用两步验证：请先在网页“账号安全”中完成设置。"
    return None
