"""The accounts app keeps no tables of its own: it shows django-axes' records in Chinese."""

from axes.models import AccessAttempt


class Lockout(AccessAttempt):
    """Failed sign-ins per account and address, as the admin sees and lifts them."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "登录失败与锁定"
        ordering = ["-attempt_time"]
