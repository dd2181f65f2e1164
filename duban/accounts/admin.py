from __future__ import annotations

import datetime as dt

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone

from duban.orgs.admin import UserAdmin as OrgsUserAdmin
from duban.orgs.models import User

from . import twofactor
from .models import Lockout


@admin.register(Lockout)
class LockoutAdmin(admin.ModelAdmin):
    """Who failed to sign in, from where, how often; 解除锁定 lets them try again at once."""

    list_display = ["when", "account", "address", "failures", "state", "door"]
    search_fields = ["username", "ip_address"]
    actions = ["lift"]
    list_display_links = None

    @admin.display(description="最近失败时间", ordering="attempt_time")
    def when(self, obj):
        return timezone.localtime(obj.attempt_time).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description="账号", ordering="username")
    def account(self, obj):
        return obj.username or "—"

    @admin.display(description="地址", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address or "—"

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="状态")
    def state(self, obj):
        cool_off = get_cool_off() or dt.timedelta(minutes=settings.DUBAN_LOCKOUT_MINUTES)
        ends = obj.attempt_time + cool_off
        if obj.failures_since_start >= settings.AXES_FAILURE_LIMIT and ends > timezone.now():
            return f"锁定中，{timezone.localtime(ends):%H:%M} 自动解除"
        return "未锁定"

    @admin.display(description="登录入口")
    def door(self, obj):
        return "接口令牌" if obj.path_info.startswith("/api/") else "登录页面"

    @admin.action(description="解除锁定（清除所选记录的失败次数）")
    def lift(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"已解除 {count} 条锁定记录。", messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(OrgsUserAdmin):
    """The people's admin, plus resetting a lost authenticator."""

    actions = [*OrgsUserAdmin.actions, "reset_second_factor"] if OrgsUserAdmin.actions else ["reset_second_factor"]

    @admin.action(description="重置两步验证（手机丢失时使用，下次登录重新设置）")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            twofactor.reset(user)
        self.message_user(request, f"已重置 {queryset.count()} 人的两步验证。", messages.SUCCESS)


# django-otp's own admin pages are in English and show secrets; the action above is the
# administrator's one need (a lost phone), so they are left out.
def _hide_otp_admin():
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_hide_otp_admin()
