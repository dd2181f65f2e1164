"""The official calendar (holidays and makeup workdays per year) and each organisation's deadline rules.

Only the days that differ from Mon-Fri are stored; a year counts as known once its schedule is
published (``CalendarYear.published``). Arithmetic lives in ``calendar.py``; these models hold data.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from duban.deadlines.calendar import MAX_DAYS, MAX_MONTHS
from duban.orgs.history import config_history
from duban.orgs.models import Organization

# Codes of the items app's ItemKind and Urgency (duban/items/models.py), repeated here because this
# app sits below items and must not import it; tests/deadlines checks that the two agree.
ITEM_KIND_CHOICES = [
    ("instruction", "领导批示件"),
    ("meeting_decision", "会议决定事项"),
    ("policy_document", "重要文件"),
    ("annual_key_task", "年度重点工作"),
    ("rectification", "巡视审计整改"),
    ("deputy_suggestion", "人大代表建议"),
    ("cppcc_proposal", "政协委员提案"),
    ("petition", "信访事项"),
    ("media_concern", "媒体关注"),
    ("other", "其他"),
]
URGENCY_CHOICES = [
    ("normal", "一般"),
    ("urgent", "紧急"),
    ("important", "重要"),
]


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(
        "年份", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    published = models.BooleanField(
        "已发布", default=False, help_text="已录入国务院办公厅当年节假日安排；未发布年份按周一至周五推算，时限为暂定"
    )
    source = models.CharField(
        "来源", max_length=200, blank=True, help_text="如“国务院办公厅通知 国办发明电〔2026〕X号”"
    )
    note = models.TextField("备注", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name="发布人",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = config_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "节假日年度安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A holiday (``is_workday=False``) or a makeup workday on a weekend (``is_workday=True``)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="勾选表示调休上班日，不勾选表示放假日")
    name = models.CharField("名称", max_length=100, help_text="如“春节”“春节调休上班”")
    source = models.CharField("来源", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = config_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}"


class PeriodUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "工作日"
    CALENDAR_DAYS = "calendar_days", "自然日"
    MONTHS = "months", "个月"


class DeadlineRule(models.Model):
    """How long an organisation gives for a kind or urgency of item, e.g. 5 working days (seed 001 art. 9)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="deadline_rules", verbose_name="组织")
    name = models.CharField("名称", max_length=100)
    item_kind = models.CharField(
        "事项类别", max_length=30, blank=True, choices=ITEM_KIND_CHOICES, help_text="留空表示适用于所有类别"
    )
    urgency = models.CharField(
        "缓急程度", max_length=20, blank=True, choices=URGENCY_CHOICES, help_text="留空表示适用于所有缓急程度"
    )
    amount = models.PositiveIntegerField("时限", validators=[MinValueValidator(1)])
    period_unit = models.CharField("单位", max_length=20, choices=PeriodUnit.choices)
    max_total_amount = models.PositiveIntegerField(
        "含延期最长时限",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="与“时限”同一单位，自交办之日起算；留空表示不设上限",
    )
    priority = models.IntegerField("优先级", default=100, help_text="同样具体的规则中，数字小者优先")
    citation = models.CharField("依据", max_length=200, blank=True, help_text="如“001 第九条”")
    is_active = models.BooleanField("启用", default=True)
    # Which preset this row came from (see services.install_presets); blank for rules admins add.
    preset = models.CharField("预置规则标识", max_length=40, blank=True, editable=False)
    history = config_history()

    class Meta:
        verbose_name = verbose_name_plural = "时限规则"
        ordering = ["org", "priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "preset"], condition=~models.Q(preset=""), name="deadline_rule_preset_unique_in_org"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def period_label(self) -> str:
        """E.g. "5个工作日", "15天", "3个月"."""
        if self.period_unit == PeriodUnit.WORKING_DAYS:
            return f"{self.amount}个工作日"
        if self.period_unit == PeriodUnit.CALENDAR_DAYS:
            return f"{self.amount}天"
        return f"{self.amount}个月"

    def clean(self):
        if self.period_unit not in PeriodUnit.values:
            return  # the field's own validation reports it
        limit = MAX_MONTHS if self.period_unit == PeriodUnit.MONTHS else MAX_DAYS
        unit = PeriodUnit(self.period_unit).label
        errors = {}
        if self.amount is not None and self.amount > limit:
            errors["amount"] = f"时限不能超过{limit}{unit}。"
        if self.max_total_amount is not None:
            if self.max_total_amount > limit:
                errors["max_total_amount"] = f"含延期最长时限不能超过{limit}{unit}。"
            elif self.amount is not None and self.max_total_amount < self.amount:
                errors["max_total_amount"] = "含延期最长时限不能短于时限。"
        if errors:
            raise ValidationError(errors)
