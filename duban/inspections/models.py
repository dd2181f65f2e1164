"""Going out to look (issue 12): inspections, their teams and targets, findings with evidence from
the field, the inspection report, and re-checks of closed items (回头看).

The seeds name these methods: on-site, special, joint and unannounced supervision, mid-year and
year-end inspections and 回头看 (seed 000 arts. 3, 4(5)-(6), 5; seed 001 art. 13; seed 002 art. 6).
Rules live in ``services.py``; reads in ``selectors.py``; photo handling in ``media.py``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.items.models import Item, ItemKind, Report
from duban.ledgers.models import Plan
from duban.orgs.models import Organization, Unit


class InspectionKind(models.TextChoices):
    """Kinds of inspection (seed 000 art. 4(5)-(6); seed 001 art. 13; seed 002 art. 6)."""

    ONSITE = "onsite", "实地督查"
    SPECIAL = "special", "专项督查"
    JOINT = "joint", "联合督查"
    UNANNOUNCED = "unannounced", "明察暗访"
    MIDYEAR = "midyear", "年中督查"
    YEAREND = "yearend", "年终督查"
    RECHECK = "recheck", "回头看"


class Inspection(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "实施中"
        REPORT_PENDING = "report_pending", "督查报告待领导审批"
        ISSUED = "issued", "督查报告已印发"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inspections", verbose_name="组织")
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=InspectionKind.choices)
    purpose = models.TextField("督查内容与要求", blank=True, max_length=5000)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="审批领导",
        help_text="审批督查报告的领导",
    )
    external_members = models.TextField(
        "外单位参加人员", blank=True, max_length=2000,
        help_text="联合督查时其他单位的人员，每行一人，如：市纪委监委 王某某",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The inspection report (督查报告), drafted from the findings, approved by the leader, issued.
    report_body = models.TextField("督查报告", blank=True, max_length=50000)
    report_photos = models.ManyToManyField("Media", blank=True, related_name="+", verbose_name="报告选用照片")
    report_comment = models.CharField("领导意见", blank=True, max_length=1000)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "督查检查"
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_unannounced(self) -> bool:
        return self.kind == InspectionKind.UNANNOUNCED

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def external_member_list(self) -> list[str]:
        return [line.strip() for line in self.external_members.splitlines() if line.strip()]


class TeamMember(models.Model):
    """A member of the inspection team (督查组) who has an account; other organisations' staff are
    named as text on the inspection (``external_members``)."""

    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        MEMBER = "member", "组员"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_teams")
    role = models.CharField("职责", max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = verbose_name_plural = "督查组成员"
        constraints = [models.UniqueConstraint(fields=["inspection", "user"], name="one_membership_per_inspection")]


class Target(models.Model):
    """What the team goes to look at: a unit, an item, a plan, or a site named by its address."""

    class Kind(models.TextChoices):
        UNIT = "unit", "单位"
        ITEM = "item", "督查事项"
        PLAN = "plan", "分解方案"
        SITE = "site", "现场"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="事项")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="方案")
    address = models.CharField("地点", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督查对象"
        ordering = ["id"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.UNIT:
            return self.unit.name
        if self.kind == self.Kind.ITEM:
            return f"{self.item.number or '事项'} {self.item.title}"
        if self.kind == self.Kind.PLAN:
            return self.plan.title
        return self.address


class Finding(models.Model):
    """What a team member saw, against a target: text, photos, videos, time and place."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待处理"
        RECTIFY = "rectify", "下发整改通知书"
        PRAISE = "praise", "通报表扬"
        NONE = "none", "不作处理"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="findings", verbose_name="督查对象")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="涉及单位",
        help_text="问题所属单位：整改通知书交其办理；单位只能看到本单位的问题",
    )
    text = models.TextField("发现情况", max_length=5000)
    captured_at = models.DateTimeField("记录时间")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField("定位精度（米）", null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField("处理", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField("处理意见", blank=True, max_length=5000)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome_at = models.DateTimeField(null=True, blank=True)
    rectification_item = models.OneToOneField(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="finding", verbose_name="整改通知书事项",
    )

    class Meta:
        verbose_name = verbose_name_plural = "督查发现"
        ordering = ["captured_at", "id"]
        indexes = [models.Index(fields=["unit", "inspection"], name="finding_unit_inspection")]


def media_path(instance, filename):
    # Never the user's file name (it may be hostile): a random token, sorted by month.
    return f"media/{timezone.now():%Y%m}/{instance.token}/{filename}"


class Media(models.Model):
    """A photo or short video: evidence of a finding, of a unit's report or of a re-check.

    The original is kept as uploaded (office only); photos also get a display copy with its
    orientation fixed and every EXIF tag (location, device) removed, and a thumbnail, both made in
    the background (``tasks.process_media``). Anyone outside the office only ever gets those."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        VIDEO = "video", "视频"

    token = models.CharField(max_length=40, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    original = models.FileField(upload_to=media_path, max_length=300)
    display = models.FileField(upload_to=media_path, max_length=300, blank=True)
    thumbnail = models.FileField(upload_to=media_path, max_length=300, blank=True)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField("大小（字节）")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    is_processed = models.BooleanField("已处理", default=False)
    processing_error = models.CharField(max_length=200, blank=True)
    captured_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    # Office-only metadata, read from EXIF or given by the browser.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    device = models.CharField("拍摄设备", max_length=100, blank=True)
    # What it is evidence of (exactly one).
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.CASCADE, related_name="media")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recheck = models.ForeignKey("Recheck", null=True, blank=True, on_delete=models.CASCADE, related_name="media")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "照片与视频"
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["item", "report"], name="media_item_report")]


class RecheckRule(models.Model):
    """When the system proposes closed items for 回头看 (seed 000 art. 5: 回头看): every item of a kind
    some months after closing, or a random share of a kind's closed items."""

    class Kind(models.TextChoices):
        AFTER_CLOSE = "after_close", "办结满N个月的事项全部回头看"
        SAMPLE = "sample", "按比例随机抽查"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="recheck_rules")
    kind = models.CharField("规则", max_length=20, choices=Kind.choices)
    item_kind = models.CharField("事项类别", max_length=30, choices=ItemKind.choices, default=ItemKind.RECTIFICATION)
    months = models.PositiveSmallIntegerField("办结后月数", default=6)
    percent = models.PositiveSmallIntegerField("抽查比例（%）", default=10)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "回头看规则"

    def __str__(self):
        if self.kind == self.Kind.AFTER_CLOSE:
            return f"{self.get_item_kind_display()}办结满{self.months}个月回头看"
        return f"{self.get_item_kind_display()}随机抽查{self.percent}%（办结满{self.months}个月）"


class Recheck(models.Model):
    """A re-check (回头看) of a closed item: holding (巩固) or relapsed (反弹), with evidence."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待回头看"
        HOLDING = "holding", "巩固"
        RELAPSED = "relapsed", "反弹"
        DISMISSED = "dismissed", "不予回头看"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="rechecks")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="rechecks", verbose_name="原事项")
    rule = models.ForeignKey(RecheckRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="rechecks")
    state = models.CharField("结果", max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True)
    note = models.TextField("回头看情况", blank=True, max_length=5000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    relapse_item = models.OneToOneField(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="relapse_of", verbose_name="反弹后新立事项",
    )

    class Meta:
        verbose_name = verbose_name_plural = "回头看"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One open re-check per item at a time.
            models.UniqueConstraint(fields=["item"], condition=models.Q(state="proposed"), name="one_open_recheck_per_item"),
        ]

    @property
    def source_label(self) -> str:
        return str(self.rule) if self.rule_id else "督查室添加"
