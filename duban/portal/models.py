"""What the office publishes on the public portal, and the public's opinions on it.

A ``Publication`` is a snapshot the office makes on purpose (seed 002 art. 6(5): 督办工作的进展情况在网上
公开): an answer marked for publication, a plan's rectification progress (like seed 003), or an item
the office chooses to disclose. The portal reads these snapshots and nothing else: no query of the
portal ever touches an item, a report, an attachment or a person, so nothing unpublished can reach it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.orgs.models import Organization


class Publication(models.Model):
    class Kind(models.TextChoices):
        ANSWER = "answer", "建议提案答复"
        PLAN = "plan", "整改进展"
        ITEM = "item", "督办事项"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, db_index=True)
    org_name = models.CharField("发布机关", max_length=100)
    title = models.CharField("标题", max_length=300)
    reference = models.CharField("文号/编号", max_length=100, blank=True)
    unit_name = models.CharField("承办单位", max_length=200, blank=True)
    status_label = models.CharField("办理情况", max_length=50, blank=True)
    body = models.TextField("公开内容", max_length=30000)
    figures = models.JSONField("公开数据", default=dict, blank=True)
    # Where it came from, for the office to update or withdraw it; never shown on the portal.
    source_key = models.CharField(max_length=60, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公开信息"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], condition=models.Q(withdrawn_at__isnull=True),
                         name="publication_live"),
        ]

    def __str__(self):
        return self.title


class PublicOpinion(models.Model):
    """An opinion a member of the public leaves on a published entry (公众意见), held for moderation."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已公开"
        REJECTED = "rejected", "不予公开"

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="opinions")
    name = models.CharField("称呼", max_length=20, blank=True)
    body = models.TextField("意见", max_length=500)
    address_hash = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    reply = models.TextField("答复", max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公众意见"
        ordering = ["created_at", "id"]
