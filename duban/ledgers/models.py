"""Decomposition (分解) and rectification ledgers (整改台账).

A ``Plan`` is what the office decomposes: a rectification plan after an inspection tour, a work
report, a meeting's decisions. Its ``PlanNode`` tree runs category → problem → measure; every
leaf is a normal ``Item`` with its own units, leader, deadline and lifecycle, and every figure of
a parent is derived from the leaves below it (issue 4, point 1; seed 003: 问题清单、任务清单、
责任清单).

The tree is a materialised path: a subtree is one ``path LIKE 'p%'`` range on an index, and a
roll-up of any node is one aggregate over the leaf items joined on that range.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.items.models import Item, ItemKind
from duban.orgs.models import Organization


class DeadlineClass(models.TextChoices):
    """Deadline classes of a rectification plan (seed 003: 1个月内 / 3个月内 / 3个月内取得阶段性成效
    并在1年内整改到位); the leaf's date is the class's horizon from the plan's start unless given."""

    IMMEDIATE = "immediate", "立行立改"
    ONE_MONTH = "one_month", "1个月内整改到位"
    THREE_MONTHS = "three_months", "3个月内整改到位"
    STAGED = "staged", "3个月内取得阶段性成效并在1年内整改到位"
    LONG_TERM = "long_term", "长期坚持"


# Months from the plan's start to the class's deadline; None: the row must give a date.
DEADLINE_CLASS_MONTHS = {
    DeadlineClass.IMMEDIATE: None,
    DeadlineClass.ONE_MONTH: 1,
    DeadlineClass.THREE_MONTHS: 3,
    DeadlineClass.STAGED: 12,
    DeadlineClass.LONG_TERM: None,
}
# Longer horizon, higher rank: a problem's class is the longest of its measures' classes.
DEADLINE_CLASS_RANK = {c: i for i, c in enumerate(DeadlineClass.values)}


class Plan(models.Model):
    class Kind(models.TextChoices):
        RECTIFICATION = "rectification", "整改方案"
        DOCUMENT = "document", "文件分解"
        MEETING = "meeting", "会议分解"
        WORK_REPORT = "work_report", "工作报告分解"
        OTHER = "other", "其他分解"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="plans", verbose_name="组织")
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.RECTIFICATION)
    source_text = models.TextField("来源与依据", blank=True, max_length=5000)
    source_item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="plans", verbose_name="来源事项",
        help_text="分解的是一件督查事项（如上级交办事项）时填写",
    )
    item_kind = models.CharField("事项类别", max_length=30, choices=ItemKind.choices, default=ItemKind.RECTIFICATION)
    start_date = models.DateField("起始日期", help_text="整改时限类别从此日起算")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "分解方案"
        ordering = ["-id"]

    def __str__(self):
        return self.title

    @property
    def level_labels(self) -> dict[str, str]:
        if self.kind == self.Kind.RECTIFICATION:
            return {"category": "类别", "problem": "问题", "measure": "整改措施"}
        return {"category": "板块", "problem": "任务", "measure": "子任务"}


SEGMENT = 5  # digits per level of the path: 99,999 children per node


def path_segment(n: int) -> str:
    return f"{n:0{SEGMENT}d}"


class PlanNode(models.Model):
    class Level(models.TextChoices):
        CATEGORY = "category", "类别"
        PROBLEM = "problem", "问题"
        MEASURE = "measure", "措施"

    # No index of its own: the (plan, path) unique index starts with plan_id.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes", db_index=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    path = models.CharField(max_length=60, help_text="00001.00035.00002: one segment per level")
    number = models.PositiveIntegerField("序号", help_text="类别按方案排序；问题在方案内连续编号；措施在问题内编号")
    title = models.CharField("名称", max_length=500)
    target = models.TextField("成效目标", blank=True, max_length=2000)
    deadline_class = models.CharField("整改时限", max_length=20, choices=DeadlineClass.choices, blank=True)
    item = models.OneToOneField(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_node")

    class Meta:
        verbose_name = verbose_name_plural = "分解节点"
        ordering = ["path"]
        constraints = [
            # One index for uniqueness and for subtrees: `plan_id = ? AND path LIKE 'p%'` is a range
            # on it, the pattern opclass letting PostgreSQL use it whatever the collation.
            models.UniqueConstraint(fields=["plan", "path"], name="plan_node_path_unique",
                                    opclasses=["int8_ops", "varchar_pattern_ops"]),
            models.CheckConstraint(
                condition=models.Q(level="measure", item__isnull=False) | ~models.Q(level="measure"),
                name="measure_is_an_item",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def depth(self) -> int:
        return self.path.count(".") + 1


class LedgerJob(models.Model):
    """A background job on a plan (import of a ledger, batch submission or approval), with the
    progress the user watches and, when it fails, the per-row errors. It either does all its work
    in one transaction or nothing."""

    class Kind(models.TextChoices):
        IMPORT = "import", "导入台账"
        SUBMIT = "submit", "整批呈批"
        APPROVE = "approve", "整批批准立项"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        FAILED = "failed", "未通过"
        DONE = "done", "已完成"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    file = models.FileField(upload_to="ledgers/jobs/%Y%m/", max_length=300, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    phase = models.CharField(max_length=50, blank=True)
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The person who started it closed its banner on the plan list (the job and its errors stay).
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "台账作业"
        ordering = ["-id"]

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.FAILED, self.State.DONE)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
