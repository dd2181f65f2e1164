"""The accountability ladder (问责, issue 9 point 2): what each organisation does when a unit is
criticised (通报批评) for the n-th time in a calendar year, and the sanctions that followed.

Seed 001 art. 16(2)(3): 一年内受到通报批评一次的，作出书面检查；两次的，约谈单位主要负责人并取消
年度评先树优资格；三次及以上的，组织处理. Seed 000 art. 6: 通报批评，责令作出书面检查；年度内被通报
批评两次的，对单位主要负责人进行约谈. Each organisation edits its rungs in the admin (presets.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.orgs.models import Organization, Unit


class Measure(models.TextChoices):
    WRITTEN_SELF_EXAMINATION = "written_self_examination", "书面检查"
    ADMONITORY_TALK = "admonitory_talk", "约谈"
    NO_AWARDS = "no_awards", "取消年度评先评优资格"
    ORGANISATIONAL_HANDLING = "organisational_handling", "组织处理"
    OTHER = "other", "其他"


class SanctionRule(models.Model):
    """One consequence at one rung: at the ``ordinal``-th criticism of a unit in a calendar year
    (and, with ``or_more``, at every later one), do ``measure``. A rung may have several rules
    (001's second criticism: a talk and no awards)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sanction_rules", verbose_name="组织")
    ordinal = models.PositiveSmallIntegerField("年度内第几次通报批评", help_text="1 为第一次")
    or_more = models.BooleanField("及以上", default=False, help_text="勾选后，第 N 次及以后每次均适用（如“三次及以上”）")
    measure = models.CharField("处理方式", max_length=40, choices=Measure.choices)
    requirement = models.CharField("要求", max_length=500, help_text="写入问责记录的要求，如“由责任单位向党工委、管委会作出书面检查”")
    creates_item = models.BooleanField(
        "作为督查事项跟踪", default=False,
        help_text="勾选后，生成一件交给该单位办理的督查事项（如书面检查），按催办阶梯催办")
    deadline_working_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）", default=5, help_text="作为督查事项跟踪时，自问责之日起的工作日数")
    citation = models.CharField("依据", max_length=200, blank=True)
    preset = models.CharField(max_length=50, blank=True, editable=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "问责规则"
        ordering = ["org", "ordinal", "id"]

    def __str__(self):
        more = "及以上" if self.or_more else ""
        return f"第{self.ordinal}次{more}：{self.get_measure_display()}"


class Sanction(models.Model):
    """A consequence a unit reached: a record, written when the circular criticising it was issued."""

    class State(models.TextChoices):
        PENDING = "pending", "待落实"
        FULFILLED = "fulfilled", "已落实"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sanctions", verbose_name="组织")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="sanctions", verbose_name="单位")
    year = models.PositiveIntegerField("年度")
    ordinal = models.PositiveSmallIntegerField("年度内第几次通报批评")
    rule = models.ForeignKey(SanctionRule, null=True, on_delete=models.SET_NULL, related_name="sanctions",
                             verbose_name="问责规则")
    mention = models.ForeignKey("circulars.Mention", on_delete=models.PROTECT, related_name="sanctions",
                                verbose_name="通报批评")
    measure = models.CharField("处理方式", max_length=40, choices=Measure.choices)
    requirement = models.CharField("要求", max_length=500)
    citation = models.CharField("依据", max_length=200, blank=True)
    item = models.OneToOneField("items.Item", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="sanction", verbose_name="跟踪事项")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField("问责时间", default=timezone.now)
    fulfilled_at = models.DateTimeField("落实时间", null=True, blank=True)
    fulfilled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="登记人")
    note = models.CharField("落实情况", max_length=1000, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问责记录"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["mention", "rule"], name="one_sanction_per_mention_rule")]
        indexes = [models.Index(fields=["org", "year", "unit"], name="sanction_org_year_unit")]

    def __str__(self):
        return f"{self.unit} {self.year}年第{self.ordinal}次通报批评：{self.get_measure_display()}"

    @property
    def effective_state(self) -> str:
        """A sanction tracked as an item is fulfilled when its item is closed (办结)."""
        if self.item_id and self.item.status in ("closed", "archived"):
            return self.State.FULFILLED
        return self.state

    @property
    def effective_state_label(self) -> str:
        return self.State(self.effective_state).label
