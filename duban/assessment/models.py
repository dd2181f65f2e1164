"""The assessment (考核, issue 9 point 3): each organisation's scoring scheme, and the mid-year
and year-end assessments run on it, whose every point is a stored line naming the record that
earned it (seed 001 art. 16(4): 纳入年度绩效考核，扣减一定分值; 002 arts. 16–17; 000 art. 4(6):
年中、年终督查，排出先后，满意度评价)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.orgs.models import Organization, Unit


class ScoreKind(models.TextChoices):
    BASE = "base", "基础分"
    OVERDUE = "overdue", "逾期"
    URGE_NOTICE = "urge_notice", "催办单"
    SUPERVISION_ORDER = "supervision_order", "督办令"
    RETURN_FOR_REWORK = "return_for_rework", "退回重办"
    MISSED_REPORT = "missed_report", "定期报告缺报"
    CRITICISM = "criticism", "通报批评"
    SANCTION = "sanction", "问责"
    PRAISE = "praise", "通报表扬"
    CLOSED_EARLY = "closed_early", "提前办结"
    SATISFIED = "satisfied", "领导评价满意"
    BASICALLY_SATISFIED = "basically_satisfied", "领导评价基本满意"
    DISSATISFIED = "dissatisfied", "领导评价不满意"
    ADJUSTMENT = "adjustment", "督查室调整"


RULE_KINDS = [k for k in ScoreKind.values if k not in ("base", "adjustment")]


class Scheme(models.Model):
    """An organisation's scoring scheme: the base score each unit starts a period with."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="assessment_scheme",
                               verbose_name="组织")
    base_score = models.DecimalField("基础分", max_digits=6, decimal_places=2, default=100)
    floor = models.DecimalField("最低分", max_digits=6, decimal_places=2, default=0, help_text="扣分后不低于此分")
    citation = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核办法"

    def __str__(self):
        return f"{self.org} 考核办法"


class SchemeRule(models.Model):
    """Points per event of a kind: negative for a deduction (扣分), positive for an addition (加分)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scheme_rules", verbose_name="组织")
    kind = models.CharField("事项", max_length=30, choices=[(k, ScoreKind(k).label) for k in RULE_KINDS])
    points = models.DecimalField("每次分值", max_digits=6, decimal_places=2, help_text="负数为扣分，正数为加分")
    cap = models.DecimalField("累计上限（分）", max_digits=6, decimal_places=2, null=True, blank=True,
                              help_text="每单位每期该项累计扣（加）分不超过此数；留空不设上限")
    citation = models.CharField("依据", max_length=200, blank=True)
    preset = models.CharField(max_length=50, blank=True, editable=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核赋分规则"
        ordering = ["org", "kind"]
        constraints = [models.UniqueConstraint(fields=["org", "kind"], name="one_scheme_rule_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.points:+}"


class Assessment(models.Model):
    """One assessment of the organisation's units for a period, from draft to published."""

    class Kind(models.TextChoices):
        MID_YEAR = "mid_year", "年中督查考核"
        YEAR_END = "year_end", "年终督查考核"

    class Status(models.TextChoices):
        DRAFT = "draft", "草拟"
        PENDING_APPROVAL = "pending_approval", "待领导审定"
        APPROVED = "approved", "领导已审定"
        PUBLISHED = "published", "已发布"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assessments", verbose_name="组织")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField("年度")
    period_start = models.DateField("考核期起")
    period_end = models.DateField("考核期止")
    as_of = models.DateField("计算截至", help_text="“逾期未办结”按此日判断：考核期已结束的为期末，否则为计算当日")
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    base_score = models.DecimalField("基础分", max_digits=6, decimal_places=2)
    floor = models.DecimalField("最低分", max_digits=6, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField("计算时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="审定领导")
    approved_at = models.DateTimeField(null=True, blank=True)
    leader_comment = models.CharField("领导意见", max_length=1000, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "督查考核"
        ordering = ["-year", "-period_end", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "kind", "year"], name="one_assessment_per_kind_year")]

    def __str__(self):
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class ScoreLine(models.Model):
    """One point or group of points a unit earned, and the record behind it (item, notice,
    review, missed report, circular mention, sanction, leader's rating), or the office's written
    reason for an adjustment. Stored: a published assessment is never recomputed."""

    # One index, (assessment, unit), serves every read; a year of a large organisation is ~100,000
    # lines, and each further index slows their writing (bench/assessment.py).
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="lines", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField("事项", max_length=30, choices=ScoreKind.choices)
    points = models.DecimalField("分值", max_digits=7, decimal_places=2)
    label = models.CharField("说明", max_length=500)
    at = models.DateField("日期", null=True, blank=True)
    # No database constraint: items are never deleted (every relation to them protects them), and
    # checking 100,000 lines against items_item cost more than writing them.
    item = models.ForeignKey("items.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False, db_constraint=False)
    item_number = models.CharField("事项编号", max_length=40, blank=True)
    ref_model = models.CharField(max_length=50, blank=True)
    ref_id = models.PositiveBigIntegerField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                           verbose_name="调整人", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "考核得分明细"
        ordering = ["assessment", "unit", "at", "id"]
        indexes = [models.Index(fields=["assessment", "unit"], name="scoreline_assessment_unit")]

    @property
    def is_adjustment(self) -> bool:
        return self.kind == ScoreKind.ADJUSTMENT


class UnitScore(models.Model):
    """A unit's total and rank in an assessment: the sum of its lines, kept with them."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位", max_length=100)
    deductions = models.DecimalField("扣分", max_digits=7, decimal_places=2, default=0)
    additions = models.DecimalField("加分", max_digits=7, decimal_places=2, default=0)
    adjustment = models.DecimalField("调整", max_digits=7, decimal_places=2, default=0)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField("名次")

    class Meta:
        verbose_name = verbose_name_plural = "考核得分"
        ordering = ["assessment", "rank", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "unit"], name="one_score_per_unit")]
