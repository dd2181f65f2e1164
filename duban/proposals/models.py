"""Deputies' suggestions and CPPCC proposals (建议提案), answered and rated.

Each suggestion or proposal is an ``Item`` of its kind (``deputy_suggestion`` / ``cppcc_proposal``);
what only a suggestion has — its session and number, its proposers (people outside the
organisation), contests of the assignment, co-units' opinions, contacts with the proposer, the
answer letter with its class, the rating and the commitments — lives here, linked to the item.
Answered within 3 months, at most 6 (seed 001 art. 10); the rules are in ``services.py`` and the
steps are declared in ``workflow.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.items.models import Item, ItemKind
from duban.orgs.models import Organization, Unit


class Body(models.TextChoices):
    """Who hands the suggestions over: the people's congress or the CPPCC."""

    CONGRESS = "congress", "人大"
    CPPCC = "cppcc", "政协"


ITEM_KIND_OF_BODY = {Body.CONGRESS: ItemKind.DEPUTY_SUGGESTION, Body.CPPCC: ItemKind.CPPCC_PROPOSAL}
NOUN_OF_BODY = {Body.CONGRESS: "建议", Body.CPPCC: "提案"}


class ProposalConfig(models.Model):
    """An organisation's rules for handling suggestions, with the presets of the common practice."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="proposal_config")
    contest_working_days = models.PositiveSmallIntegerField(
        "交办异议期（工作日）", default=7, help_text="承办单位认为不属于本单位职责的，须在交办后该期限内提出")
    co_opinion_days_before = models.PositiveSmallIntegerField(
        "会办意见提前天数", default=30, help_text="会办单位须在主办单位答复期限前若干日（自然日）提交会办意见")
    rehandle_months = models.PositiveSmallIntegerField("重新办理期限（月）", default=1)
    rating_link_days = models.PositiveSmallIntegerField("评价链接有效期（日）", default=60)

    class Meta:
        verbose_name = verbose_name_plural = "建议提案办理设置"

    @classmethod
    def for_org(cls, org) -> "ProposalConfig":
        return cls.objects.get_or_create(org=org)[0]


class Session(models.Model):
    """A session of the congress or the CPPCC, whose suggestions form one numbered batch."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="proposal_sessions")
    body = models.CharField("提出机关", max_length=10, choices=Body.choices)
    year = models.PositiveIntegerField("年度")
    name = models.CharField("会次", max_length=100, help_text="如：市十七届人大五次会议；闭会期间提出的可建“闭会期间”")
    answer_due = models.DateField("统一答复期限", null=True, blank=True,
                                  help_text="留空则自交办之日起按规则计算（3个月）")

    class Meta:
        verbose_name = verbose_name_plural = "会次"
        ordering = ["-year", "body", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "body", "name"], name="session_name_unique")]

    def __str__(self):
        return self.name


class Proposer(models.Model):
    """A deputy or committee member: a person outside the organisation, with no account.

    Contact details are for the handling units only and never reach the portal."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="proposers")
    body = models.CharField("身份", max_length=10, choices=Body.choices)
    name = models.CharField("姓名", max_length=50)
    group = models.CharField("代表团/界别", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("通讯地址", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表委员"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "body", "name", "group"], name="proposer_unique")]

    def __str__(self):
        return self.name


class ProposalState(models.TextChoices):
    RECEIVED = "received", "待交办"
    HANDLING = "handling", "办理中"
    ANSWER_REVIEW = "answer_review", "答复待审核"
    AWAITING_RATING = "awaiting_rating", "已答复待评价"
    CLOSED = "closed", "已办结"


class Proposal(models.Model):
    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="proposal")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="proposals", verbose_name="会次")
    number = models.PositiveIntegerField("编号", help_text="第N号")
    category = models.CharField("类别", max_length=50, blank=True)
    proposers = models.ManyToManyField(Proposer, through="Signer", related_name="proposals")
    state = models.CharField("状态", max_length=20, choices=ProposalState.choices, default=ProposalState.RECEIVED,
                             db_index=True)
    round = models.PositiveSmallIntegerField("办理轮次", default=1, help_text="不满意重新办理后为2")
    received_on = models.DateField("接收日期")
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    contest_until = models.DateField("异议截止", null=True, blank=True)
    co_opinion_due = models.DateField("会办意见期限", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "建议提案"
        ordering = ["session", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="proposal_number_unique")]

    def __str__(self):
        return f"{self.label} {self.item.title}"

    @property
    def noun(self) -> str:
        return NOUN_OF_BODY[self.session.body]

    @property
    def label(self) -> str:
        return f"第{self.number}号{self.noun}"

    @property
    def lead_signer(self):
        return next((s for s in self.signers.all() if s.is_lead), None)


class Signer(models.Model):
    """A proposer on a suggestion: the lead proposer (领衔) rates the answer; co-signers (附议) are listed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="signers")
    proposer = models.ForeignKey(Proposer, on_delete=models.PROTECT, related_name="signed")
    is_lead = models.BooleanField("领衔", default=False)

    class Meta:
        ordering = ["-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "proposer"], name="one_signature")]


class Contest(models.Model):
    """A unit says the suggestion is not its business (交办异议), within the window; the office decides."""

    class State(models.TextChoices):
        PENDING = "pending", "待决定"
        UPHELD = "upheld", "异议成立，已改派"
        REJECTED = "rejected", "异议不成立"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contests")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("理由", max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField("决定意见", max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "id"]


class CoOpinion(models.Model):
    """A co-unit's opinion (会办意见) for the lead unit's answer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_opinions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("会办意见", max_length=10000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    round = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["at", "id"]


class Contact(models.Model):
    """The lead unit's contact with the proposer before answering (面商)."""

    class Method(models.TextChoices):
        VISIT = "visit", "走访"
        MEETING = "meeting", "座谈会商"
        CALL = "call", "电话沟通"
        OTHER = "other", "其他"

    FACE_TO_FACE = (Method.VISIT, Method.MEETING)

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contacts")
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    on = models.DateField("日期")
    who = models.CharField("参加人员", max_length=200)
    summary = models.TextField("沟通情况", max_length=5000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["on", "id"]

    @property
    def is_face_to_face(self) -> bool:
        return self.method in self.FACE_TO_FACE


class AnswerClass(models.TextChoices):
    A = "A", "A类（所提问题已解决或基本解决）"
    B = "B", "B类（正在解决或列入计划解决）"
    C = "C", "C类（因条件限制列入规划逐步解决）"
    D = "D", "D类（因法律政策等原因不能解决，留作参考）"


class Publishable(models.TextChoices):
    NO = "no", "不公开"
    FULL = "full", "全文公开"
    ABSTRACT = "abstract", "摘要公开"


class Answer(models.Model):
    """The answer letter (答复函), signed by the unit head, sent, reviewed by the office."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        AWAITING_HEAD = "awaiting_head", "待负责人签发"
        SIGNED = "signed", "负责人已签发"
        SENT = "sent", "已发出待审核"
        ACCEPTED = "accepted", "审核通过"
        RETURNED = "returned", "退回重办"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(default=1)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("答复函正文", max_length=20000)
    abstract = models.TextField("公开摘要", max_length=2000, blank=True)
    answer_class = models.CharField("答复类别", max_length=1, choices=AnswerClass.choices)
    publishable = models.CharField("是否公开", max_length=10, choices=Publishable.choices, default=Publishable.NO)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    head_comment = models.CharField("签发意见", max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    due = models.DateField("答复期限", null=True, blank=True, help_text="发出时的答复期限，用于按时办复")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    answers_question = models.BooleanField("是否答其所问", null=True)
    lawful = models.BooleanField("是否合法合规", null=True)
    commitments_concrete = models.BooleanField("承诺事项是否具体", null=True)
    review_comment = models.TextField("审核意见", max_length=5000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def is_on_time(self) -> bool:
        return bool(self.sent_at and (self.due is None or timezone.localdate(self.sent_at) <= self.due))


class Commitment(models.Model):
    """A commitment in a B or C answer; on acceptance it becomes a follow-up item tracked until done."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="commitments")
    text = models.CharField("承诺事项", max_length=500)
    due = models.DateField("承诺完成时间")
    item = models.OneToOneField(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="commitment")

    class Meta:
        ordering = ["id"]


class Rating(models.Model):
    """The proposer's rating of an answer (满意度评价)."""

    class Value(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY = "basically", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    class Via(models.TextChoices):
        LINK = "link", "评价链接"
        PAPER = "paper", "书面（督查室录入）"

    answer = models.OneToOneField(Answer, on_delete=models.PROTECT, related_name="rating")
    proposer = models.ForeignKey(Proposer, on_delete=models.PROTECT, related_name="+")
    value = models.CharField("评价", max_length=20, choices=Value.choices)
    comment = models.TextField("意见", max_length=2000, blank=True)
    via = models.CharField(max_length=10, choices=Via.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    at = models.DateTimeField(default=timezone.now)

    @property
    def is_satisfied(self) -> bool:
        return self.value in (self.Value.SATISFIED, self.Value.BASICALLY)


class RatingLink(models.Model):
    """A personal link to rate one answer: single purpose, unguessable, expiring, used once.

    Only the SHA-256 of the token is stored; the link is shown once to the office to send on."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="links")
    proposer = models.ForeignKey(Proposer, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and now < self.expires_at
