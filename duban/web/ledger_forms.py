"""Forms of the plan and ledger pages. They parse input; the rules live in duban.ledgers.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from duban.items.models import ItemKind
from duban.ledgers.models import DeadlineClass, Plan, PlanNode
from duban.ledgers.selectors import STATE_CHOICES
from duban.orgs.models import LEADER_ROLES, User

from .forms import DateField, DateInput, Form, units_of


class PlanForm(Form):
    title = forms.CharField(label="方案名称", max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": "如：关于省委第八巡视组反馈意见的整改落实方案"}))
    kind = forms.ChoiceField(label="类型", choices=Plan.Kind.choices, initial=Plan.Kind.RECTIFICATION)
    item_kind = forms.ChoiceField(label="措施的事项类别", choices=ItemKind.choices, initial=ItemKind.RECTIFICATION)
    start_date = DateField(label="起始日期", widget=DateInput(), help_text="整改时限（1个月内、3个月内……）从此日起算")
    source_text = forms.CharField(label="来源与依据", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：省委第八巡视组反馈意见（2026年11月16日）"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()


class ImportForm(PlanForm):
    file = forms.FileField(label="台账文件（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class LedgerFilterForm(Form):
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "问题或措施中的文字"}))
    category = forms.ModelChoiceField(label="类别", required=False, queryset=PlanNode.objects.none(), empty_label="全部类别")
    deadline_class = forms.ChoiceField(label="整改时限", required=False, choices=[("", "全部时限")] + list(DeadlineClass.choices))
    unit = forms.ModelChoiceField(label="责任单位", required=False, queryset=None, empty_label="全部责任单位")
    leader = forms.ModelChoiceField(label="牵头领导", required=False, queryset=User.objects.none(), empty_label="全部牵头领导")
    state = forms.ChoiceField(label="整改状态", required=False, choices=[("", "全部状态")] + list(STATE_CHOICES[1:]))
    # Set by a problem's link in the problem list: the measures of that one problem.
    problem = forms.ModelChoiceField(required=False, queryset=PlanNode.objects.none(), widget=forms.HiddenInput)

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.PROBLEM)
        self.fields["category"].queryset = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.CATEGORY)
        self.fields["category"].label_from_instance = lambda n: f"{n.number}. {n.title[:30]}"
        self.fields["unit"].queryset = units_of(plan.org)
        self.fields["leader"].queryset = User.objects.filter(org=plan.org, role__in=LEADER_ROLES)


class CategoryForm(Form):
    title = forms.CharField(label="类别名称", max_length=500)


class ProblemForm(Form):
    title = forms.CharField(label="问题", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ModelChoiceField(label="所属类别", required=False, queryset=PlanNode.objects.none(), empty_label="（不分类）")
    deadline_class = forms.ChoiceField(label="整改时限", required=False, choices=[("", "—")] + list(DeadlineClass.choices))

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.CATEGORY)
        self.fields["category"].label_from_instance = lambda n: f"{n.number}. {n.title[:30]}"


class MeasureForm(Form):
    problem = forms.ModelChoiceField(label="所属问题", queryset=PlanNode.objects.none())
    content = forms.CharField(label="整改措施", max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.CharField(label="成效目标", required=False, max_length=2000)
    lead_unit = forms.ModelChoiceField(label="责任单位", queryset=None)
    co_units = forms.ModelMultipleChoiceField(label="协办单位", required=False, queryset=None,
                                              widget=forms.SelectMultiple(attrs={"size": 4}))
    responsible_leader = forms.ModelChoiceField(label="牵头领导", queryset=User.objects.none())
    deadline_class = forms.ChoiceField(label="整改时限", required=False, choices=[("", "—")] + list(DeadlineClass.choices))
    deadline = DateField(label="完成时限", required=False, widget=DateInput(),
                               help_text="留空则按整改时限从方案起始日推算")

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.PROBLEM)
        self.fields["problem"].label_from_instance = lambda n: f"问题{n.number}：{n.title[:40]}"
        self.fields["lead_unit"].queryset = self.fields["co_units"].queryset = units_of(plan.org)
        self.fields["responsible_leader"].queryset = User.objects.filter(org=plan.org, role__in=LEADER_ROLES)


class ReportDateForm(Form):
    as_of = DateField(label="截至日期", required=False, widget=DateInput())
