"""A circular (督查通报) and the units it names.

A circular is drafted for a period from the period's facts (``duban.figures``), edited by the
office, approved by the principal leader (seed 001 art. 14(5): 经主要领导同意 … 给予通报表扬或通报批评)
and issued under a number of the organisation's own yearly series. Once issued it is a record: its
text, its mentions and its figures (frozen JSON) never change, whatever happens to the items later.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.orgs.models import Organization, Unit


class CircularKind(models.TextChoices):
    """Kinds of circulars (seed 004: weekly, monthly, quarterly and year-end circulars; 000 art. 6:
    mid-year and year-end; 专项 for one matter)."""

    WEEKLY = "weekly", "周通报"
    MONTHLY = "monthly", "月度通报"
    QUARTERLY = "quarterly", "季度通报"
    HALF_YEARLY = "half_yearly", "半年通报"
    ANNUAL = "annual", "年度通报"
    SPECIAL = "special", "专项通报"


class CircularStatus(models.TextChoices):
    DRAFT = "draft", "草拟中"
    PENDING_APPROVAL = "pending_approval", "待领导审批"
    RETURNED = "returned", "领导退回修改"
    APPROVED = "approved", "领导已同意待印发"
    ISSUED = "issued", "已印发"


EDITABLE = (CircularStatus.DRAFT, CircularStatus.RETURNED)
DEFAULT_PREFIX = "督查通报"


class CircularSettings(models.Model):
    """Per organisation: the name of the series (督查通报〔2026〕第12期) and who signs it."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="circular_settings",
                               verbose_name="组织")
    prefix = models.CharField("通报字头", max_length=20, default=DEFAULT_PREFIX,
                              help_text="期号的字头，如“督查通报”得到 督查通报〔2026〕第12期")
    issuer = models.CharField("印发单位", max_length=100, blank=True,
                              help_text="落款与版头的单位名称，留空为“组织名称+督查室”")

    class Meta:
        verbose_name = verbose_name_plural = "督查通报设置"

    def __str__(self):
        return f"{self.org} 督查通报设置"


class CircularSeries(models.Model):
    """One gapless series of circular numbers per organisation and year."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "通报期号序列"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_circular_series_per_org_year")]


class Circular(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="circulars", verbose_name="组织")
    kind = models.CharField("类别", max_length=20, choices=CircularKind.choices)
    period_start = models.DateField("统计起始日")
    period_end = models.DateField("统计截止日")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", max_length=20000)
    closing = models.TextField("工作要求", max_length=5000, blank=True,
                               help_text="表扬与批评之后的下一步工作要求")
    status = models.CharField("状态", max_length=20, choices=CircularStatus.choices, default=CircularStatus.DRAFT)
    return_reason = models.CharField("退回理由", max_length=1000, blank=True)
    year = models.PositiveIntegerField("年度", null=True, blank=True)
    seq = models.PositiveIntegerField("期号", null=True, blank=True)
    number = models.CharField("编号", max_length=60, blank=True)
    figures = models.JSONField("数据", default=dict, blank=True,
                               help_text="起草或重新统计时的各单位数据；印发后冻结，不随事项变化")
    figures_as_of = models.DateField("数据截至", null=True, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="拟稿人")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="审批领导")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="印发人")
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    submitted_at = models.DateTimeField("呈批时间", null=True, blank=True)
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "督查通报"
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "seq"], name="circular_number_unique")]
        indexes = [models.Index(fields=["org", "status", "issued_at"], name="circular_org_status_issued")]

    def __str__(self):
        return f"{self.number or '（未印发）'} {self.title}"

    @property
    def is_issued(self) -> bool:
        return self.status == CircularStatus.ISSUED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class Mention(models.Model):
    """A unit named in a circular for praise (通报表扬) or criticism (通报批评), with the facts behind it."""

    class Kind(models.TextChoices):
        PRAISE = "praise", "通报表扬"
        CRITICISM = "criticism", "通报批评"

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="mentions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="mentions", verbose_name="单位")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    facts = models.TextField("事实依据", max_length=2000)

    class Meta:
        verbose_name = verbose_name_plural = "表扬与批评"
        ordering = ["-kind", "id"]  # praise before criticism, as circulars read
        constraints = [models.UniqueConstraint(fields=["circular", "unit", "kind"], name="one_mention_per_unit_kind")]
        indexes = [models.Index(fields=["unit", "kind"], name="mention_unit_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.unit}"


class CircularEvent(models.Model):
    """One step of a circular's life: drafted, submitted, returned, approved, issued."""

    LABELS = {"draft": "起草", "edit": "修改", "recount": "重新统计", "mention": "加入名单", "unmention": "删除名单",
              "submit": "呈领导审批", "approve": "同意印发", "return": "退回修改", "issue": "编号印发"}

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("环节", max_length=30)
    comment = models.CharField("说明", max_length=1000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "通报记录"
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action)
