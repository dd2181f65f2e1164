"""What the documents layer keeps: each organisation's letterhead, prefixes, seal and templates,
the series numbered documents draw from, the documents issued, and the sealed archive volumes."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.items.models import Item, ItemKind
from duban.orgs.models import Organization, Unit

from .kinds import DEFAULT_PREFIXES, DEFAULT_RETENTION, FormKind, Retention


class DocumentSettings(models.Model):
    """An organisation's 版头 (red heading), the name it signs with, its prefixes and seal."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="document_settings",
                               verbose_name="组织")
    heading = models.CharField("版头", max_length=60, blank=True, help_text="红色版头文字，如“××市人民政府督查室”；留空用组织名称")
    issuer = models.CharField("落款机关", max_length=60, blank=True, help_text="文书落款；留空用版头")
    prefixes = models.JSONField("文号字头", default=dict, blank=True,
                                help_text="如 {\"special_report\": \"督专\"}；未设置的用预设")
    seal = models.FileField("印章图片", upload_to="documents/seals/", blank=True, max_length=300,
                            help_text="透明背景 PNG，盖在落款处")

    class Meta:
        verbose_name = verbose_name_plural = "公文设置"

    def __str__(self):
        return f"{self.org} 公文设置"

    def prefix_for(self, kind: str) -> str:
        return (self.prefixes or {}).get(kind) or DEFAULT_PREFIXES.get(kind, "督")


class DocumentSeries(models.Model):
    """One gapless series per organisation, kind and year (like items' and notices')."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT)
    kind = models.CharField(max_length=30, choices=FormKind.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文书编号序列"
        constraints = [models.UniqueConstraint(fields=["org", "kind", "year"], name="one_document_series")]


class IssuedDocument(models.Model):
    """A numbered document the office issues: 督查专报 to a leader, 整改通知书 / 督查建议书 to a
    unit (which opens an item for the unit's answer: ``answer_item``)."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("种类", max_length=30, choices=FormKind.choices)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="issued_documents",
                             verbose_name="所涉事项")
    year = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField("文号", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", max_length=20000)
    signer = models.CharField("签发人", max_length=50, blank=True)
    main_to = models.CharField("主送", max_length=200, blank=True)
    cc = models.CharField("抄送", max_length=200, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="受文单位")
    answer_deadline = models.DateField("反馈时限", null=True, blank=True)
    answer_item = models.OneToOneField(Item, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="source_document", verbose_name="整改反馈事项")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("印发时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "印发文书"
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "kind", "year", "seq"], name="issued_number_unique")]

    def __str__(self):
        return f"{self.number} {self.title}"


def template_path(instance, filename):
    return f"documents/templates/{instance.org_id}/{instance.kind}-{timezone.now():%Y%m%d%H%M%S}.docx"


class FormTemplate(models.Model):
    """The organisation's own Word template for a form kind, with docxtpl placeholders
    ({{ number }}, {{ title }}, …); the newest active one is used, else the preset layout."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="form_templates")
    kind = models.CharField("文书种类", max_length=30, choices=FormKind.choices)
    file = models.FileField("模板文件", upload_to=template_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    is_active = models.BooleanField("启用", default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "文书模板"
        ordering = ["-uploaded_at", "-id"]


class RetentionRule(models.Model):
    """保管期限 of an item kind's volumes in this organisation (presets in ``kinds.py``)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="retention_rules")
    item_kind = models.CharField("事项类别", max_length=30, choices=ItemKind.choices)
    period = models.CharField("保管期限", max_length=20, choices=Retention.choices)

    class Meta:
        verbose_name = verbose_name_plural = "保管期限"
        constraints = [models.UniqueConstraint(fields=["org", "item_kind"], name="one_retention_per_kind")]

    @staticmethod
    def period_for(org_id, item_kind) -> str:
        rule = RetentionRule.objects.filter(org_id=org_id, item_kind=item_kind).values_list("period", flat=True).first()
        return rule or DEFAULT_RETENTION.get(item_kind, Retention.TEN)


def volume_path(instance, filename):
    return f"archive/{instance.org_id}/{instance.year}/{instance.item_id}-{timezone.now():%Y%m%d%H%M%S}.zip"


class Volume(models.Model):
    """An item's sealed archive volume (一事一卷): the ZIP, its manifest, the SHA-256 of the ZIP
    and the head of the item's event chain at sealing (issue 10, point 4)."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="volume")
    year = models.PositiveIntegerField("年度")
    archive_number = models.CharField("档号", max_length=60)
    retention = models.CharField("保管期限", max_length=20, choices=Retention.choices)
    file = models.FileField(upload_to=volume_path, max_length=300)
    sha256 = models.CharField("卷包SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    manifest = models.JSONField(default=dict)
    file_count = models.PositiveIntegerField("件数", default=0)
    chain_head = models.CharField("记录链头", max_length=64)
    chain_length = models.PositiveIntegerField(default=0)
    sealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sealed_at = models.DateTimeField(default=timezone.now)
    build_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "归档卷"
        ordering = ["year", "archive_number"]
        indexes = [models.Index(fields=["org", "year"], name="volume_org_year")]


class ArchiveJob(models.Model):
    """年度归档: a background job that archives and seals a year's closed items and writes the
    archive register, with the progress its user watches."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        FAILED = "failed", "失败"
        DONE = "done", "已完成"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    register = models.FileField(upload_to="archive/registers/", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度归档作业"
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.state == self.State.DONE else 0)
