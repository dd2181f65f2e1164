"""Satisfaction surveys (满意度测评, seed 000 art. 5; seed 001 art. 13: 满意度测评).

The office builds a short survey about units (or items, each standing for its lead unit), with
questions answered 满意 / 基本满意 / 不满意 and a comment, and hands out unguessable links that need
no account and accept one answer each (``SurveyLink``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.items.models import Item
from duban.orgs.models import Organization, Unit


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


# Points per answer for the weighted score (满意 100, 基本满意 60, 不满意 0): a common
# convention in 满意度测评 rules; the unweighted rate (满意 + 基本满意) is given too.
RATING_POINTS = {Rating.SATISFIED: 100, Rating.BASIC: 60, Rating.UNSATISFIED: 0}


class Audience(models.TextChoices):
    LEADER = "leader", "领导"
    UNIT = "unit", "单位"
    DEPUTY = "deputy", "人大代表、政协委员"
    PUBLIC = "public", "群众"


class Survey(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草拟"
        OPEN = "open", "测评中"
        CLOSED = "closed", "已结束"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField("名称", max_length=200)
    intro = models.TextField("说明", blank=True, max_length=2000)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "满意度测评"
        ordering = ["-id"]

    def __str__(self):
        return self.title


class Subject(models.Model):
    """What is rated: a unit, or an item (whose result counts for its lead unit)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="subjects")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="事项")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    @property
    def label(self) -> str:
        return f"{self.unit.name}：{self.item.title}" if self.item_id else self.unit.name


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField("问题", max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class SurveyLink(models.Model):
    """One answer's worth of access: whoever holds the token may answer once, and sees nothing else."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True)
    audience = models.CharField("对象", max_length=10, choices=Audience.choices)
    label = models.CharField("备注", max_length=100, blank=True, help_text="发给谁，仅督查室可见")
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Answer(models.Model):
    link = models.ForeignKey(SurveyLink, on_delete=models.PROTECT, related_name="answers")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.CharField(max_length=12, choices=Rating.choices)
    comment = models.CharField("意见建议", max_length=1000, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "subject", "question"], name="one_answer_per_link_question")]
