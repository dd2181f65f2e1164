"""Warning lights and the escalation ladder (issue 3): what each organisation configures, and
what the ladder has fired."""

from django.db import models
from django.utils import timezone

from duban.items.models import Item, Urgency
from duban.orgs.history import config_history
from duban.orgs.models import Organization, Unit


class UrgingPolicy(models.Model):
    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="urging_policy", verbose_name="组织")
    warning_working_days = models.PositiveSmallIntegerField(
        "临期预警（工作日）", default=3, help_text="距办理时限不足该工作日数时亮黄灯")
    stall_working_days = models.PositiveSmallIntegerField(
        "停滞判定（工作日）", default=10, help_text="超过该工作日数无进展（签收或报送报告）即标为停滞")
    history = config_history()

    class Meta:
        verbose_name = verbose_name_plural = "预警设置"

    def __str__(self):
        return f"{self.org} 预警设置"


class Recipient(models.TextChoices):
    LIAISON = "liaison", "承办单位联络员"
    UNIT_HEAD = "unit_head", "承办单位负责人"
    SUPERVISOR = "supervisor", "督查员（拟办人）"
    OFFICE_HEAD = "office_head", "督查室主任"
    LEADER = "leader", "分管领导"


class LadderStep(models.Model):
    """One rung: at T+offset working days (negative: before the deadline), do this, tell these."""

    class Action(models.TextChoices):
        REMIND = "remind", "到期提醒"
        DEMAND_EXPLANATION = "demand_explanation", "要求报送情况说明"
        URGE_NOTICE = "urge_notice", "发出催办单"
        SUPERVISION_ORDER = "supervision_order", "下达督办令"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ladder_steps", verbose_name="组织")
    name = models.CharField("名称", max_length=100)
    offset_working_days = models.SmallIntegerField("相对时限（工作日）", help_text="负数为时限前，0 为到期当日，正数为超期后")
    urgency = models.CharField("适用缓急", max_length=20, choices=Urgency.choices, blank=True,
                               help_text="留空适用于没有专门阶梯的全部事项")
    action = models.CharField("动作", max_length=30, choices=Action.choices)
    recipients = models.JSONField("通知对象", default=list, help_text="liaison、unit_head、supervisor、office_head、leader")
    citation = models.CharField("依据", max_length=200, blank=True)
    preset = models.CharField(max_length=50, blank=True, editable=False)
    is_active = models.BooleanField("启用", default=True)
    history = config_history()

    class Meta:
        verbose_name = verbose_name_plural = "催办阶梯"
        ordering = ["org", "urgency", "offset_working_days"]

    def __str__(self):
        return self.name


class FiredStep(models.Model):
    """A rung fired for an item and the deadline it had then: exactly once (unique), so a sweep
    that runs twice or two workers at once never fire it again; a moved deadline starts afresh."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="fired_steps")
    step = models.ForeignKey(LadderStep, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField()
    fired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "已触发的催办"
        constraints = [models.UniqueConstraint(fields=["item", "step", "deadline"], name="fire_once_per_deadline")]


class NoticeSeries(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT)
    kind = models.CharField(max_length=30)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "kind", "year"], name="one_notice_series")]


class Notice(models.Model):
    """A written urge: 催办单 (urge notice) or 督办令 (supervision order), numbered in its own series."""

    class Kind(models.TextChoices):
        URGE_NOTICE = "urge_notice", "催办单"
        SUPERVISION_ORDER = "supervision_order", "督办令"

    PREFIX = {"urge_notice": "催", "supervision_order": "督令"}

    org = models.ForeignKey(Organization, on_delete=models.PROTECT)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="notices")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="notices", verbose_name="承办单位")
    kind = models.CharField("种类", max_length=30, choices=Kind.choices)
    year = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField("编号", max_length=40)
    body = models.TextField("内容")
    issued_at = models.DateTimeField("发出时间", default=timezone.now)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "催办单与督办令"
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "kind", "year", "seq"], name="notice_number_unique")]
        indexes = [models.Index(fields=["unit", "answered_at"], name="notice_unit_open")]

    def __str__(self):
        return self.number


class ReportObligation(models.Model):
    """A period's progress report owed by the lead unit of an item on a reporting cycle
    (000 art. 4(2): 每半年报告一次; 001 art. 12: 续报直至完成)."""

    class State(models.TextChoices):
        OPEN = "open", "待报送"
        FULFILLED = "fulfilled", "已报送"
        MISSED = "missed", "缺报"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="report_obligations")
    period_start = models.DateField("周期开始")
    period_end = models.DateField("周期结束")
    due = models.DateField("报送期限")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPEN)
    reminded_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "定期报告"
        ordering = ["period_start"]
        constraints = [models.UniqueConstraint(fields=["item", "period_start"], name="one_obligation_per_period")]
        indexes = [models.Index(fields=["state", "due"], name="obligation_state_due")]
