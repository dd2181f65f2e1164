"""The supervised item (督查事项) and everything recorded about it.

Rules of supervision work do not live here: the state machine is declared in ``workflow.py`` and
every change goes through a function in ``services.py``. Models hold data and small read-only
helpers.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from duban.orgs.models import Organization, Unit

from . import chain


class ItemKind(models.TextChoices):
    """Kinds of supervised matters (glossary "Kinds of work"; seed 000 art. 2, 001 art. 6, 002 art. 4)."""

    INSTRUCTION = "instruction", "领导批示件"
    MEETING_DECISION = "meeting_decision", "会议决定事项"
    POLICY_DOCUMENT = "policy_document", "重要文件"
    ANNUAL_KEY_TASK = "annual_key_task", "年度重点工作"
    RECTIFICATION = "rectification", "巡视审计整改"
    DEPUTY_SUGGESTION = "deputy_suggestion", "人大代表建议"
    CPPCC_PROPOSAL = "cppcc_proposal", "政协委员提案"
    PETITION = "petition", "信访事项"
    MEDIA_CONCERN = "media_concern", "媒体关注"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    IMPORTANT = "important", "重要"


class ReportCycle(models.TextChoices):
    """How often the units report while the item is open (000 art. 4(2); 001 art. 12: 续报)."""

    NONE = "", "不定期"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"


class Status(models.TextChoices):
    DRAFT = "draft", "草拟"
    PENDING_APPROVAL = "pending_approval", "待审批"
    ASSIGNED = "assigned", "已交办待签收"
    DECLINED = "declined", "退回待改派"
    IN_PROGRESS = "in_progress", "办理中"
    UNDER_REVIEW = "under_review", "待审核"
    PENDING_LEADER = "pending_leader", "待领导审阅"
    CLOSED = "closed", "已办结"
    ARCHIVED = "archived", "已归档"


OPEN_STATUSES = (Status.ASSIGNED, Status.DECLINED, Status.IN_PROGRESS, Status.UNDER_REVIEW, Status.PENDING_LEADER)


class NumberSeries(models.Model):
    """One series of item numbers per organisation and year: 督〔2026〕15号 (glossary "number")."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号序列"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_series_per_org_year")]


class Item(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="items", verbose_name="组织")
    year = models.PositiveIntegerField("年度", null=True, blank=True)
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("编号", max_length=40, blank=True, db_index=True)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容与要求", max_length=20000)
    kind = models.CharField("类别", max_length=30, choices=ItemKind.choices, default=ItemKind.OTHER)
    urgency = models.CharField("缓急", max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    is_secret = models.BooleanField("涉密", default=False)
    report_cycle = models.CharField("定期报告", max_length=20, choices=ReportCycle.choices, blank=True, default="",
                                    db_index=True)
    source_text = models.TextField("来源与依据", blank=True, max_length=5000)
    lead_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="led_items", verbose_name="主办单位"
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="led_items", verbose_name="分管领导",
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafted_items", verbose_name="拟办人"
    )
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="named_on_items", verbose_name="知悉人员",
        help_text="涉密事项仅以下人员及督查室主任可见",
    )
    start_date = models.DateField("交办日期", null=True, blank=True)
    deadline = models.DateField("办理时限", null=True, blank=True)
    deadline_provisional = models.BooleanField(
        "时限待定", default=False, help_text="时限所在年度的法定节假日安排尚未公布，暂按周末计算"
    )
    deadline_rule = models.ForeignKey(
        "deadlines.DeadlineRule", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="时限规则"
    )
    deadline_override_reason = models.CharField("调整时限理由", max_length=500, blank=True)
    original_deadline = models.DateField("原定时限", null=True, blank=True)
    status = models.CharField("状态", max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    registered_at = models.DateTimeField("立项时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    last_progress_at = models.DateTimeField(
        "最近进展", null=True, blank=True, help_text="签收或报送报告的最近时间，用于判定停滞")
    upper_item = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="lower_items", verbose_name="上级事项",
        help_text="下级组织把上级交办的事项登记为本级事项时，指向上级的事项（一级抓一级）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "督查事项"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "seq"], name="item_number_unique"),
            # A lower organisation registers an upper item once (its own draft carries it from there).
            models.UniqueConstraint(fields=["upper_item", "org"], name="one_lower_item_per_org"),
        ]
        indexes = [
            models.Index(fields=["org", "status", "deadline"], name="item_org_status_deadline"),
            models.Index(fields=["lead_unit", "status"], name="item_lead_status"),
            models.Index(fields=["responsible_leader", "status"], name="item_leader_status"),
            models.Index(fields=["status", "last_progress_at"], name="item_status_progress"),
            # The few secret items, for items_visible_to's "named on a secret item" subquery.
            models.Index(fields=["id"], condition=models.Q(is_secret=True), name="item_secret"),
            # What the door may keep back from someone (secret, draft, awaiting approval: a few
            # hundred items in 100,000), with what it tests, for selectors.count_visible's
            # subtraction without reading the table (a leader's total 11 → 9 ms; issue 13).
            models.Index(fields=["id"], include=["org", "status", "is_secret", "drafter"],
                         condition=models.Q(is_secret=True) | models.Q(status__in=[Status.DRAFT, Status.PENDING_APPROVAL]),
                         name="item_kept_back"),
            # "共 N 件" over an organisation's items, whole or by status, with the visibility test
            # of items_visible_to, read from the index alone on PostgreSQL (100,000 items: all
            # 78 → 17 ms, the open ones 50 → 15 ms; issue 13). SQLite has no covering indexes and
            # builds a plain index on (org, status) (models.W040 silenced).
            models.Index(fields=["org", "status"], include=["is_secret", "drafter", "id"], name="item_org_visibility"),
            # The same test for a unit's items, reached one by one from its assignments, and their
            # deadline for the overdue filter: the busiest unit's 13,000 items are counted from this
            # index without reading the table (35 → 18 ms).
            models.Index(fields=["id"], include=["org", "status", "is_secret", "drafter", "deadline"],
                         name="item_id_visibility"),
            # A unit's work list: the same test, and the columns its buckets ask, over the items
            # that are not archived (a fifth of them), probed from the unit's assignments without
            # reading the table (the busiest liaison's work list; bench/README.md, fourth round).
            models.Index(fields=["id"], include=["org", "status", "is_secret", "drafter", "deadline", "lead_unit"],
                         condition=~models.Q(status=Status.ARCHIVED), name="item_live"),
            # The leaders' dashboard (issue 9), read from the index alone on PostgreSQL: the year's
            # closings by month, and the year's registrations by kind, leader and month (100,000
            # items, the office head's page 300 → 215 ms; bench/README.md "The leaders' dashboard").
            models.Index(fields=["org", "closed_at"], include=["status", "deadline", "is_secret", "drafter", "id"],
                         condition=models.Q(closed_at__isnull=False), name="item_org_closed"),
            models.Index(fields=["org", "year"], include=["kind", "responsible_leader", "registered_at", "status",
                                                          "deadline", "is_secret", "drafter", "id"],
                         name="item_org_year_figures"),
        ]

    def __str__(self):
        return f"{self.number or '（未立项）'} {self.title}"

    @property
    def is_archived(self) -> bool:
        return self.status == Status.ARCHIVED

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.status in OPEN_STATUSES and today > self.deadline)

    @property
    def co_units(self):
        return [a.unit for a in self.assignments.all() if a.role == Assignment.Role.CO]


class Assignment(models.Model):
    """A unit's part in an item: lead (主办) or co-handling (协办), and whether it has signed for it."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        CO = "co", "协办"

    class State(models.TextChoices):
        PENDING = "pending", "待签收"
        ACCEPTED = "accepted", "已签收"
        DECLINED = "declined", "已退回"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name="单位")
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    state = models.CharField("签收状态", max_length=20, choices=State.choices, default=State.PENDING)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    responsible_phone = models.CharField("责任人电话", max_length=30, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.CharField("退回理由", max_length=1000, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="one_assignment_per_unit")]
        indexes = [
            models.Index(fields=["unit", "item"], name="assignment_unit_item"),
            # The work list's "assignments of my unit in this state and role" sets, read from the
            # index alone (issue 13: the busiest unit holds 13,000 assignments).
            models.Index(fields=["unit", "state", "role", "item"], name="assignment_unit_state_role"),
        ]


class Report(models.Model):
    """What a unit files: co-unit input, progress report, completion report or explanation.

    Every report is approved by the unit head inside the system before the liaison submits it
    (seed 002 art. 5(3): 承办单位收到督查事项后，要呈主要领导审阅).
    """

    class Kind(models.TextChoices):
        CO_INPUT = "co_input", "协办意见"
        PROGRESS = "progress", "进展报告"
        COMPLETION = "completion", "办结报告"
        EXPLANATION = "explanation", "情况说明"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        AWAITING_HEAD = "awaiting_head", "待负责人审签"
        APPROVED = "approved", "负责人已审签"
        SUBMITTED = "submitted", "已报送"
        ACCEPTED = "accepted", "审核通过"
        RETURNED = "returned", "退回重办"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    body = models.TextField("内容", max_length=20000)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    head_comment = models.CharField("负责人意见", max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报告"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["item", "unit", "kind", "state"], name="report_item_unit_kind"),
            # A unit's reports by state: the work list's 待报送 and 协办意见 buckets.
            models.Index(fields=["unit", "state", "kind"], include=["item"], name="report_unit_state_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.unit}）"


class Review(models.Model):
    """The office's review of a completion report against seed 002 art. 5(5)."""

    class Decision(models.TextChoices):
        ACCEPT = "accept", "审核通过"
        RETURN = "return", "退回重办"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    task_done = models.BooleanField("任务是否完成")
    problem_solved = models.BooleanField("问题是否解决")
    conclusion_sound = models.BooleanField("结论是否恰当")
    lawful = models.BooleanField("是否合法合规")
    decision = models.CharField("结论", max_length=10, choices=Decision.choices)
    comment = models.TextField("审核意见", blank=True, max_length=5000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "审核"
        ordering = ["at", "id"]


class ExtensionRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REFUSED = "refused", "不同意"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="extension_requests")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_deadline = models.DateField("申请延至")
    reason = models.TextField("延期理由", max_length=5000)
    progress = models.TextField("目前进展", max_length=5000)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING)
    old_deadline = models.DateField("原时限", null=True, blank=True)
    new_deadline = models.DateField("批准时限", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_comment = models.CharField("审批意见", max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"
        ordering = ["created_at", "id"]
        # The office's 待审批延期 bucket: the few pending requests among all ever made.
        indexes = [models.Index(fields=["item"], condition=models.Q(state="pending"), name="ext_pending")]


class Urge(models.Model):
    """A follow-up by the office: phone call, written notice or visit (seed 001 art. 13(2), 004)."""

    class Method(models.TextChoices):
        PHONE = "phone", "电话催办"
        WRITTEN = "written", "书面催办"
        VISIT = "visit", "上门督办"
        SYSTEM = "system", "系统催办"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="urges")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="催办单位")
    method = models.CharField("方式", max_length=20, choices=Method.choices)
    contact_person = models.CharField("对方联系人", max_length=50, blank=True)
    occurred_at = models.DateTimeField("时间", default=timezone.now)
    summary = models.TextField("催办内容与答复", max_length=5000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "催办记录"
        ordering = ["occurred_at", "id"]


class Satisfaction(models.TextChoices):
    """The leader's rating of the work when closing an item (000 art. 4(6): 满意度评价)."""

    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class Instruction(models.Model):
    """A leader's instruction (批示) on an item reported to them."""

    class Outcome(models.TextChoices):
        CLOSE = "close", "同意办结"
        FURTHER = "further", "继续办理"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="instructions")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("批示内容", max_length=5000)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices)
    satisfaction = models.CharField(
        "满意度", max_length=20, choices=Satisfaction.choices, blank=True, default="",
        help_text="领导同意办结时对办理结果的评价（可不评）；计入考核",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "领导批示"
        ordering = ["at", "id"]


def attachment_path(instance, filename):
    # The stored name never reuses the user's file name: it may be hostile.
    return f"items/{instance.item_id}/{timezone.now():%Y%m}/{instance.token}"


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("事项记录不可修改")

    def delete(self):
        raise PermissionError("事项记录不可删除")

    def bulk_create(self, objs, *args, **kwargs):
        """Many events at once (a ledger import) are chained like single ones, in list order."""
        objs = list(objs)
        if not objs:
            return objs
        # All or nothing; inside a caller's transaction an error rolls that back, no savepoint needed.
        with transaction.atomic(savepoint=False):
            ids = sorted({e.item_id for e in objs})
            heads = {}
            for i in range(0, len(ids), 5000):  # PostgreSQL takes at most 65,535 parameters a statement
                chunk = ids[i:i + 5000]
                # In id order, as every batch locks items: two batches never wait on each other in a cycle.
                list(Item.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))
                heads.update({item_id: (h, n) for item_id, h, n in ChainHead.objects.select_for_update()
                              .filter(item_id__in=chunk).order_by("pk").values_list("item_id", "hash", "length")})
            state = {i: heads.get(i, ("", 0)) for i in ids}
            for e in objs:
                _stamp(e)
                prev, n = state[e.item_id]
                e.prev_hash = prev
                e.hash = chain.hash_of(e, prev)
                state[e.item_id] = (e.hash, n + 1)
            created = super().bulk_create(objs, *args, **kwargs)
            # New heads and moved ones in one statement per 2,000 (the rows are locked above).
            ChainHead.objects.bulk_create(
                [ChainHead(item_id=i, hash=h, length=n) for i, (h, n) in state.items()], batch_size=2000,
                update_conflicts=True, unique_fields=["item"], update_fields=["hash", "length"])
        return created


def _stamp(event) -> None:
    """The moment is fixed before hashing, as the database will store it (aware, microseconds)."""
    if event.at is None:
        event.at = timezone.now()
    elif timezone.is_naive(event.at):
        event.at = timezone.make_aware(event.at)


class ChainHead(models.Model):
    """The last link of an item's event chain and the chain's length: deleting the last event, or
    every event, shows against it (issue 10, point 5)."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="chain_head")
    hash = models.CharField(max_length=64)
    length = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "记录链头"


class Event(models.Model):
    """One line of an item's timeline. Never edited or deleted (issue 2, point 11)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("环节", max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    comment = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    prev_hash = models.CharField("前序哈希", max_length=64, blank=True, editable=False)
    hash = models.CharField("哈希", max_length=64, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "事项记录"
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        """Appended to the item's chain: the item row is locked, so two events never share a
        predecessor (services hold that lock already; this covers any other caller)."""
        if self.pk is not None:
            raise PermissionError("事项记录不可修改")
        with transaction.atomic():
            list(Item.objects.select_for_update().filter(pk=self.item_id).values_list("pk", flat=True))
            head = ChainHead.objects.select_for_update().filter(item_id=self.item_id).first()
            _stamp(self)
            self.prev_hash = head.hash if head else ""
            self.hash = chain.hash_of(self, self.prev_hash)
            super().save(*args, **kwargs)
            if head is None:
                ChainHead.objects.create(item_id=self.item_id, hash=self.hash, length=1)
            else:
                ChainHead.objects.filter(pk=head.pk).update(hash=self.hash, length=models.F("length") + 1)

    def delete(self, *args, **kwargs):
        raise PermissionError("事项记录不可删除")

    @property
    def from_status_label(self):
        return Status(self.from_status).label if self.from_status else ""

    @property
    def to_status_label(self):
        return Status(self.to_status).label if self.to_status else ""
