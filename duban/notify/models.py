"""Notifications (issue 3, point 5): the in-app inbox, each person's channels, the units' group
robots, and one delivery row per notification and outside channel.

The inbox row is the notification; email, SMS and robot posts are ``Delivery`` rows worked off by
the queue (``delivery.py``), retried with backoff and visible to admins. Sending never happens in
the transaction that creates a notification, so a slow or broken channel never holds up the
ladder.
"""

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from duban.orgs.models import Unit


class Notification(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", "到期提醒"
        EXPLANATION_DUE = "explanation_due", "要求报送情况说明"
        URGE_NOTICE = "urge_notice", "催办单"
        SUPERVISION_ORDER = "supervision_order", "督办令"
        REPORT_DUE = "report_due", "定期报告提醒"
        REPORT_MISSING = "report_missing", "定期报告缺报"
        DEADLINE_CHANGED = "deadline_changed", "时限变更"
        OTHER = "other", "其他"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    item = models.ForeignKey(
        "items.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
        verbose_name="督查事项",
    )
    url = models.CharField("链接", max_length=500, blank=True, help_text="站内地址；留空时指向督查事项")
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def target_url(self) -> str:
        """Where clicking the notification leads: its own link, else its item's page."""
        if self.url:
            return self.url
        if self.item_id:
            try:
                return reverse("item_detail", args=[self.item_id])
            except NoReverseMatch:
                pass
        return ""


class ChannelPreference(models.Model):
    """Which outside channels a person wants; the inbox is always on. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference", verbose_name="人员"
    )
    email = models.BooleanField("邮件", default=True, help_text="每条消息发一封邮件到您登记的邮箱")
    sms = models.BooleanField("短信", default=False, help_text="发送到您登记的电话")
    webhook = models.BooleanField(
        "单位群机器人", default=False, help_text="通过本单位配置的企业微信、钉钉或飞书群机器人推送到工作群"
    )
    daily_digest = models.BooleanField(
        "每日汇总", default=False, help_text="不再逐条发邮件，改为每天 8:00 发一封汇总邮件，列出最近一天的未读消息"
    )
    digest_sent_on = models.DateField("最近汇总日期", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "通知方式"

    def __str__(self):
        return str(self.user)


class UnitWebhook(models.Model):
    """A unit's group robot (群机器人) in WeCom, DingTalk or Feishu."""

    class Kind(models.TextChoices):
        WECOM = "wecom", "企业微信"
        DINGTALK = "dingtalk", "钉钉"
        FEISHU = "feishu", "飞书"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="webhooks", verbose_name="单位")
    kind = models.CharField("平台", max_length=20, choices=Kind.choices)
    url = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField(
        "加签密钥", max_length=200, blank=True, help_text="钉钉、飞书机器人开启“加签”安全设置时填写；企业微信不需要"
    )
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位群机器人"

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"


class Delivery(models.Model):
    """One notification sent once through one outside channel to one target."""

    class Channel(models.TextChoices):
        EMAIL = "email", "邮件"
        SMS = "sms", "短信"
        WECOM = "wecom", "企业微信"
        DINGTALK = "dingtalk", "钉钉"
        FEISHU = "feishu", "飞书"

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "失败待重试"
        GAVE_UP = "gave_up", "已放弃"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name="消息"
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    target = models.CharField("发送对象", max_length=255, help_text="邮箱、电话，或 webhook:编号")
    webhook = models.ForeignKey(
        UnitWebhook, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries",
        verbose_name="群机器人",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", default=timezone.now)
    last_error = models.TextField("最近错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息投递"
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel", "target"], name="deliver_once_per_channel"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.target}"
