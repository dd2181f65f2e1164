"""Reactions to sign-in events: what a password change ends, what a login still owes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from duban.api.models import ApiToken

from . import twofactor

User = get_user_model()


def _password_changed(user) -> bool:
    # set_password() keeps the new raw password on the instance until save(); Django's re-hash
    # at login clears it before saving, so a re-hash is not taken for a change.
    return user.pk is not None and getattr(user, "_password", None) is not None


@receiver(pre_save, sender=User)
def _name_the_password_change(sender, instance, **kwargs):
    if _password_changed(instance) and not kwargs.get("raw"):
        instance._change_reason = "修改密码"


@receiver(post_save, sender=User)
def _revoke_on_password_change(sender, instance, created, **kwargs):
    """A changed password ends the person's API tokens (issue 8, point 3). Their other sessions end
    by themselves: Django checks each session's copy of the password hash on every request, and
    the page that changed it keeps only its own session (update_session_auth_hash)."""
    if created or kwargs.get("raw") or not _password_changed(instance):
        return
    ApiToken.objects.filter(user=instance).delete()


@receiver(user_logged_in)
def _note_second_factor_owed(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    state = twofactor.state_at_login(user)
    if state and not getattr(user, "otp_device", None):
        request.session[twofactor.SESSION_KEY] = state
    else:
        request.session.pop(twofactor.SESSION_KEY, None)
