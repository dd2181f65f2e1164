from django.urls import path

from . import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("oidc/authenticate/", views.SSOStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views.SSOCallbackView.as_view(), name="oidc_authentication_callback"),
    path("audit/", views.audit_log, name="audit_log"),
]
