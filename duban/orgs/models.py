"""Organisations, their units and the people in roles.

An ``Organization`` is one body that runs its own supervision work (a municipal government, a
district, a company); it owns a tree of ``Unit`` (its departments and lower levels) and one series
of item numbers per year. Every ``User`` belongs to one organisation and, except leaders, one unit.

Supervision runs level by level (一级抓一级, seed 001 arts. 3 and 5): a unit of kind district or
company may stand for a lower ``Organization`` of its own (``Unit.org_link``), whose supervision
office then receives, in that unit's name, the work the upper level sends down (``acting.py``).
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from .history import config_history


class Organization(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    number_prefix = models.CharField(
        "编号字头", max_length=10, default="督", help_text="事项编号的字头，如“督”得到 督〔2026〕15号"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级组织"
    )
    require_two_factor = models.BooleanField(
        "督查室主任和管理员须用两步验证", default=False,
        help_text="开启后，督查室主任和系统管理员登录时除密码外还须输入手机身份验证器上的验证码",
    )
    history = config_history()

    class Meta:
        verbose_name = verbose_name_plural = "组织"

    def __str__(self):
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", "督查机构"
        LEADERSHIP = "leadership", "领导班子"
        DEPARTMENT = "department", "部门"
        DISTRICT = "district", "下级政府"
        COMPANY = "company", "企业"
        OTHER = "other", "其他"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="units", verbose_name="组织")
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级单位"
    )
    order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    org_link = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="upper_unit",
        verbose_name="对应下级组织",
        help_text="下级政府或企业在本系统中有自己的组织时填写：交办给本单位的事项由该组织的督查室签收、办理和报告",
    )
    history = config_history()

    LINKABLE_KINDS = (Kind.DISTRICT, Kind.COMPANY)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="unit_name_unique_in_org")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.check_org_link()

    def check_org_link(self):
        """A unit stands only for a lower organisation of its own organisation (一级抓一级: the
        link never skips a level or points sideways), and only a district or a company does."""
        if self.org_link_id is None:
            return
        if self.kind not in self.LINKABLE_KINDS:
            raise ValidationError({"org_link": "只有“下级政府”或“企业”类型的单位可以对应下级组织"})
        parent_id = Organization.objects.filter(pk=self.org_link_id).values_list("parent_id", flat=True).first()
        if self.org_id is None or parent_id != self.org_id:
            raise ValidationError({"org_link": "对应的下级组织的上级组织须为本单位所属组织"})

    def save(self, *args, **kwargs):
        # Checked on every save, not only in forms: a wrong link would let one organisation's
        # office act on another's items.
        self.check_org_link()
        super().save(*args, **kwargs)

    @property
    def is_office(self) -> bool:
        return self.kind == self.Kind.OFFICE


class Role(models.TextChoices):
    """The roles of supervision work (glossary: people and organisations)."""

    ADMIN = "admin", "系统管理员"
    OFFICE_HEAD = "office_head", "督查室主任"
    SUPERVISOR = "supervisor", "督查员"
    PRINCIPAL_LEADER = "principal_leader", "主要领导"
    RESPONSIBLE_LEADER = "responsible_leader", "分管领导"
    UNIT_HEAD = "unit_head", "单位负责人"
    LIAISON = "liaison", "联络员"
    STAFF = "staff", "工作人员"


OFFICE_ROLES = {Role.OFFICE_HEAD, Role.SUPERVISOR}
LEADER_ROLES = {Role.PRINCIPAL_LEADER, Role.RESPONSIBLE_LEADER}
UNIT_ROLES = {Role.UNIT_HEAD, Role.LIAISON, Role.STAFF}


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name="组织"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name="单位"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices, default=Role.STAFF)
    title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    # Never the password hash, not even in history; a password change shows as its change reason.
    history = config_history(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = verbose_name_plural = "人员"

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_office(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def is_office_head(self) -> bool:
        return self.role == Role.OFFICE_HEAD

    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES

    @property
    def is_unit_member(self) -> bool:
        return self.role in UNIT_ROLES
