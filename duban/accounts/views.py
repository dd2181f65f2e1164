"""Pages of one's own account: sign-in, second factor, password; and the audit page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from mozilla_django_oidc import views as oidc_views

from . import audit, twofactor
from .backends import SSO_FAILURES
from .forms import ChinesePasswordChangeForm, CodeForm


def _next(request, default="worklist") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return reverse(default)


class LoginView(auth_views.LoginView):
    """The password form, plus the organisation's identity provider where one is configured."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.DUBAN_OIDC_ENABLED
        context["sso_label"] = settings.DUBAN_OIDC_LABEL
        context["sso_error"] = SSO_FAILURES.get(self.request.GET.get("sso", ""))
        return context


# --- second factor -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """After the password: the code from the authenticator, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_verified() or not twofactor.has_second_factor(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.verify(request.user, form.cleaned_data["code"])
        except twofactor.SecondFactorError as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            request.session.pop(twofactor.SESSION_KEY, None)
            if device.name == twofactor.RECOVERY:
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(request, f"已使用一个恢复码，还剩 {left} 个。恢复码用完前请在“账号安全”中重新生成。")
            return redirect(_next(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan the QR code (or type the key) into an authenticator app, then confirm with a code."""
    if not request.user.is_authenticated:
        return redirect("login")
    user = request.user
    if twofactor.has_second_factor(user) and not user.is_verified():
        return redirect("two_factor_verify")
    device = twofactor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.confirm_authenticator(user, form.cleaned_data["code"])
        except twofactor.SecondFactorError as error:
            form.add_error("code", error.message)
        else:
            device.refresh_from_db()
            otp_login(request, device)
            request.session.pop(twofactor.SESSION_KEY, None)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": True})
    uri = twofactor.otpauth_uri(device)
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": twofactor.qr_svg(uri), "uri": uri,
        "secret": _base32(device), "required": twofactor.second_factor_required(user),
    })


def _base32(device) -> str:
    import base64

    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """账号安全: password, second factor on/off, recovery codes."""
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "turn_off":
                twofactor.turn_off(user, form.cleaned_data["code"])
                messages.success(request, "已关闭两步验证。")
                return redirect("account")
            if action == "recovery_codes":
                codes = twofactor.regenerate_recovery_codes(user, form.cleaned_data["code"])
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": False})
            form.add_error(None, "未知的操作。")
        except twofactor.SecondFactorError as error:
            form.add_error("code", error.message)
    return render(request, "accounts/account.html", {
        "form": form,
        "has_second_factor": twofactor.has_second_factor(user),
        "required": twofactor.second_factor_required(user),
        "recovery_left": twofactor.recovery_codes_left(user),
    })


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password keeps this session and ends every other one and every API token."""

    form_class = ChinesePasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改。您在其他设备上的登录和全部接口令牌已失效。")
        return response


# --- identity provider -----------------------------------------------------------------------------

class SSOStartView(oidc_views.OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        if not settings.DUBAN_OIDC_ENABLED:
            raise Http404
        super().__init__(*args, **kwargs)


class SSOCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider's answer; a refusal goes back to the login page with a reason in Chinese."""

    def get(self, request):
        if not settings.DUBAN_OIDC_ENABLED:
            raise Http404
        return super().get(request)

    def login_failure(self):
        code = getattr(self.request, "duban_sso_failure", None) or "failed"
        return redirect(reverse("login") + f"?sso={code}")


# --- audit -----------------------------------------------------------------------------------------

@login_required
def audit_log(request):
    """配置变更记录: who changed which rule, ladder step, unit or person, and how (issue 8, point 6)."""
    if not audit.can_read(request.user):
        raise PermissionDenied("只有督查室主任和系统管理员可以查看配置变更记录。")
    kind = request.GET.get("kind", "")
    if kind and kind not in audit.KINDS:
        kind = ""
    page = Paginator(audit.EntryList(request.user, kind=kind or None), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit.html", {
        "page": page, "entries": audit.describe(page.object_list), "kinds": [(k, model._meta.verbose_name) for k, (model, _) in audit.KINDS.items()], "kind": kind,
    })
